/**
 * `channel-keeper serve`: checks the Slack settings, applies pending migrations, then runs the bot
 * and the daily check scheduler until SIGINT/SIGTERM, and shuts them down in reverse order.
 */
import { createApp } from '../bot/app';
import { loadConfig, requireSlack, type Config } from '../config';
import { createLogger, type Logger } from '../logger';
import { Metrics } from '../metrics';
import { CheckScheduler } from '../runs/scheduler';
import { migrate } from '../store/migrate';
import { openStore, type Store } from '../store/store';
import { defineCommand, type CliCommand } from './command';
import { configuredDeliveryFactory, DELIVERY_HOLDER } from './delivery';
import { migrationsProbe } from './readiness';

/** The part of the check scheduler `serve` drives: started after the bot, stopped before it. */
export type ServedScheduler = Pick<CheckScheduler, 'start' | 'stop' | 'reschedule' | 'runNow'>;

export interface ServeDeps {
  config?: () => Config;
  logger?: (config: Config) => Logger;
  /** Default: the check scheduler delivering through Slack. Tests pass their own to watch the order. */
  scheduler?: (ctx: { config: Config; store: Store; logger: Logger; metrics?: Metrics }) => ServedScheduler;
  /** Resolves when the process should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
  /** Told the HTTP port once listening (tests use port 0). */
  onListening?: (port: number | null) => void;
}

export function defaultScheduler({ config, store, logger, metrics }: { config: Config; store: Store; logger: Logger; metrics?: Metrics }): ServedScheduler {
  const delivery = configuredDeliveryFactory({ config, store, logger, metrics });
  return new CheckScheduler({ store, delivery, logger, now: () => new Date(), holder: DELIVERY_HOLDER, alertChannelFallback: config.alertChannel, metrics });
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function createServeCommand(deps: ServeDeps = {}): CliCommand {
  return defineCommand({
    name: 'serve',
    summary: 'run the Slack bot and the daily checks',
    description:
      'Apply pending migrations, then run the Slack bot and the daily checks. SIGINT/SIGTERM stop the scheduler, let deliveries in flight finish (up to 30 s) and exit 0.',
    examples: ['serve', 'serve   # with SLACK_SOCKET_MODE=false PORT=8080: HTTP mode, /slack/events, /healthz, /readyz, /metrics'],
    async action() {
      const config = (deps.config ?? loadConfig)();
      requireSlack(config); // one line naming the missing variable, exit 2, before touching anything
      const logger = (deps.logger ?? ((c) => createLogger({ level: c.logLevel, format: c.logFormat })))(config);
      const applied = await migrate(config.database);
      if (applied.length) logger.info({ applied }, 'applied database migrations');
      const store = openStore(config.database);
      const metrics = new Metrics();
      const scheduler = (deps.scheduler ?? defaultScheduler)({ config, store, logger, metrics });
      const bot = createApp({
        config,
        store,
        logger,
        now: () => new Date(),
        onWorkspaceChanged: (id) => scheduler.reschedule(id),
        checkNow: async (id) => void (await scheduler.runNow(id)),
        metrics,
        readiness: [migrationsProbe(store)],
      });
      try {
        const port = await bot.start();
        await scheduler.start();
        logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', port }, 'Channel Keeper is running');
        deps.onListening?.(port);
        const signal = await (deps.stopSignal ?? untilSignal)();
        logger.info({ signal }, 'stopping');
      } finally {
        await scheduler.stop().catch((e) => logger.error({ err: (e as Error).message }, 'scheduler stop failed'));
        await bot.stop().catch((e) => logger.error({ err: (e as Error).message }, 'bot stop failed'));
        await store.close();
      }
      return 0;
    },
  });
}

export const serveCommand = createServeCommand();
