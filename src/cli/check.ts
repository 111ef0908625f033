/**
 * `channel-keeper check [--dry-run] [--at <ISO date>] [--workspace <id>] [--json]`: one check pass,
 * exactly as a scheduled run does it (architecture.md, "Interfaces that must stay stable").
 * stdout carries only the results (JSON lines or the text report); logs go to stderr.
 *
 * Real runs deliver through Slack when SLACK_BOT_TOKEN is set, exactly as the scheduler does, and
 * otherwise through `LogDelivery`, which leaves every warning pending (src/cli/delivery.ts).
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config';
import type { Workspace } from '../domain';
import { createLogger, type Logger } from '../logger';
import { instantFor, parseAsOf, type AsOf } from '../checks/job-as-of';
import { runCheck } from '../checks/job';
import type { WarningDelivery } from '../checks/delivery';
import { formatSummary, toJsonLine } from '../checks/job-report';
import type { DeliveryFactory } from '../checks/log-delivery';
import { configuredDeliveryFactory } from './delivery';
import { openStore, type Store } from '../store/store';
import type { CliCommand } from './command';

export interface CheckCommandDeps {
  /** Builds the delivery for real (not dry) runs; default: Slack when configured, else the log. */
  deliveryFactory?: DeliveryFactory;
  /** The clock when `--at` is not given. */
  now?: () => Date;
  config?: () => Config;
  logger?: (config: Config) => Logger;
  openStore?: (config: Config) => Store;
}

/** A dry run never delivers; building the real delivery (a Slack client) would be wasted, and this guards the promise. */
const NO_DELIVERY: WarningDelivery = {
  deliver: () => Promise.reject(new Error('a dry run posts nothing')),
};

const USAGE = 'check [--dry-run] [--at <ISO date>] [--workspace <id>] [--json]';

export function createCheckCommand(deps: CheckCommandDeps = {}): CliCommand {
  return {
    name: 'check',
    usage: USAGE,
    summary: 'run one check pass now (or as of --at); --dry-run writes and posts nothing',
    async run(args, io) {
      const { values } = parseArgs({
        args,
        options: { 'dry-run': { type: 'boolean' }, at: { type: 'string' }, workspace: { type: 'string' }, json: { type: 'boolean' } },
        strict: true,
        allowPositionals: false,
      });
      const dryRun = values['dry-run'] === true;
      const asOf: AsOf | null = values.at === undefined ? null : parseAsOf(values.at);
      const config = (deps.config ?? loadConfig)();
      const logger = deps.logger ? deps.logger(config) : createLogger({ level: config.logLevel });
      const store = deps.openStore ? deps.openStore(config) : openStore(config.database);
      try {
        await store.ping();
        const workspaces: Workspace[] = values.workspace === undefined ? await store.workspaces.list() : [await store.workspaces.getById(values.workspace)];
        if (!workspaces.length) io.err('channel-keeper check: no workspace yet (install the app in Slack, or import channels with --workspace)');
        const delivery = dryRun ? NO_DELIVERY : (deps.deliveryFactory ?? configuredDeliveryFactory)({ store, config, logger });
        let failures = 0;
        for (const workspace of workspaces) {
          try {
            const summary = await runCheck(store, workspace.id, {
              now: asOf ? instantFor(asOf, workspace) : (deps.now ?? (() => new Date()))(),
              dryRun,
              delivery,
              logger,
              alertChannelFallback: config.alertChannel,
            });
            if (values.json) summary.warnings.forEach((w) => io.out(toJsonLine(w)));
            else io.out(`${formatSummary(summary, workspace.name)}\n`);
          } catch (error) {
            // One workspace's bad setting (an unknown time zone…) must not stop the others' checks.
            failures += 1;
            logger.error({ workspace: workspace.id, err: error }, 'check failed for workspace');
            io.err(`channel-keeper check: workspace ${workspace.id}: ${(error as Error).message}`);
          }
        }
        return failures ? 1 : 0;
      } finally {
        await store.close();
      }
    },
  };
}

export const checkCommand = createCheckCommand();
