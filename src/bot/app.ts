/**
 * The Bolt app: Socket Mode when an app token is set, else HTTP on one path (`POST /slack/events`
 * for commands, interactivity and events) plus `GET /healthz` (alive), `GET /readyz` (ready to
 * serve: database, migrations, Slack) and `GET /metrics` (Prometheus). Listeners are registered by
 * surface; everything they need comes in `deps`.
 */
import type { Server } from 'node:http';
import { ErrorCode, retryPolicies, WebClient } from '@slack/web-api';
import { App, HTTPModuleFunctions, HTTPReceiver, LogLevel, SocketModeReceiver, type CustomRoute, type Logger as BoltLogger } from '@slack/bolt';

import type { Config, SlackConfig } from '../config';
import { requireSlack } from '../config';
import { scrubSecrets, type Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Store } from '../services/deps';
import { databaseReachable } from '../services/workspace';
import { register as registerActions } from './actions';
import type { ServiceDeps } from '../services/deps';
import { registerSources } from './sources-page';
import { calendarRoute } from './calendar-route';
import { register as registerCommands } from './commands';
import type { BotDeps } from './deps';
import { EvaluationCache } from './evaluation-cache';
import { register as registerEvents } from './events';
import { identityGate, Installation, isStampedInTheFuture, namesNobody, NO_USER, type AskerContext, type KeeperApp } from './identity';
import { register as registerViews } from './views';
import { createMultiWorkspace, type MultiWorkspace } from './oauth/index';
import { databaseInstallationStore, databaseStateStore } from './oauth/installation-store';
import { INSTALL_PATH, REDIRECT_PATH } from './oauth/pages';
import { installPathOptions, InstallRateLimit } from './oauth/install-limit';
import { BOT_SCOPES } from './oauth/scopes';
import { callbackOptions, installPage } from './oauth/pages';
import { registerUninstall } from './oauth/uninstall';

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
  /** See ServiceDeps.sourceKeys (an admin sets a connection's introspection token from its card). */
  sourceKeys?: ServiceDeps['sourceKeys'];
  /** See ServiceDeps.syncSources ("Sync now" in `/channels sources`). */
  syncSources?: (workspaceId: string) => Promise<import('../services/sync-report').SyncReport>;
  /** See BotDeps.wakeOutbox. */
  wakeOutbox?: () => void;
  /**
   * Who the bot is, as `verifySlackToken` found: Bolt then does not check the token itself when the
   * app is built (its own check fails later as an unhandled rejection, after "running").
   */
  identity?: BotIdentity;
  /** Served as GET /metrics when given. */
  metrics?: Pick<Metrics, 'text' | 'contentType'>;
  /** Asked by GET /readyz after the database and before Slack. */
  readiness?: ReadinessProbe[];
  /** Multi-workspace mode's installations and tokens (serve shares them with the delivery); made from config when absent. */
  multiWorkspace?: MultiWorkspace;
}

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

export type TokenCheck =
  | { ok: true; identity: BotIdentity }
  /** `permanent`: the token is wrong (exit 2); otherwise Slack could not be reached (retry). */
  | { ok: false; permanent: boolean; reason: string };

const TOKEN_REFUSED: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'team_access_not_granted',
]);

/** Asks Slack who the bot token belongs to (auth.test), once, without the library's retries. */
export async function verifySlackToken(config: Config, timeoutMs = 10_000): Promise<TokenCheck> {
  const slack = requireSlack(config);
  const client = new WebClient(slack.botToken, {
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logLevel: LogLevel.ERROR,
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
  });
  try {
    const answer = await client.auth.test();
    return { ok: true, identity: { botId: answer.bot_id, botUserId: answer.user_id, teamId: answer.team_id } };
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string }; message?: string; statusCode?: number };
    if (e.code === ErrorCode.PlatformError && e.data?.error && TOKEN_REFUSED.has(e.data.error)) {
      return { ok: false, permanent: true, reason: `SLACK_BOT_TOKEN was refused by Slack (${e.data.error}): check the token, or reinstall the app` };
    }
    if (e.code === ErrorCode.HTTPError && e.statusCode === 401)
      return { ok: false, permanent: true, reason: 'SLACK_BOT_TOKEN was refused by Slack (HTTP 401)' };
    return { ok: false, permanent: false, reason: `Slack unreachable (${e.data?.error ?? e.message ?? 'unknown error'})` };
  }
}

export interface ChannelKeeperApp {
  app: KeeperApp;
  deps: BotDeps;
  /** Starts listening (HTTP: on `port`, default config.port; 0 picks a free one). Returns the HTTP port, or null in Socket Mode without a health server. */
  start(port?: number): Promise<number | null>;
  stop(): Promise<void>;
}

export function createApp({
  config,
  store,
  logger,
  now,
  onWorkspaceChanged,
  checkNow,
  syncSources,
  sourceKeys,
  wakeOutbox,
  identity,
  metrics,
  readiness = [],
  multiWorkspace,
}: AppOptions): ChannelKeeperApp {
  const slack = requireSlack(config);
  const multi = slack.oauth ? (multiWorkspace ?? createMultiWorkspace({ oauth: slack.oauth, store, logger, now, apiUrl: slack.apiUrl })) : null;
  // Multi-workspace mode: a workspace is served when it has an installation (Bolt's authorize checks it).
  const installation = multi ? { teamId: async () => null } : new Installation(() => app.client);
  const deps: BotDeps = {
    store,
    logger,
    now,
    defaultAlertChannel: config.alertChannel,
    onWorkspaceChanged,
    checkNow,
    syncSources,
    sourceKeys,
    wakeOutbox,
    slackApiUrl: slack.apiUrl ?? null,
    evaluations: new EvaluationCache(),
    installation,
  };
  const boltLogger = toBoltLogger(logger, [slack.signingSecret, slack.botToken, slack.appToken, slack.oauth?.clientSecret, slack.oauth?.stateSecret]);
  const healthRoute: CustomRoute = {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      databaseReachable(deps).then(
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
      databaseReachable(deps).then(
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
        // Multi-workspace mode has no one token to ask Slack about.
        for (const probe of [databaseProbe, ...readiness, ...(multi ? [] : [slackProbe])]) {
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
  const customRoutes = [healthRoute, readyRoute, calendarRoute(deps), ...(metricsRoute ? [metricsRoute] : [])];
  const receiver = slack.socketMode
    ? new SocketModeReceiver({
        appToken: slack.appToken!,
        logger: boltLogger,
        customRoutes,
        // SLACK_API_URL holds for the Socket Mode connection (apps.connections.open) as for the Web API.
        installerOptions: { port: config.port, ...(slack.apiUrl ? { clientOptions: { slackApiUrl: slack.apiUrl } } : {}) },
      })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret,
        endpoints: EVENTS_PATH,
        customRoutes,
        logger: boltLogger,
        ...(multi ? oauthOptions(multi, { store, logger, now, onInstalled: onWorkspaceChanged, apiUrl: slack.apiUrl }) : {}),
        processEventErrorHandler: async (args) => {
          if (args.response.headersSent || !namesNobody((args.request as { rawBody?: Buffer }).rawBody)) {
            return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
          }
          logger.info(NO_USER);
          args.response.writeHead(200).end();
          return true;
        },
      });
  if (receiver instanceof HTTPReceiver) refuseFutureStamps(receiver, logger);
  const verified = identity ? { tokenVerificationEnabled: false, botId: identity.botId, botUserId: identity.botUserId } : {};
  const app = new App<AskerContext>({
    ...(multi ? {} : { token: slack.botToken }),
    receiver,
    logger: boltLogger,
    clientOptions: clientOptions(slack),
    ...verified,
  });
  app.error(async (error) => {
    logger.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'unhandled error in a Slack listener');
  });
  app.use(identityGate(deps));
  registerCommands(app, deps);
  registerActions(app, deps);
  registerSources(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  if (multi) registerUninstall(app, deps, multi.installations);

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

/**
 * Bolt's OAuth (multi-workspace mode): GET /slack/install shows the install page and issues a
 * state kept in the database; GET /slack/oauth_redirect checks it (once), exchanges the code with
 * oauth.v2.access and stores the installation (tokens encrypted), then says what to do next.
 */
function oauthOptions(
  multi: MultiWorkspace,
  deps: { store: Store; logger: Logger; now: () => Date; onInstalled?: (workspaceId: string) => Promise<void>; apiUrl: string | null },
) {
  return {
    clientId: multi.oauth.clientId,
    clientSecret: multi.oauth.clientSecret,
    stateSecret: multi.oauth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: databaseInstallationStore({ ...deps, installations: multi.installations, tokens: multi.tokens }),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      stateStore: databaseStateStore({ installations: multi.installations, now: deps.now }),
      stateVerification: true,
      // Each install page stores an OAuth state: a few per client address and minute (429 past it).
      installPathOptions: installPathOptions(new InstallRateLimit(deps.now)),
      renderHtmlForInstallPath: installPage,
      callbackOptions,
      ...(deps.apiUrl ? { clientOptions: { slackApiUrl: deps.apiUrl } } : {}),
    },
  };
}

/** Requests stamped too far ahead are refused like stale ones (401), before Bolt reads them. */
function refuseFutureStamps(receiver: HTTPReceiver, logger: Logger): void {
  const listener = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    // eslint-disable-next-line no-restricted-syntax -- the wall clock Bolt checks signatures against, not the app's clock
    if (req.method === 'POST' && isStampedInTheFuture(req.headers['x-slack-request-timestamp'], Date.now())) {
      logger.warn('refused a request stamped more than five minutes in the future');
      res.writeHead(401).end();
      return;
    }
    listener(req, res);
  };
}

/**
 * Bolt logs through our pino logger, so its lines are JSON on stderr. Its messages are plain text
 * (at debug: request bodies with the client secret and the OAuth code), so they are scrubbed of
 * secrets at every level, `secrets` (the configured ones) included.
 */
function toBoltLogger(logger: Logger, secrets: readonly (string | null | undefined)[]): BoltLogger {
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) =>
      logger[method]({ source: 'bolt' }, scrubSecrets(messages.map(String).join(' '), secrets));
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
