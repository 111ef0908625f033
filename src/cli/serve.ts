/**
 * `channel-keeper serve`: checks the Slack settings and the bot token (a token Slack refuses: one
 * line, exit 2; Slack unreachable: tried again with backoff while /healthz says so), applies pending
 * migrations, then runs the bot, the daily check scheduler and the outbox worker until
 * SIGINT/SIGTERM, and shuts them down in reverse order.
 */
import http from 'node:http';
import { createApp, HEALTH_PATH, verifySlackToken, type BotIdentity } from '../bot/app';
import { loadConfig, requireSlack, type Config } from '../config';
import { createLogger, type Logger } from '../logger';
import { Metrics } from '../metrics';
import { CheckScheduler } from '../runs/scheduler';
import { OutboxWorker } from '../runs/outbox-worker';
import { migrate } from '../store/migrate';
import { openStore, type Store } from '../store/store';
import { defineCommand, type CliCommand } from './command';
import { configuredDeliveryFactory, configuredReportDelivery, DELIVERY_HOLDER } from './delivery';
import { migrationsProbe } from './readiness';

/** The part of the check scheduler `serve` drives: started after the bot, stopped before it. */
export type ServedScheduler = Pick<CheckScheduler, 'start' | 'stop' | 'reschedule' | 'runNow'>;

export interface ServeDeps {
  config?: () => Config;
  logger?: (config: Config) => Logger;
  /** Default: the check scheduler, waking the outbox worker. Tests pass their own to watch the order. */
  scheduler?: (ctx: { config: Config; store: Store; logger: Logger; worker?: OutboxWorker; metrics?: Metrics }) => ServedScheduler;
  /** Resolves when the process should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
  /** Told the HTTP port once listening (tests use port 0). */
  onListening?: (port: number | null) => void;
  /** The outbox worker's interval (OUTBOX_INTERVAL_MS, default 5 s). */
  outboxIntervalMs?: number;
}

/** The outbox worker of `serve`: posts what checks record, follows settled warnings, takes back dead claims. */
export function defaultWorker(
  { config, store, logger, metrics }: { config: Config; store: Store; logger: Logger; metrics?: Metrics },
  intervalMs?: number,
): OutboxWorker {
  const delivery = configuredDeliveryFactory({ config, store, logger, metrics });
  return new OutboxWorker({
    store,
    delivery,
    logger,
    now: () => new Date(),
    holder: DELIVERY_HOLDER,
    alertChannelFallback: config.alertChannel,
    intervalMs,
    metrics,
  });
}

export function defaultScheduler({
  config,
  store,
  logger,
  worker,
  metrics,
}: {
  config: Config;
  store: Store;
  logger: Logger;
  worker?: OutboxWorker;
  metrics?: Metrics;
}): ServedScheduler {
  const outbox = worker ? { afterRecording: async () => (worker.wake(), null) } : undefined;
  const weeklyReport = { delivery: configuredReportDelivery({ config, logger }), alertChannelFallback: config.alertChannel };
  return new CheckScheduler({ store, outbox, logger, now: () => new Date(), holder: DELIVERY_HOLDER, metrics, weeklyReport });
}

/**
 * Asks Slack who the token is until it answers: a refusal ends `serve` (exit 2); while Slack is
 * unreachable, waits with backoff (up to a minute) and /healthz answers 503 saying why.
 */
async function waitForSlack(
  config: Config,
  logger: Logger,
  stopped: Promise<string>,
): Promise<{ identity: BotIdentity } | { refused: string } | { stopped: true }> {
  let health: http.Server | null = null;
  let problem = 'checking the Slack token';
  let delay = 1000;
  let halt = false;
  void stopped.then(() => (halt = true));
  try {
    for (;;) {
      const check = await verifySlackToken(config);
      if (check.ok) return { identity: check.identity };
      if (check.permanent) return { refused: check.reason };
      problem = check.reason;
      logger.warn({ retryInMs: delay }, `${problem}: trying again`);
      health ??= startHealthOnly(config.port, () => problem, logger);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), stopped]);
      if (halt) return { stopped: true };
      delay = Math.min(delay * 2, 60_000);
    }
  } finally {
    if (health) await new Promise((resolve) => health!.close(() => resolve(undefined)));
  }
}

/** Until the bot listens: /healthz on the bot's port says what keeps it from starting. */
function startHealthOnly(port: number, problem: () => string, logger: Logger): http.Server {
  const server = http.createServer((req, res) => {
    const ok = req.url === HEALTH_PATH;
    res.writeHead(ok ? 503 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: ok ? problem() : 'not found' }));
  });
  server.on('error', (error) => logger.warn({ err: error.message }, 'could not serve /healthz while waiting for Slack'));
  server.listen(port);
  return server;
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
    summary: 'run the Slack bot, the daily checks and the outbox worker',
    description:
      'Check the bot token with Slack, apply pending migrations, then run the Slack bot, the daily checks and the outbox worker. SIGINT/SIGTERM stop the scheduler, let deliveries in flight finish (up to 30 s) and exit 0.',
    examples: ['serve', 'serve   # with SLACK_SOCKET_MODE=false PORT=8080: HTTP mode, /slack/events, /healthz, /readyz, /metrics'],
    async action({ io }) {
      const config = (deps.config ?? loadConfig)();
      requireSlack(config); // one line naming the missing variable, exit 2, before touching anything
      const logger = (deps.logger ?? ((c) => createLogger({ level: c.logLevel, format: c.logFormat })))(config);
      const stopSignal = (deps.stopSignal ?? untilSignal)();
      const slack = await waitForSlack(config, logger, stopSignal);
      if ('refused' in slack) {
        io.err(`channel-keeper serve: ${slack.refused}`);
        return 2;
      }
      if ('stopped' in slack) return 0;
      const applied = await migrate(config.database);
      if (applied.length) logger.info({ applied }, 'applied database migrations');
      const store = openStore(config.database);
      // A Slack or database error at run time is logged, never the end of the process.
      const onRejection = (error: unknown) =>
        logger.error({ err: (error as Error)?.message ?? String(error) }, 'unhandled rejection (the process keeps running)');
      process.on('unhandledRejection', onRejection);
      const metrics = new Metrics();
      const worker = defaultWorker({ config, store, logger, metrics }, deps.outboxIntervalMs ?? config.outboxIntervalMs);
      const scheduler = (deps.scheduler ?? defaultScheduler)({ config, store, logger, worker, metrics });
      const bot = createApp({
        config,
        store,
        logger,
        now: () => new Date(),
        onWorkspaceChanged: (id) => scheduler.reschedule(id),
        checkNow: async (id) => void (await scheduler.runNow(id)),
        wakeOutbox: () => worker.wake(),
        identity: slack.identity,
        metrics,
        readiness: [migrationsProbe(store)],
      });
      try {
        const port = await bot.start();
        await scheduler.start();
        worker.start();
        logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', port }, 'Channel Keeper is running');
        deps.onListening?.(port);
        const signal = await stopSignal;
        logger.info({ signal }, 'stopping');
      } finally {
        await worker.stop().catch((e) => logger.error({ err: (e as Error).message }, 'outbox worker stop failed'));
        await scheduler.stop().catch((e) => logger.error({ err: (e as Error).message }, 'scheduler stop failed'));
        await bot.stop().catch((e) => logger.error({ err: (e as Error).message }, 'bot stop failed'));
        await store.close();
        process.off('unhandledRejection', onRejection);
      }
      return 0;
    },
  });
}

export const serveCommand = createServeCommand();
