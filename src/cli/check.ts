/**
 * `channel-keeper check [--dry-run] [--at <ISO date>] [--workspace <id>] [--json]`: one check pass,
 * exactly as a scheduled run does it (the stable command-line interface in docs/command-line.md).
 * stdout carries only the results (JSON lines or the text report); logs go to stderr.
 *
 * Real runs record, then drain what is due through the outbox worker (Slack when SLACK_BOT_TOKEN is
 * set; otherwise no Slack port, and every warning stays pending: src/cli/outbox-drain.ts) and print
 * honest counts: posted, failed, and still pending with why.
 */
import { Option } from 'commander';
import { DateTime } from 'luxon';
import { networkLabel } from '../rules/advice';
import { compareText, severityRank } from '../rules/finding';
import { type Config, type ConfigVariableName, DELIVERY_VARIABLES, LOG_VARIABLES } from '../config';
import type { Workspace } from '../domain';
import { ValidationError } from '../errors';
import type { Logger } from '../logger';
import type { CheckSummary, PlannedWarning } from '../runs/check-run';
import { count } from '../words';
import type { Store } from '../store/store';
import { withMigratedDatabase } from '../store/unmigrated';
import { defineCommand, type CliCommand } from './command';
import { assertDatabaseExists, cliLogger, commandConfig, useColour } from './context';
import type { DeliveryFactory } from './delivery';
import { describeStartupError, firstLine } from './failure';
import { cliSlack, drainingOutbox, notPosted, workspaceLabel } from './outbox-drain';
import { DEFAULT_WAIT_MS, formatWait, parseWait, SlackWait, WAIT_OPTION } from './slack-wait';

export interface CheckCommandDeps {
  /** Builds the Slack ports for real (not dry) runs; default: Slack when configured, else none (rows stay pending). */
  deliveryFactory?: DeliveryFactory;
  /** The clock when `--at` is not given. */
  now?: () => Date;
  config?: () => Config;
  logger?: (config: Config) => Logger;
  openStore?: (config: Config) => Store;
}

/** The variables `check` reads: a bad PORT or signing secret does not stop it. */
export const CHECK_VARIABLES: readonly ConfigVariableName[] = ['DATABASE_URL', ...DELIVERY_VARIABLES, ...LOG_VARIABLES];

/** Without --dry-run, --at may be at most this many days before the clock… */
export const AS_OF_PAST_DAYS = 31;
/** …and at most this many after (a date in a zone ahead of the machine's). */
export const AS_OF_FUTURE_DAYS = 1;

/** What each exit code of `check` means (`--help`, docs/command-line.md). */
export const CHECK_EXIT_CODES = [
  '0  everything due was posted, or nothing was due (without SLACK_BOT_TOKEN warnings',
  '   are only recorded: 0 too, and a line on stderr says so)',
  '1  something due could not be posted, or the check failed for a workspace: one line',
  '   on stderr per workspace and reason, with the counts; what was not posted stays',
  '   pending for serve (or the next check)',
  '2  a usage or configuration mistake (a bad option, --at or --wait, DATABASE_URL…)',
];

export function createCheckCommand(deps: CheckCommandDeps = {}): CliCommand {
  return defineCommand({
    name: 'check',
    summary: 'run one check pass now (or as of --at)',
    description: `One check pass now (or as of --at), exactly as a scheduled run: records warnings and delivers them (to Slack when SLACK_BOT_TOKEN is set, otherwise they stay pending). --dry-run writes and posts nothing. A Slack that does not answer is given up after --wait (${formatWait(DEFAULT_WAIT_MS)} by default).`,
    examples: ['check --dry-run', 'check --workspace T0123ABCD --json', 'check --dry-run --at 2027-01-15', 'check --wait 5m'],
    configure: (command) =>
      command
        .option('--dry-run', 'evaluate and plan only: nothing is recorded, nothing is posted')
        .option(
          '--at <ISO date>',
          `check as of this moment (${AS_OF_FORMAT}); without --dry-run at most ${AS_OF_PAST_DAYS} days back and ${AS_OF_FUTURE_DAYS} day ahead, any date with --dry-run`,
        )
        .option('--workspace <id>', 'only this workspace (its team id, see `channel-keeper workspaces`)')
        .option(WAIT_OPTION.flags, WAIT_OPTION.description)
        .option('--all', `list every warning in the text report, not only the ${SHOWN_WARNINGS} most urgent per workspace`)
        .addOption(new Option('--json', 'one JSON line per planned warning on stdout, nothing else'))
        .addHelpText('after', `\nExit codes:\n${CHECK_EXIT_CODES.map((line) => `  ${line}`).join('\n')}`),
    async action({ opts, io }) {
      const dryRun = opts.dryRun === true;
      const json = opts.json === true;
      const all = opts.all === true;
      const workspaceId = typeof opts.workspace === 'string' ? opts.workspace : undefined;
      const clock = deps.now ?? (() => new Date());
      const asOf: AsOf | null = typeof opts.at === 'string' ? parseAsOf(opts.at) : null;
      if (asOf && !dryRun) assertNearToday(asOf, clock());
      const wait = new SlackWait(typeof opts.wait === 'string' ? parseWait(opts.wait) : DEFAULT_WAIT_MS);
      const config = (deps.config ?? (() => commandConfig(CHECK_VARIABLES)))();
      const logger = deps.logger ? deps.logger(config) : await cliLogger(config);
      if (!deps.openStore) assertDatabaseExists(config.database);
      // Prisma, the check run and Slack are loaded here, not for `--help` (start-up).
      const [{ openStore }, { runCheck }] = await Promise.all([import('../store/store'), import('../runs/check-run')]);
      const store = deps.openStore ? deps.openStore(config) : openStore(config.database);
      try {
        await store.ping();
        const workspaces: Workspace[] = await withMigratedDatabase(config.database, async () =>
          workspaceId === undefined ? await store.workspaces.list() : [await store.workspaces.getById(workspaceId)],
        );
        if (!workspaces.length) io.err('channel-keeper check: no workspace yet (install the app in Slack, or import channels with --workspace)');
        // A dry run never delivers; building the real delivery (a Slack client) would be wasted.
        const slack = dryRun ? null : await cliSlack({ store, config, logger }, wait, deps.deliveryFactory);
        let failures = 0;
        for (const workspace of workspaces) {
          try {
            const now = asOf ? () => instantFor(asOf, workspace) : clock;
            const outbox = dryRun ? undefined : await drainingOutbox({ store, config, logger, now }, slack, { repeat: !asOf });
            const summary = await runCheck({ store, outbox, now, logger }, workspace.id, { dryRun });
            if (json) summary.warnings.forEach((w) => io.out(toJsonLine(w)));
            else io.out(`${formatSummary(summary, workspace.name, { colour: useColour(), all })}\n`);
            if (!summary.delivery) continue;
            const problems = await notPosted(store, workspace, summary.delivery, slack);
            for (const line of problems.lines) io.err(`channel-keeper check: ${workspaceLabel(workspace)}: ${line}`);
            if (problems.failed) failures += 1;
          } catch (error) {
            // A database that cannot be written (read-only, gone) fails every workspace alike: one line, exit 2.
            if (describeStartupError(error)) throw error;
            // One workspace's bad setting (an unknown time zone…) must not stop the others' checks.
            failures += 1;
            logger.error({ workspace: workspace.id, err: error }, 'check failed for workspace');
            io.err(`channel-keeper check: workspace ${workspace.id}: ${firstLine(error)}`);
          }
        }
        return failures ? 1 : 0;
      } finally {
        wait.close();
        await store.close();
      }
    },
  });
}

export const checkCommand = createCheckCommand();

/**
 * A real run records warnings as of `--at`: a date far from today would fill the outbox with
 * warnings of another year. Such dates are for looking (`--dry-run`) only.
 */
export function assertNearToday(asOf: AsOf, now: Date): void {
  const at = asOf.kind === 'instant' ? DateTime.fromJSDate(asOf.at, { zone: 'utc' }) : DateTime.fromISO(asOf.date, { zone: 'utc' });
  const days = at.diff(DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day'), 'days').days;
  if (days < -AS_OF_PAST_DAYS || days > AS_OF_FUTURE_DAYS + 1) {
    const said = asOf.kind === 'instant' ? asOf.at.toISOString() : asOf.date;
    throw new ValidationError(
      `--at ${said} is more than ${AS_OF_PAST_DAYS} days back or ${AS_OF_FUTURE_DAYS} day ahead: a real run would record warnings as of then; add --dry-run to look without recording`,
    );
  }
}

/*
 * `--at`: the moment a check pretends to run at. A date means "that day's scheduled check" in
 * each workspace's own zone (so every workspace is judged on that calendar day); a date-time without
 * an offset is wall-clock time in each workspace's zone; one with `Z` or an offset is that instant.
 */
export type AsOf = { kind: 'instant'; at: Date } | { kind: 'local'; date: string; time: string | null };

export const AS_OF_FORMAT = 'YYYY-MM-DD, YYYY-MM-DDTHH:mm[:ss] (workspace time) or YYYY-MM-DDTHH:mm[:ss]Z / ±HH:mm';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export function parseAsOf(text: string): AsOf {
  const value = text.trim();
  const refuse = (): never => {
    throw new ValidationError(`--at "${text}" is not an ISO date or date-time; use ${AS_OF_FORMAT}`);
  };
  if (DATE.test(value)) {
    if (!DateTime.fromISO(value, { zone: 'utc' }).isValid) refuse();
    return { kind: 'local', date: value, time: null };
  }
  const local = LOCAL.exec(value);
  if (local?.[1] && local[2]) {
    if (!DateTime.fromISO(value, { zone: 'utc' }).isValid) refuse();
    return { kind: 'local', date: local[1], time: local[2] };
  }
  if (ZONED.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid) refuse();
    return { kind: 'instant', at: parsed.toJSDate() };
  }
  return refuse();
}

/** The instant a workspace's check runs at for `asOf`. */
export function instantFor(asOf: AsOf, workspace: Pick<Workspace, 'timeZone' | 'checkTime'>): Date {
  if (asOf.kind === 'instant') return asOf.at;
  const local = DateTime.fromISO(`${asOf.date}T${asOf.time ?? workspace.checkTime}`, { zone: workspace.timeZone });
  if (!local.isValid) throw new ValidationError(`cannot place --at ${asOf.date} in time zone ${workspace.timeZone}: ${local.invalidExplanation ?? 'invalid'}`);
  return local.toJSDate();
}

/*
 * How a check run is printed: JSON lines (the stable contract in docs/command-line.md) or a report a person
 * reads, worst warnings first.
 */
/** Exactly these keys, in this order: scripts depend on them. */
export const JSON_KEYS = ['workspace', 'connectionId', 'connection', 'network', 'kind', 'stage', 'severity', 'dueAt'] as const;

export function toJsonLine(warning: PlannedWarning): string {
  return JSON.stringify(Object.fromEntries(JSON_KEYS.map((key) => [key, warning[key]])));
}

const SEVERITY_LABELS: Record<PlannedWarning['severity'], string> = {
  attention: 'ATTENTION',
  at_risk: 'AT RISK',
  critical: 'CRITICAL',
  disconnected: 'DISCONNECTED',
};

/** ANSI colours of the severity labels, on a terminal only. */
const SEVERITY_COLOURS: Record<PlannedWarning['severity'], string> = { attention: '33', at_risk: '38;5;208', critical: '31', disconnected: '90' };

/** Warnings the text report lists per workspace without --all: the summary a person reads, not a dump. */
const SHOWN_WARNINGS = 20;

export function formatSummary(
  summary: CheckSummary,
  workspaceName: string | null,
  { colour = false, all = false }: { colour?: boolean; all?: boolean } = {},
): string {
  const label = (severity: PlannedWarning['severity']) => {
    const text = SEVERITY_LABELS[severity].padEnd(12);
    return colour ? `\x1b[${SEVERITY_COLOURS[severity]}m${text}\x1b[0m` : text;
  };
  const c = summary.counts;
  const title = workspaceName ? `${workspaceName} (${summary.workspaceId})` : summary.workspaceId;
  const mode = summary.dryRun ? ' — dry run: nothing recorded, nothing posted' : '';
  const lines = [
    `Workspace ${title}: check as of ${summary.today} (${summary.timeZone})${mode}`,
    `  ${count(c.connections, 'channel')}, ${count(c.findings, 'finding')}: ` +
      `${c.created} new, ${c.reopened} reopened, ${c.resolved} resolved, ${c.stillOpen} still open` +
      (c.heldBack ? `, ${c.heldBack} held back by an outage (${summary.outageNetworks.map(networkLabel).join(', ')})` : ''),
  ];
  const warnings = [...summary.warnings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.dueAt, b.dueAt) || compareText(a.connection, b.connection),
  );
  if (warnings.length) {
    const shown = all ? warnings : warnings.slice(0, SHOWN_WARNINGS);
    lines.push(
      '',
      `  ${summary.dryRun ? 'Would post' : 'To post'}${shown.length < warnings.length ? `, the ${shown.length} most urgent of ${warnings.length}` : ''}:`,
    );
    for (const w of shown) {
      // Words for people; the kind and stage ids are in --json.
      lines.push(`  ${label(w.severity)} ${w.connection} (${networkLabel(w.network)}, due ${w.dueAt})${w.reopened ? ' [reopened]' : ''}`);
      lines.push(`               ${w.message}`);
      lines.push(`               What to do: ${w.advice}`);
    }
    if (shown.length < warnings.length)
      lines.push(`  …and ${count(warnings.length - shown.length, 'more warning')}: \`--all\` lists every one, \`--json\` gives them one per line.`);
  } else {
    lines.push('  Nothing new to post.');
  }
  if (summary.problems.length) {
    lines.push('', '  Data problems (these channels were not checked; fix their dates):');
    for (const p of summary.problems) lines.push(`  - ${p.name} (id ${p.connectionId}): ${p.reasons.join('; ')}`);
  }
  if (summary.delivery) {
    const d = summary.delivery;
    lines.push('', `  Delivery: ${d.posted} posted, ${d.failed} failed, ${d.pending} pending${d.note ? ` (${d.note})` : ''}`);
  }
  return lines.join('\n');
}
