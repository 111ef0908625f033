/**
 * `channel-keeper serve`: checks the Slack settings, applies pending migrations, then runs the bot
 * and the daily check scheduler until SIGINT/SIGTERM, and shuts them down in reverse order.
 */
import { parseArgs } from 'node:util';
import { createApp } from '../bot/app';
import { CheckScheduler } from '../checks/scheduler';
import { loadConfig, requireSlack, type Config } from '../config';
import { createLogger, type Logger } from '../logger';
import { migrate } from '../store/migrate';
import { openStore, type Store } from '../store/store';
import type { CliCommand } from './command';
import { configuredDeliveryFactory, DELIVERY_HOLDER } from './delivery';

/** Something that runs beside the bot (the scheduler); started after the bot, stopped before it. */
export interface Companion {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A workspace appeared or its settings changed. */
  workspaceChanged?(workspaceId: string): Promise<void>;
  /** Run a workspace's check now (see BotDeps.checkNow). */
  checkNow?(workspaceId: string): Promise<void>;
}

export interface ServeDeps {
  config?: () => Config;
  logger?: (config: Config) => Logger;
  /** Default: the check scheduler delivering through Slack. Tests pass [] to run the bot alone. */
  companions?: (ctx: { config: Config; store: Store; logger: Logger }) => Companion[];
  /** Resolves when the process should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
  /** Told the HTTP port once listening (tests use port 0). */
  onListening?: (port: number | null) => void;
}

export function defaultCompanions({ config, store, logger }: { config: Config; store: Store; logger: Logger }): Companion[] {
  requireSlack(config);
  const delivery = configuredDeliveryFactory({ config, store, logger });
  const scheduler = new CheckScheduler({ store, delivery, logger, holder: DELIVERY_HOLDER, alertChannelFallback: config.alertChannel });
  return [{ start: () => scheduler.start(), stop: () => scheduler.stop(), workspaceChanged: (id) => scheduler.reschedule(id), checkNow: async (id) => void (await scheduler.runNow(id)) }];
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function createServeCommand(deps: ServeDeps = {}): CliCommand {
  return {
    name: 'serve',
    usage: 'serve',
    summary: 'run the Slack bot and the daily checks (applies migrations first)',
    async run(args) {
      parseArgs({ args, options: {}, strict: true });
      const config = (deps.config ?? loadConfig)();
      requireSlack(config); // one line naming the missing variable, exit 2, before touching anything
      const logger = (deps.logger ?? ((c) => createLogger({ level: c.logLevel })))(config);
      const applied = await migrate(config.database);
      if (applied.length) logger.info({ applied }, 'applied database migrations');
      const store = openStore(config.database);
      const companions = (deps.companions ?? defaultCompanions)({ config, store, logger });
      const onWorkspaceChanged = async (id: string) => void (await Promise.all(companions.map((c) => c.workspaceChanged?.(id))));
      const checkNow = async (id: string) => void (await Promise.all(companions.map((c) => c.checkNow?.(id))));
      const bot = createApp({ config, store, logger, onWorkspaceChanged, checkNow });
      try {
        const port = await bot.start();
        for (const companion of companions) await companion.start();
        logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', port }, 'Channel Keeper is running');
        deps.onListening?.(port);
        const signal = await (deps.stopSignal ?? untilSignal)();
        logger.info({ signal }, 'stopping');
      } finally {
        for (const companion of [...companions].reverse()) await companion.stop().catch((e) => logger.error({ err: (e as Error).message }, 'stop failed'));
        await bot.stop().catch((e) => logger.error({ err: (e as Error).message }, 'bot stop failed'));
        await store.close();
      }
      return 0;
    },
  };
}

export const serveCommand = createServeCommand();
