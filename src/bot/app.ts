/**
 * The Bolt app: Socket Mode when an app token is set, else HTTP on one path (`POST /slack/events`
 * for commands, interactivity and events) plus `GET /healthz` (alive), `GET /readyz` (ready to
 * serve: database, migrations, Slack) and `GET /metrics` (Prometheus). Listeners are registered by
 * surface; everything they need comes in `deps`.
 */
import type { Server } from 'node:http';
import { retryPolicies } from '@slack/web-api';
import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';

import type { Config, SlackConfig } from '../config';
import { requireSlack } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Store } from '../store';
import { register as registerActions } from './actions';
import { register as registerCommands } from './commands';
import type { BotDeps } from './deps';
import { ReportCache } from './health-report';
import { register as registerEvents } from './events';
import { register as registerViews } from './views';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';
/** How long a successful Slack auth.test counts for /readyz (failures are asked again at once). */
export const SLACK_AUTH_TTL_MS = 60_000;

/** One thing `/readyz` asks besides the database and Slack (e.g. migrations applied). */
export interface ReadinessProbe {
  name: string;
  /** Null when ready; otherwise why not, in a few words. */
  check(): Promise<string | null>;
}

export interface AppOptions {
  config: Config;
  store: Store;
  logger: Logger;
  /** The clock every listener and service reads (rules never call `new Date()` themselves). */
  now: () => Date;
  /** See BotDeps.onWorkspaceChanged (the scheduler's seam). */
  onWorkspaceChanged?: (workspaceId: string) => Promise<void>;
  /** See BotDeps.checkNow. */
  checkNow?: (workspaceId: string) => Promise<void>;
  /** Served as GET /metrics when given. */
  metrics?: Pick<Metrics, 'text' | 'contentType'>;
  /** Asked by GET /readyz after the database and before Slack. */
  readiness?: ReadinessProbe[];
}

export interface ChannelKeeperApp {
  app: App;
  deps: BotDeps;
  /** Starts listening (HTTP: on `port`, default config.port; 0 picks a free one). Returns the HTTP port, or null in Socket Mode without a health server. */
  start(port?: number): Promise<number | null>;
  stop(): Promise<void>;
}

export function createApp({ config, store, logger, now, onWorkspaceChanged, checkNow, metrics, readiness = [] }: AppOptions): ChannelKeeperApp {
  const slack = requireSlack(config);
  const deps: BotDeps = { store, logger, now, defaultAlertChannel: config.alertChannel, onWorkspaceChanged, checkNow, reports: new ReportCache() };
  const boltLogger = toBoltLogger(logger);
  const healthRoute: CustomRoute = {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      store.ping().then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true })),
        () => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'database unreachable' })),
      );
    },
  };
  // Slack's auth.test, remembered while it succeeds so a load balancer's polling does not hammer Slack.
  const slackAuth = { okUntil: 0 };
  const slackProbe: ReadinessProbe = {
    name: 'slack',
    async check() {
      if (now().getTime() < slackAuth.okUntil) return null;
      try {
        await app.client.auth.test();
        slackAuth.okUntil = now().getTime() + SLACK_AUTH_TTL_MS;
        return null;
      } catch (error) {
        const e = error as { data?: { error?: string }; code?: string };
        return `Slack auth.test failed: ${e.data?.error ?? e.code ?? 'unreachable'}`;
      }
    },
  };
  const databaseProbe: ReadinessProbe = {
    name: 'database',
    check: () =>
      store.ping().then(
        () => null,
        () => 'database unreachable',
      ),
  };
  const readyRoute: CustomRoute = {
    path: READY_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      void (async () => {
        const checks: Record<string, string> = {};
        let ready = true;
        // In order, stopping at the first failure: no migration check against an unreachable database.
        for (const probe of [databaseProbe, ...readiness, slackProbe]) {
          const problem = ready ? await probe.check().catch((e: Error) => e.message) : 'not checked';
          checks[probe.name] = problem ?? 'ok';
          if (problem) ready = false;
        }
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: ready, checks }));
      })();
    },
  };
  const metricsRoute: CustomRoute | null = metrics
    ? {
        path: METRICS_PATH,
        method: ['GET'],
        handler: (_req, res) => {
          metrics.text().then(
            (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
            (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
          );
        },
      }
    : null;
  const customRoutes = [healthRoute, readyRoute, ...(metricsRoute ? [metricsRoute] : [])];
  const receiver = slack.socketMode
    ? new SocketModeReceiver({ appToken: slack.appToken!, logger: boltLogger, customRoutes, installerOptions: { port: config.port } })
    : new HTTPReceiver({ signingSecret: slack.signingSecret, endpoints: EVENTS_PATH, customRoutes, logger: boltLogger });
  const app = new App({ token: slack.botToken, receiver, logger: boltLogger, clientOptions: clientOptions(slack) });
  app.error(async (error) => {
    logger.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'unhandled error in a Slack listener');
  });
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);

  let server: Server | null = null;
  return {
    app,
    deps,
    async start(port = config.port) {
      if (slack.socketMode) {
        await app.start(port);
        return null;
      }
      server = (await app.start(port)) as Server;
      const address = server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async stop() {
      await app.stop();
    },
  };
}

/**
 * Interactive answers are worthless half an hour later: retry network failures for minutes, not
 * Bolt's default 30 (which also keeps a stopping process alive while Slack is unreachable).
 */
function clientOptions(slack: SlackConfig) {
  return { retryConfig: retryPolicies.fiveRetriesInFiveMinutes, ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}) };
}

/** Bolt logs through our pino logger, so its lines are JSON on stderr and secrets stay redacted. */
function toBoltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) =>
      logger[method]({ source: 'bolt' }, messages.map(String).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next: LogLevel) => void (level = next),
    getLevel: () => level,
    setName: () => undefined,
  };
}
