/**
 * The Bolt app: Socket Mode when an app token is set, else HTTP on one path (`POST /slack/events`
 * for commands, interactivity and events) plus `GET /healthz` (alive), `GET /readyz` (ready to
 * serve: database, migrations, stored tokens; Slack's reachability reported, never failing it),
 * the calendar feeds and `GET /hootsuite/oauth/callback` ("Connect Hootsuite"). `/metrics` is not here: it has a port of its own (src/cli/metrics-server.ts).
 * Listeners are registered by surface; everything they need comes in `deps`.
 */
import type { Server } from 'node:http';
import { ErrorCode, retryPolicies, WebClient } from '@slack/web-api';
import {
  App,
  HTTPModuleFunctions,
  type AnyMiddlewareArgs,
  type Middleware,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  type CustomRoute,
  type Logger as BoltLogger,
} from '@slack/bolt';

import type { Config, SlackConfig } from '../config';
import { requireSlack } from '../config';
import { scrubSecrets, type Logger } from '../logger';
import type { Store } from '../services/deps';
import { databaseReachable } from '../services/workspace';
import { JudgingQueue } from '../services/judging';
import { register as registerActions } from './actions';
import type { ServiceDeps } from '../services/deps';
import { registerSources } from './sources-page';
import { hootsuiteCallbackRoute, registerHootsuiteConnect } from './hootsuite-connect';
import { HootsuiteConnect } from '../services/hootsuite-connect';
import { calendarRoute } from './calendar-route';
import { register as registerCommands } from './commands';
import type { BotDeps } from './deps';
import { EvaluationCache } from './evaluation-cache';
import { register as registerEvents } from './events';
import { identityGate, Installation, isStampedInTheFuture, namesNobody, NO_USER, type AskerContext, type KeeperApp } from './identity';
import { register as registerViews } from './views';
import { createMultiWorkspace, type MultiWorkspace } from './oauth/index';
import { databaseInstallationStore, databaseStateStore } from './oauth/installation-store';
import { installPathOptions, InstallRateLimit } from './oauth/install-limit';
import { BOT_SCOPES } from './oauth/scopes';
import { answerInstallPathFailures, callbackOptions, INSTALL_PATH, installPage, REDIRECT_PATH, type PageLinks } from './oauth/pages';
import { registerUninstall } from './oauth/uninstall';
import { listen, routesServer } from './socket-http';
import { StatusCanvasKeeper } from '../outbox/status-canvas';
import type { StatusSources } from '../services/status-canvas';
import { canvasPorts } from './delivery/canvas-port';
import { registerWorkflowSteps } from './workflow-steps';

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
/** How long /readyz reuses Slack's answer to auth.test: a success, and (shorter) a failure. */
export const SLACK_CHECK_OK_TTL_MS = 60_000;
export const SLACK_CHECK_FAILED_TTL_MS = 15_000;
/** How long /readyz waits for Slack's auth.test (no retries: a probe must answer). */
const SLACK_CHECK_TIMEOUT_MS = 5_000;

/** One thing `/readyz` asks besides the database (migrations applied, stored tokens readable). */
export interface ReadinessProbe {
  name: string;
  /** Null when ready; otherwise why not, in a few words. */
  check(): Promise<string | null>;
}

/**
 * Slack's answer to auth.test, kept for a while whatever it was, and one call at a time: however
 * often load balancers probe, Slack is asked at most once per TTL.
 */
export class CachedSlackCheck {
  private last: { problem: string | null; until: number } | null = null;
  private asking: Promise<string | null> | null = null;

  constructor(
    private readonly ask: () => Promise<string | null>,
    private readonly now: () => Date,
  ) {}

  check(): Promise<string | null> {
    if (this.last && this.now().getTime() < this.last.until) return Promise.resolve(this.last.problem);
    this.asking ??= this.ask()
      .catch((error: Error) => `Slack could not be asked (${error.message})`)
      .then((problem) => {
        this.last = { problem, until: this.now().getTime() + (problem ? SLACK_CHECK_FAILED_TTL_MS : SLACK_CHECK_OK_TTL_MS) };
        return problem;
      })
      .finally(() => (this.asking = null));
    return this.asking;
  }
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
  /** Shared with the scheduler (serve); an app of its own otherwise. */
  judging?: JudgingQueue;
  /**
   * Who the bot is, as `verifySlackToken` found: Bolt then does not check the token itself when the
   * app is built (its own check fails later as an unhandled rejection, after "running").
   */
  identity?: BotIdentity;
  /** Asked by GET /readyz after the database, in order. */
  readiness?: ReadinessProbe[];
  /** Multi-workspace mode's installations and tokens (serve shares them with the delivery); made from config when absent. */
  multiWorkspace?: MultiWorkspace;
  /** Keeps the alert channels' status canvas (docs/workflows.md) when given; `holder` names this replica in its claims. */
  statusCanvas?: { holder: string; sources?: StatusSources; settleMs?: number; editIntervalMs?: number };
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

/** Where PORT listens: HOST, else every interface over HTTP (undefined) and loopback in Socket Mode. */
export function slackPortHost(config: Config): string | undefined {
  return config.host ?? (config.slack.socketMode ? '127.0.0.1' : undefined);
}

/** Whether Slack's Web API answers at all (api.test needs no token), once, without retries. */
async function slackReachable(slack: SlackConfig, timeoutMs: number): Promise<string | null> {
  const client = new WebClient(undefined, {
    retryConfig: { retries: 0 },
    timeout: timeoutMs,
    logLevel: LogLevel.ERROR,
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
  });
  try {
    await client.api.test();
    return null;
  } catch (error) {
    const e = error as { data?: { error?: string }; message?: string };
    return `Slack unreachable (${e.data?.error ?? e.message ?? 'unknown error'})`;
  }
}

export interface ChannelKeeperApp {
  app: KeeperApp;
  deps: BotDeps;
  /** The status canvas keeper (null unless `statusCanvas` was given): `touch` it after a change the bot did not see. */
  statusCanvas: StatusCanvasKeeper | null;
  /** Starts listening on `port` (default config.port; 0 picks a free one) at HOST. Returns the port. */
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
  judging = new JudgingQueue(),
  identity,
  readiness = [],
  multiWorkspace,
  statusCanvas: canvasOptions,
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
    judging,
    installation,
    publicUrl: config.publicUrl ?? null,
    hootsuiteConnect: new HootsuiteConnect({
      apiUrl: config.sources?.hootsuiteUrl ?? 'https://platform.hootsuite.com',
      oauth: config.sources?.hootsuiteOAuth ?? null,
      publicUrl: config.publicUrl ?? null,
      keys: sourceKeys ?? null,
    }),
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
  // Multi-workspace mode has no one token to show Slack: whether Slack answers at all (api.test).
  const slackCheck = new CachedSlackCheck(
    multi
      ? () => slackReachable(slack, SLACK_CHECK_TIMEOUT_MS)
      : async () => {
          const answer = await verifySlackToken(config, SLACK_CHECK_TIMEOUT_MS);
          return answer.ok ? null : answer.reason;
        },
    now,
  );
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
        for (const probe of [databaseProbe, ...readiness]) {
          const problem = ready
            ? await probe.check().catch((error: Error) => {
                // The answer may be public (HTTP mode): the details go to the log only.
                logger.error({ probe: probe.name, err: { message: error.message } }, 'a readiness check failed');
                return 'check failed (see the log)';
              })
            : 'not checked';
          checks[probe.name] = problem ?? 'ok';
          if (problem) ready = false;
        }
        // Slack is reported, never a reason to be unready: an outage of Slack would take every replica out.
        const slackProblem = await slackCheck.check();
        checks.slack = slackProblem ? `degraded: ${slackProblem}` : 'ok';
        const status = !ready ? 'unready' : slackProblem ? 'degraded' : 'ready';
        res
          .writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ ok: ready, status, checks }));
      })();
    },
  };
  // The admin's DM after connecting Hootsuite goes through the workspace's own token.
  const slackFor = (workspaceId: string) => (multi ? multi.clients.forWorkspace(workspaceId) : app.client);
  const customRoutes = [healthRoute, readyRoute, calendarRoute(deps), hootsuiteCallbackRoute({ deps, links: pageLinks(config), slackFor })];
  // Socket Mode: the routes on a server of our own, which listens where HOST says (loopback by default).
  const socketHttp = slack.socketMode ? routesServer(customRoutes) : null;
  const receiver = slack.socketMode
    ? new SocketModeReceiver({
        appToken: slack.appToken!,
        logger: boltLogger,
        // SLACK_API_URL holds for the Socket Mode connection (apps.connections.open) as for the Web API.
        ...(slack.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } } } : {}),
      })
    : new HTTPReceiver({
        signingSecret: slack.signingSecret,
        endpoints: EVENTS_PATH,
        customRoutes,
        logger: boltLogger,
        ...(multi ? oauthOptions(multi, { store, logger, now, onInstalled: onWorkspaceChanged, apiUrl: slack.apiUrl, links: pageLinks(config) }) : {}),
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
  if (receiver instanceof HTTPReceiver && receiver.installer) answerInstallPathFailures(receiver.installer, pageLinks(config));
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
  const statusCanvas = canvasOptions
    ? new StatusCanvasKeeper({
        ...canvasOptions,
        store,
        logger,
        now,
        judging,
        ports: canvasPorts(multi ? { clients: multi.clients } : { client: app.client }),
        alertChannelFallback: config.alertChannel,
      })
    : null;
  if (statusCanvas) app.use(touchAfterChanges(statusCanvas));
  registerCommands(app, deps);
  registerActions(app, deps);
  registerSources(app, deps);
  registerHootsuiteConnect(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  if (multi) registerUninstall(app, deps, multi.installations);
  registerWorkflowSteps(app, deps);

  let server: Server | null = null;
  return {
    app,
    deps,
    statusCanvas,
    async start(port = config.port) {
      if (socketHttp) {
        const listening = await listen(socketHttp, port, slackPortHost(config));
        await app.start();
        return listening;
      }
      const host = slackPortHost(config);
      server = (await app.start({ port, ...(host ? { host } : {}) })) as Server;
      const address = server.address();
      return typeof address === 'object' && address ? address.port : port;
    },
    async stop() {
      await statusCanvas?.stop();
      if (socketHttp?.listening) {
        await new Promise<void>((resolve) => {
          socketHttp.close(() => resolve());
          socketHttp.closeAllConnections();
        });
      }
      await app.stop();
    },
  };
}

/** Requests that never change what the canvas shows: opening App Home, a menu's options, a closed form. */
const LOOKS_ONLY: ReadonlySet<string> = new Set(['app_home_opened', 'block_suggestion', 'view_closed']);

/**
 * After a request was handled, the workspace's status canvas is looked at (debounced there): a
 * command, a button, a form, a workflow step or an event may have changed a channel.
 */
function touchAfterChanges(keeper: StatusCanvasKeeper): Middleware<AnyMiddlewareArgs, AskerContext> {
  return async ({ body, next }) => {
    await next();
    const b = body as { type?: string; team_id?: string; team?: { id?: string }; event?: { type?: string } };
    const kind = b.event?.type ?? b.type ?? '';
    const teamId = b.team_id ?? b.team?.id;
    if (teamId && !LOOKS_ONLY.has(kind)) keeper.touch(teamId);
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
  deps: { store: Store; logger: Logger; now: () => Date; onInstalled?: (workspaceId: string) => Promise<void>; apiUrl: string | null; links: PageLinks },
) {
  const { links } = deps;
  return {
    // With PUBLIC_URL, the authorize link names the redirect (it must be one of the app's Redirect URLs).
    ...(links.baseUrl ? { redirectUri: `${links.baseUrl}${REDIRECT_PATH}` } : {}),
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
      installPathOptions: installPathOptions(new InstallRateLimit(deps.now), links),
      renderHtmlForInstallPath: (url: string) => installPage(links, url),
      callbackOptions: callbackOptions(links),
      ...(deps.apiUrl ? { clientOptions: { slackApiUrl: deps.apiUrl } } : {}),
    },
  };
}

/** What the install pages link to besides Slack. */
function pageLinks(config: Config): PageLinks {
  // PUBLIC_URL when set; else relative links to the install page, on whatever address the person used.
  return { baseUrl: config.publicUrl ?? null, privacyUrl: config.privacyUrl ?? null, supportUrl: config.supportUrl ?? null };
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
