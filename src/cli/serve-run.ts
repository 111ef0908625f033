/** What `serve` does once it runs (src/cli/serve.ts declares the command): loaded only then. */
import http from 'node:http';
import { createApp, HEALTH_PATH, slackPortHost, verifySlackToken, type BotIdentity } from '../bot/app';
import { createMultiWorkspace, type MultiWorkspace } from '../bot/oauth/index';
import { loadConfig, requireSlack, type Config } from '../config';
import { ValidationError } from '../errors';
import { createLogger, type Logger } from '../logger';
import { instrumentSlackClient, Metrics } from '../metrics';
import { CheckScheduler } from '../runs/scheduler';
import { OutboxWorker } from '../outbox/worker';
import { serveWatch, type CheckRunEnd } from '../runs/heartbeat';
import { rewriteOutdatedTokens, startRetentionSweep } from '../runs/retention';
import { migrate } from '../store/migrate';
import { openStore, type Store } from '../store/store';
import type { CliIo } from './command';
import { sourceKeysOf, startSourceSyncs } from './source-sync';
import { configuredDeliveryFactory, configuredReportDelivery, DELIVERY_HOLDER } from './delivery';
import { startMetricsServer, type MetricsServer } from './metrics-server';
import { migrationsProbe, tokensProbe } from './readiness';
import { JudgingQueue } from '../services/judging';
import { storedSources } from '../services/status-canvas';

/** The part of the check scheduler `serve` drives: started after the bot, stopped before it. */
export type ServedScheduler = Pick<CheckScheduler, 'start' | 'stop' | 'reschedule' | 'runNow'>;

export interface ServeDeps {
  config?: () => Config;
  logger?: (config: Config) => Logger;
  /** Default: the check scheduler, waking the outbox worker. Tests pass their own to watch the order. */
  scheduler?: (ctx: {
    config: Config;
    store: Store;
    logger: Logger;
    worker?: OutboxWorker;
    metrics?: Metrics;
    multi?: MultiWorkspace | null;
    afterCheck?: (end: CheckRunEnd) => unknown;
    judging?: JudgingQueue;
  }) => ServedScheduler;
  /** Resolves when the process should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<string>;
  /** Told the HTTP port once listening (tests use port 0). */
  onListening?: (port: number | null) => void;
  /** Told where /metrics listens (tests use METRICS_PORT=0). */
  onMetricsListening?: (port: number) => void;
  /** The outbox worker's interval (OUTBOX_INTERVAL_MS, default 5 s). */
  outboxIntervalMs?: number;
}

/** The outbox worker of `serve`: posts what checks record, follows settled warnings, takes back dead claims. */
export function defaultWorker(
  { config, store, logger, metrics, multi }: { config: Config; store: Store; logger: Logger; metrics?: Metrics; multi?: MultiWorkspace | null },
  intervalMs?: number,
): OutboxWorker {
  const slack = configuredDeliveryFactory({ config, store, logger, metrics, clients: multi?.clients });
  return new OutboxWorker({
    store,
    slack,
    logger,
    now: () => new Date(),
    holder: DELIVERY_HOLDER,
    alertChannelFallback: config.alertChannel,
    intervalMs,
    groupIntervalMs: config.groupIntervalMs,
    metrics,
  });
}

export function defaultScheduler({
  config,
  store,
  logger,
  worker,
  metrics,
  multi,
  afterCheck,
  judging,
}: {
  config: Config;
  store: Store;
  logger: Logger;
  worker?: OutboxWorker;
  metrics?: Metrics;
  multi?: MultiWorkspace | null;
  afterCheck?: (end: CheckRunEnd) => unknown;
  judging?: JudgingQueue;
}): ServedScheduler {
  // Multi-workspace mode: the workspace's token is refreshed (once across replicas) before the worker posts with it.
  const refresh = async (workspaceId: string) => {
    if (multi) await multi.tokens.tokenFor(workspaceId).catch((e: Error) => logger.warn({ workspaceId, err: e.message }, 'bot token not ready'));
  };
  const outbox = worker ? { afterRecording: async (workspaceId: string) => (await refresh(workspaceId), worker.wake(), null) } : undefined;
  const weeklyReport = { delivery: configuredReportDelivery({ config, logger, clients: multi?.clients }), alertChannelFallback: config.alertChannel };
  return new CheckScheduler({ store, outbox, logger, now: () => new Date(), holder: DELIVERY_HOLDER, metrics, weeklyReport, afterCheck, judging });
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
      health ??= startHealthOnly(config, () => problem, logger);
      await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), stopped]);
      if (halt) return { stopped: true };
      delay = Math.min(delay * 2, 60_000);
    }
  } finally {
    if (health) await new Promise((resolve) => health!.close(() => resolve(undefined)));
  }
}

/** Until the bot listens: /healthz on the bot's port says what keeps it from starting. */
function startHealthOnly(config: Config, problem: () => string, logger: Logger): http.Server {
  const server = http.createServer((req, res) => {
    const ok = req.url === HEALTH_PATH;
    res.writeHead(ok ? 503 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: ok ? problem() : 'not found' }));
  });
  server.on('error', (error) => logger.warn({ err: error.message }, 'could not serve /healthz while waiting for Slack'));
  server.listen(config.port, slackPortHost(config));
  return server;
}

/** How often `serve` checks that its SQLite file is still the one it opened (a stat). */
const FILE_CHECK_MS = 2_000;

/** Resolves with why, once the SQLite file is deleted or replaced (never for PostgreSQL). */
function databaseFileLost(store: Store, stopped: Promise<string>): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const problem = store.fileProblem();
      if (problem) {
        clearInterval(timer);
        resolve(problem);
      }
    }, FILE_CHECK_MS);
    timer.unref();
    void stopped.then(() => clearInterval(timer));
  });
}

/** How long a stopping `serve` waits for work in flight; with EXIT_GRACE_MS it exits within 30 s (docs/command-line.md). */
const STOP_WAIT_MS = 25_000;
const EXIT_GRACE_MS = 2_000;

/** `work`, or 'timeout' after `ms`. */
async function bounded(work: Promise<void>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export async function runServe(deps: ServeDeps, io: CliIo): Promise<number> {
  const config = (deps.config ?? loadConfig)();
  const slackConfig = requireSlack(config); // one line naming the missing variable, exit 2, before touching anything
  const logger = (deps.logger ?? ((c) => createLogger({ level: c.logLevel, format: c.logFormat })))(config);
  const stopSignal = (deps.stopSignal ?? untilSignal)();
  // Multi-workspace mode has no token to check: each installation brings its own.
  const slack = slackConfig.oauth ? { identity: undefined } : await waitForSlack(config, logger, stopSignal);
  if ('refused' in slack) {
    io.err(`channel-keeper serve: ${slack.refused}`);
    return 2;
  }
  if ('stopped' in slack) return 0;
  const applied = await migrate(config.database);
  if (applied.length) logger.info({ applied }, 'applied database migrations');
  const store = openStore(config.database);
  // A Slack or database error at run time is logged, never the end of the process.
  const onRejection = (error: unknown) => logger.error({ err: (error as Error)?.message ?? String(error) }, 'unhandled rejection (the process keeps running)');
  process.on('unhandledRejection', onRejection);
  const metrics = new Metrics();
  let metricsServer: MetricsServer;
  try {
    // Before Slack connects: a METRICS_PORT in use stops `serve` at once, with one line.
    metricsServer = await startMetricsServer(config, metrics, logger);
  } catch (error) {
    process.off('unhandledRejection', onRejection);
    await store.close();
    throw error;
  }
  deps.onMetricsListening?.(metricsServer.port);
  let exitCode = 0;
  const multi = slackConfig.oauth
    ? createMultiWorkspace({
        oauth: slackConfig.oauth,
        store,
        logger,
        now: () => new Date(),
        apiUrl: slackConfig.apiUrl,
        instrument: (client) => instrumentSlackClient(client, metrics, () => performance.now()),
      })
    : null;
  // After a key rotation (TOKEN_ENCRYPTION_KEY_PREVIOUS set): tokens move to the new key before the
  // first request, then hourly with the retention sweep (tokens with a refresh in flight wait).
  if (multi) await rewriteOutdatedTokens(multi.installations, new Date(), logger);
  const worker = defaultWorker({ config, store, logger, metrics, multi }, deps.outboxIntervalMs ?? config.outboxIntervalMs);
  // The heartbeat (HEARTBEAT_URL) and the admins' notice of checks missed before this start.
  const watch = serveWatch({
    url: config.heartbeatUrl,
    store,
    logger,
    now: () => new Date(),
    holder: DELIVERY_HOLDER,
    workerHealthy: () => worker.healthy(),
    tellAdmins: (workspace, missed) => worker.tellAdmins(workspace, { kind: 'missed_checks', missed }, 'missed checks'),
  });
  // A check changes what the status canvas shows; the bot (made after the scheduler) keeps it.
  const canvas: { touch?: (workspaceId: string) => void } = {};
  const afterCheck = (end: CheckRunEnd) => (canvas.touch?.(end.workspaceId), watch.afterCheck(end));
  // One judging of a workspace's lists at a time, shared by the scheduler's warm-up and the bot's lists.
  const judging = new JudgingQueue();
  const scheduler = (deps.scheduler ?? defaultScheduler)({ config, store, logger, worker, metrics, multi, afterCheck, judging });
  let syncs: Awaited<ReturnType<typeof startSourceSyncs>> = null;
  const bot = createApp({
    config,
    store,
    judging,
    logger,
    now: () => new Date(),
    onWorkspaceChanged: (id) => scheduler.reschedule(id),
    checkNow: async (id) => void (await scheduler.runNow(id)),
    sourceKeys: sourceKeysOf(config),
    syncSources: async (id) => {
      if (!syncs) throw new ValidationError('Sources are not synced: TOKEN_ENCRYPTION_KEY is not set on the server running the bot.');
      return syncs.syncNow(id);
    },
    wakeOutbox: () => worker.wake(),
    identity: slack.identity,
    readiness: [migrationsProbe(store), ...(multi ? [tokensProbe(multi.installations)] : [])],
    ...(multi ? { multiWorkspace: multi } : {}),
    statusCanvas: { holder: DELIVERY_HOLDER, sources: storedSources({ store }) },
  });
  canvas.touch = (id) => bot.statusCanvas?.touch(id);
  const stopSweep = multi
    ? startRetentionSweep({ store, now: () => new Date(), retentionDays: multi.oauth.retentionDays, logger, installations: multi.installations })
    : () => undefined;
  try {
    const port = await bot.start();
    await scheduler.start();
    worker.start();
    watch.start();
    // Every SYNC_INTERVAL_MINUTES, each workspace's sources (docs/sources.md).
    syncs = await startSourceSyncs({
      config,
      store,
      logger,
      holder: DELIVERY_HOLDER,
      outbox: { afterRecording: async (workspaceId) => (worker.wake(), canvas.touch?.(workspaceId), null) },
      tellAdmins: (workspace, notice, why) => worker.tellAdmins(workspace, notice, why),
    });
    logger.info({ mode: config.slack.socketMode ? 'socket' : 'http', workspaces: multi ? 'many (OAuth)' : 'one', port }, 'Channel Keeper is running');
    deps.onListening?.(port);
    const stop = await Promise.race([stopSignal.then((signal) => ({ signal })), databaseFileLost(store, stopSignal).then((lost) => ({ lost }))]);
    if ('lost' in stop) {
      // Deleted or replaced under the bot: stop and exit 1, so a supervisor restarts it on the file now there.
      logger.error({ problem: stop.lost }, 'stopping: the database file is not the one opened');
      io.err(`channel-keeper serve: ${stop.lost}`);
      exitCode = 1;
    } else logger.info({ signal: stop.signal }, 'stopping');
  } finally {
    // Bounded (docs/command-line.md: exits within 30 s): work still in flight at the deadline (Slack not
    // answering a delivery) is left, and the process exits even if it holds sockets open.
    stopSweep();
    watch.stop();
    await syncs?.stop();
    const deadline = Date.now() + STOP_WAIT_MS;
    let left = false;
    const within = async (what: string, stop: () => Promise<void>) => {
      const outcome = await bounded(stop(), deadline - Date.now()).catch((e: unknown) => {
        logger.error({ err: (e as Error).message }, `${what} stop failed`);
        return 'done' as const;
      });
      if (outcome === 'timeout') {
        left = true;
        logger.warn({ part: what }, 'stopped without waiting for work still in flight (Slack not answering?)');
      }
    };
    await within('outbox worker', () => worker.stop());
    await within('scheduler', () => scheduler.stop());
    await within('bot', () => bot.stop());
    await within('metrics', () => metricsServer.close());
    await within('database', () => store.close());
    process.off('unhandledRejection', onRejection);
    if (left) setTimeout(() => process.exit(exitCode), EXIT_GRACE_MS).unref();
  }
  return exitCode;
}
