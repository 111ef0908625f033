/**
 * The environment, read and checked per command (docs/architecture.md, "Interfaces that must stay
 * stable"): a command checks only the variables it uses, so a bad `PORT` never stops `migrate`.
 * Slack credentials are optional here: commands that need them check with `requireSlack`.
 * `CONFIG_VARIABLES` is the list the "Configuration" table of docs/operations.md and `.env.example`
 * follow (a test compares them).
 */
import { isChannelId, urlProblem } from './domain';
import { ConfigError } from './errors';
import { DEFAULT_DATABASE_URL, DatabaseTarget, parseDatabaseUrl } from './store/database-url';

/** Multi-workspace mode (Slack OAuth distribution): set when SLACK_CLIENT_ID, _SECRET and SLACK_STATE_SECRET are. */
export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** TOKEN_ENCRYPTION_KEY, decoded: 32 bytes. */
  encryptionKey: Buffer;
  /** TOKEN_ENCRYPTION_KEY_PREVIOUS, decoded: tokens written under it are still read (and rewritten). */
  previousEncryptionKey: Buffer | null;
  /**
   * TOKEN_ENCRYPTION_KEY_NEXT, decoded: the key a rotation moves to, read but never written, so
   * this replica reads what replicas already running the new key write (docs/operations.md "Rotating
   * the encryption key").
   */
  nextEncryptionKey?: Buffer | null;
  /** UNINSTALL_RETENTION_DAYS: how long an uninstalled workspace's data is kept for a reinstall. */
  retentionDays: number;
}

export interface SlackConfig {
  /** The one workspace's bot token; empty in multi-workspace mode (each installation has its own). */
  botToken: string;
  signingSecret: string;
  appToken: string | null;
  socketMode: boolean;
  apiUrl: string | null;
  oauth: OAuthConfig | null;
}

export type LogFormat = 'json' | 'pretty';

export interface Config {
  database: DatabaseTarget;
  slack: Partial<Omit<SlackConfig, 'oauth'>> & {
    socketMode: boolean;
    apiUrl: string | null;
    oauth?: Partial<Omit<OAuthConfig, 'encryptionKey' | 'previousEncryptionKey' | 'nextEncryptionKey'>> & {
      encryptionKey?: string | null;
      previousEncryptionKey?: string | null;
      nextEncryptionKey?: string | null;
    };
  };
  alertChannel: string | null;
  port: number;
  /**
   * HOST: the address `PORT` listens on. Null: every interface over HTTP (Slack must reach it),
   * loopback in Socket Mode (only probes and, behind a local proxy, calendar feeds use it).
   */
  host?: string | null;
  /** METRICS_PORT: `GET /metrics` has a port of its own, never the Slack one (0: any free port). */
  metricsPort?: number;
  /** METRICS_HOST; null: loopback, or every interface when METRICS_TOKEN protects it. */
  metricsHost?: string | null;
  /** METRICS_TOKEN: the bearer token `GET /metrics` asks for (none: open to whoever reaches the port). */
  metricsToken?: string | null;
  /** PUBLIC_URL: the bot's public https address, no trailing slash (may end in a path prefix). */
  publicUrl?: string | null;
  logLevel: string;
  /** Whether LOG_LEVEL was set: the command line then shows every log line at that level. */
  logLevelSet?: boolean;
  /** LOG_FORMAT; null: pretty on a terminal, JSON otherwise. */
  logFormat?: LogFormat | null;
  /** OUTBOX_INTERVAL_MS: how often `serve`'s outbox worker looks for due warnings (default 5 s). */
  outboxIntervalMs?: number;
  /**
   * OUTBOX_GROUP_INTERVAL_MS: after an alert channel got a warnings message, what comes later waits
   * this long after it and then goes out as one message (default 5 minutes; 0: at once).
   */
  groupIntervalMs?: number;
  /** HEARTBEAT_URL: a dead man's switch (healthchecks.io convention) `serve` pings; may hold a secret token. */
  heartbeatUrl?: string | null;
  /** PRIVACY_URL and SUPPORT_URL: linked from the install pages (multi-workspace mode). */
  privacyUrl?: string | null;
  supportUrl?: string | null;
  /** The sources' API addresses and Hootsuite's OAuth client (docs/sources.md). */
  sources?: SourcesConfig;
}

export interface SourcesConfig {
  hootsuiteUrl: string;
  bufferUrl: string;
  linkedinUrl: string;
  metaUrl: string;
  /** HOOTSUITE_CLIENT_ID and _SECRET: tokens are refreshed, and Slack offers "Connect Hootsuite". */
  hootsuiteOAuth: { clientId: string; clientSecret: string } | null;
  /** SYNC_INTERVAL_MINUTES: how often `serve` syncs each workspace's sources. */
  syncIntervalMinutes: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const satisfies readonly LogFormat[];
export const BOOLEANS = ['true', 'false'] as const;
/** The port OpenTelemetry's Prometheus exporter uses: free of the usual exporters'. */
export const DEFAULT_METRICS_PORT = 9464;
/** Alertmanager's group_interval: five minutes. */
const DEFAULT_GROUP_INTERVAL_MS = 300_000;
export const SLACK_SETUP_HINT = 'see "Create the Slack app" in README.md';

export interface ConfigVariable {
  name: string;
  /** As the Configuration table shows it ("—" when unset by default). */
  default: string;
  /** The only values accepted, for a variable with a fixed set. */
  values?: readonly string[];
}

export const CONFIG_VARIABLES = [
  { name: 'DATABASE_URL', default: `\`${DEFAULT_DATABASE_URL}\`` },
  { name: 'SLACK_BOT_TOKEN', default: '—' },
  { name: 'SLACK_SIGNING_SECRET', default: '—' },
  { name: 'SLACK_APP_TOKEN', default: '—' },
  { name: 'SLACK_SOCKET_MODE', default: '`true` when `SLACK_APP_TOKEN` is set', values: BOOLEANS },
  { name: 'PORT', default: '`3000`' },
  { name: 'HOST', default: 'every interface; `127.0.0.1` in Socket Mode' },
  { name: 'PUBLIC_URL', default: '—' },
  { name: 'METRICS_PORT', default: '`9464`' },
  { name: 'METRICS_HOST', default: '`127.0.0.1`; every interface when `METRICS_TOKEN` is set' },
  { name: 'METRICS_TOKEN', default: '—' },
  { name: 'SLACK_API_URL', default: "Slack's own" },
  { name: 'SLACK_CLIENT_ID', default: '—' },
  { name: 'SLACK_CLIENT_SECRET', default: '—' },
  { name: 'SLACK_STATE_SECRET', default: '—' },
  { name: 'TOKEN_ENCRYPTION_KEY', default: '—' },
  { name: 'TOKEN_ENCRYPTION_KEY_PREVIOUS', default: '—' },
  { name: 'TOKEN_ENCRYPTION_KEY_NEXT', default: '—' },
  { name: 'UNINSTALL_RETENTION_DAYS', default: '`30`' },
  { name: 'PRIVACY_URL', default: '—' },
  { name: 'SUPPORT_URL', default: '—' },
  { name: 'SLACK_ALERT_CHANNEL', default: '—' },
  { name: 'OUTBOX_INTERVAL_MS', default: '`5000`' },
  { name: 'OUTBOX_GROUP_INTERVAL_MS', default: '`300000`' },
  { name: 'HEARTBEAT_URL', default: '—' },
  { name: 'HOOTSUITE_API_URL', default: '`https://platform.hootsuite.com`' },
  { name: 'HOOTSUITE_CLIENT_ID', default: '—' },
  { name: 'HOOTSUITE_CLIENT_SECRET', default: '—' },
  { name: 'BUFFER_API_URL', default: '`https://api.buffer.com`' },
  { name: 'LINKEDIN_API_URL', default: '`https://www.linkedin.com`' },
  { name: 'META_GRAPH_URL', default: '`https://graph.facebook.com`' },
  { name: 'SYNC_INTERVAL_MINUTES', default: '`15`' },
  { name: 'LOG_LEVEL', default: '`info`', values: LOG_LEVELS },
  { name: 'LOG_FORMAT', default: 'pretty on a terminal, else `json`', values: LOG_FORMATS },
] as const satisfies readonly ConfigVariable[];

export type ConfigVariableName = (typeof CONFIG_VARIABLES)[number]['name'];

export const ALL_VARIABLES: readonly ConfigVariableName[] = CONFIG_VARIABLES.map((v) => v.name);
export const LOG_VARIABLES: readonly ConfigVariableName[] = ['LOG_LEVEL', 'LOG_FORMAT'];
/** What a command that only works on the database reads. */
export const DATABASE_VARIABLES: readonly ConfigVariableName[] = ['DATABASE_URL', ...LOG_VARIABLES];
/** What a command that posts to Slack reads beside its own (`check`, `sync`: src/cli/outbox-drain.ts). */
export const DELIVERY_VARIABLES: readonly ConfigVariableName[] = ['SLACK_BOT_TOKEN', 'SLACK_API_URL', 'SLACK_ALERT_CHANNEL'];
/** What the source commands read: the database, the encryption keys and the sources' addresses. */
export const SOURCE_VARIABLES: readonly ConfigVariableName[] = [
  ...DATABASE_VARIABLES,
  'TOKEN_ENCRYPTION_KEY',
  'TOKEN_ENCRYPTION_KEY_PREVIOUS',
  'TOKEN_ENCRYPTION_KEY_NEXT',
  'HOOTSUITE_API_URL',
  'HOOTSUITE_CLIENT_ID',
  'HOOTSUITE_CLIENT_SECRET',
  'BUFFER_API_URL',
  'LINKEDIN_API_URL',
  'META_GRAPH_URL',
  'SYNC_INTERVAL_MINUTES',
];

/**
 * Reads the environment. `uses` names the variables the caller needs: only those are checked (the
 * others are left at their defaults, unread). Default: every variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), uses: readonly ConfigVariableName[] = ALL_VARIABLES): Config {
  const used = (name: ConfigVariableName): string | null => (uses.includes(name) ? blankToNull(env[name]) : null);
  const database = parseDatabaseUrl(uses.includes('DATABASE_URL') ? env.DATABASE_URL : undefined, cwd);
  const appToken = used('SLACK_APP_TOKEN');
  const socketModeFlag = oneOf('SLACK_SOCKET_MODE', used('SLACK_SOCKET_MODE'), BOOLEANS);
  const port = portNumber('PORT', used('PORT') ?? '3000');
  const metricsPort = portNumber('METRICS_PORT', used('METRICS_PORT') ?? String(DEFAULT_METRICS_PORT));
  const host = hostName('HOST', used('HOST'));
  const metricsHost = hostName('METRICS_HOST', used('METRICS_HOST'));
  const metricsToken = used('METRICS_TOKEN');
  // A secret: the message names the rule, never the value.
  if (metricsToken && !/^[\x21-\x7e]{16,}$/.test(metricsToken))
    throw new ConfigError('METRICS_TOKEN must be at least 16 printable characters without spaces (openssl rand -hex 32)');
  const publicUrl = publicAddress(used('PUBLIC_URL'));
  const levelText = used('LOG_LEVEL');
  const logLevel = oneOf('LOG_LEVEL', levelText, LOG_LEVELS) ?? 'info';
  const logFormat = oneOf('LOG_FORMAT', used('LOG_FORMAT'), LOG_FORMATS);
  const apiUrl = used('SLACK_API_URL');
  if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl)) throw new ConfigError(`SLACK_API_URL must be an http(s) URL; got "${apiUrl}"`);
  const intervalText = used('OUTBOX_INTERVAL_MS');
  const outboxIntervalMs = intervalText === null ? 5000 : Number(intervalText);
  if (!/^\d+$/.test(intervalText ?? '5000') || outboxIntervalMs < 100) {
    throw new ConfigError(`OUTBOX_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${intervalText}"`);
  }
  const groupText = used('OUTBOX_GROUP_INTERVAL_MS');
  if (groupText !== null && !/^\d+$/.test(groupText))
    throw new ConfigError(`OUTBOX_GROUP_INTERVAL_MS must be a whole number of milliseconds (0: no grouping window); got "${groupText}"`);
  const groupIntervalMs = groupText === null ? DEFAULT_GROUP_INTERVAL_MS : Number(groupText);
  const retentionText = used('UNINSTALL_RETENTION_DAYS');
  if (retentionText !== null && !/^\d+$/.test(retentionText))
    throw new ConfigError(`UNINSTALL_RETENTION_DAYS must be a whole number of days; got "${retentionText}"`);
  const heartbeatUrl = used('HEARTBEAT_URL');
  // Its path may be a secret token: the message names the rule, not the value.
  if (heartbeatUrl && !/^https?:\/\/[^\s]+$/.test(heartbeatUrl)) throw new ConfigError('HEARTBEAT_URL must be an http(s) URL');
  const privacyUrl = pageUrl('PRIVACY_URL', used('PRIVACY_URL'));
  const supportUrl = pageUrl('SUPPORT_URL', used('SUPPORT_URL'));
  const alertChannel = used('SLACK_ALERT_CHANNEL');
  if (alertChannel && !isChannelId(alertChannel)) {
    throw new ConfigError(`SLACK_ALERT_CHANNEL must be a channel id such as C0123456789 (not a #name); got "${alertChannel}"`);
  }
  return {
    database,
    sources: readSources(used),
    slack: {
      botToken: used('SLACK_BOT_TOKEN') ?? undefined,
      signingSecret: used('SLACK_SIGNING_SECRET') ?? undefined,
      appToken,
      socketMode: socketModeFlag ? socketModeFlag === 'true' : appToken !== null,
      apiUrl: apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : null,
      oauth: {
        clientId: used('SLACK_CLIENT_ID') ?? undefined,
        clientSecret: used('SLACK_CLIENT_SECRET') ?? undefined,
        stateSecret: used('SLACK_STATE_SECRET') ?? undefined,
        encryptionKey: used('TOKEN_ENCRYPTION_KEY'),
        previousEncryptionKey: used('TOKEN_ENCRYPTION_KEY_PREVIOUS'),
        nextEncryptionKey: used('TOKEN_ENCRYPTION_KEY_NEXT'),
        retentionDays: retentionText === null ? 30 : Number(retentionText),
      },
    },
    alertChannel,
    port,
    host,
    metricsPort,
    metricsHost,
    metricsToken,
    publicUrl,
    outboxIntervalMs,
    groupIntervalMs,
    heartbeatUrl,
    privacyUrl,
    supportUrl,
    logLevel,
    logLevelSet: levelText !== null,
    logFormat,
  };
}

function portNumber(name: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) throw new ConfigError(`${name} must be a port number (0-65535); got "${text}"`);
  return port;
}

/** An address to listen on: an IPv4 or IPv6 address, or a host name (`localhost`). */
function hostName(name: string, text: string | null): string | null {
  if (text === null) return null;
  if (!/^[A-Za-z0-9.:-]+$/.test(text)) throw new ConfigError(`${name} must be an address to listen on, like 127.0.0.1, 0.0.0.0 or ::; got "${text}"`);
  return text;
}

const PUBLIC_URL_RULE = 'PUBLIC_URL must be the https address people and Slack reach the bot at, like https://keeper.example.com or https://example.com/keeper';

/**
 * PUBLIC_URL, checked and without a trailing slash. A path prefix is kept (a proxy serving the
 * bot under `/keeper` strips it before the bot sees the request); a query or fragment is not.
 */
function publicAddress(text: string | null): string | null {
  if (text === null) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${PUBLIC_URL_RULE}; got "${text}"`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`${PUBLIC_URL_RULE} (calendars and Slack need https); got "${text}"`);
  if (url.username || url.password || url.search || url.hash || text.includes('?') || text.includes('#'))
    throw new ConfigError(`${PUBLIC_URL_RULE}, without a user, query or fragment; got "${url.origin}${url.pathname}…"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A page address shown to people (the install pages' links): the same rule as a channel's page address. */
function pageUrl(name: string, value: string | null): string | null {
  const problem = value === null ? null : urlProblem(value);
  if (problem) throw new ConfigError(`${name}: ${problem}`);
  return value;
}

function readSources(used: (name: ConfigVariableName) => string | null): SourcesConfig {
  const url = (name: ConfigVariableName, fallback: string): string => {
    const value = used(name) ?? fallback;
    if (!/^https?:\/\/[^\s]+$/.test(value)) throw new ConfigError(`${name} must be an http(s) URL; got "${value}"`);
    return value.replace(/\/+$/, '');
  };
  const clientId = used('HOOTSUITE_CLIENT_ID');
  const clientSecret = used('HOOTSUITE_CLIENT_SECRET');
  if (Boolean(clientId) !== Boolean(clientSecret)) throw new ConfigError('set both HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET, or neither');
  const intervalText = used('SYNC_INTERVAL_MINUTES');
  if (intervalText !== null && (!/^\d+$/.test(intervalText) || Number(intervalText) < 1 || Number(intervalText) > 1440)) {
    throw new ConfigError(`SYNC_INTERVAL_MINUTES must be a whole number of minutes from 1 to 1440; got "${intervalText}"`);
  }
  return {
    hootsuiteUrl: url('HOOTSUITE_API_URL', 'https://platform.hootsuite.com'),
    bufferUrl: url('BUFFER_API_URL', 'https://api.buffer.com'),
    linkedinUrl: url('LINKEDIN_API_URL', 'https://www.linkedin.com'),
    metaUrl: url('META_GRAPH_URL', 'https://graph.facebook.com'),
    hootsuiteOAuth: clientId && clientSecret ? { clientId, clientSecret } : null,
    syncIntervalMinutes: intervalText === null ? 15 : Number(intervalText),
  };
}

/** The encryption keys of sources' credentials: required once a source is added, one clear line otherwise. */
export function requireSourceKeys(config: Config): { current: Buffer; previous: Buffer | null; next: Buffer | null } {
  const oauth = config.slack.oauth ?? {};
  const current = decodeKey('TOKEN_ENCRYPTION_KEY', oauth.encryptionKey ?? null);
  if (!current) throw new ConfigError('TOKEN_ENCRYPTION_KEY is not set: source credentials are stored encrypted; set it (openssl rand -base64 32) and keep it');
  return {
    current,
    previous: decodeKey('TOKEN_ENCRYPTION_KEY_PREVIOUS', oauth.previousEncryptionKey ?? null),
    next: decodeKey('TOKEN_ENCRYPTION_KEY_NEXT', oauth.nextEncryptionKey ?? null),
  };
}

/** A variable with a fixed set of values: anything else is refused with the list. */
function oneOf<T extends string>(name: string, value: string | null, allowed: readonly T[]): T | null {
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

/** The Slack settings `serve` needs, or one ConfigError naming what is missing or malformed. */
export function requireSlack(config: Config): SlackConfig {
  const { botToken, signingSecret, appToken, socketMode, apiUrl } = config.slack;
  const oauth = requireOAuth(config);
  if (oauth) {
    if (botToken) throw new ConfigError(`SLACK_BOT_TOKEN is for one workspace: unset it when SLACK_CLIENT_ID is set (each installation has its own token)`);
    if (!signingSecret) throw new ConfigError(`SLACK_SIGNING_SECRET is not set (${SLACK_SETUP_HINT})`);
    if (socketMode) throw new ConfigError('multi-workspace mode (SLACK_CLIENT_ID) runs over HTTP: unset SLACK_APP_TOKEN or set SLACK_SOCKET_MODE=false');
    return { botToken: '', signingSecret, appToken: null, socketMode: false, apiUrl, oauth };
  }
  if (!botToken) throw new ConfigError(`SLACK_BOT_TOKEN is not set (${SLACK_SETUP_HINT})`);
  if (!botToken.startsWith('xoxb-')) throw new ConfigError(`SLACK_BOT_TOKEN must be a bot token starting with xoxb- (${SLACK_SETUP_HINT})`);
  if (!signingSecret) throw new ConfigError(`SLACK_SIGNING_SECRET is not set (${SLACK_SETUP_HINT})`);
  if (socketMode && !appToken) throw new ConfigError(`SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (${SLACK_SETUP_HINT})`);
  if (appToken && !appToken.startsWith('xapp-')) throw new ConfigError(`SLACK_APP_TOKEN must be an app-level token starting with xapp- (${SLACK_SETUP_HINT})`);
  return { botToken, signingSecret, appToken: appToken ?? null, socketMode, apiUrl, oauth: null };
}

const OAUTH_VARIABLES = [
  ['SLACK_CLIENT_ID', 'clientId'],
  ['SLACK_CLIENT_SECRET', 'clientSecret'],
  ['SLACK_STATE_SECRET', 'stateSecret'],
] as const;

/**
 * Multi-workspace mode's settings, or null in single-workspace mode (none of the three OAuth
 * variables set). One ConfigError names what is missing or malformed, the key included.
 */
export function requireOAuth(config: Config): OAuthConfig | null {
  const oauth = config.slack.oauth ?? {};
  const set = OAUTH_VARIABLES.filter(([, key]) => oauth[key]);
  if (!set.length) return null;
  const missing = OAUTH_VARIABLES.find(([, key]) => !oauth[key]);
  if (missing) throw new ConfigError(`${missing[0]} is not set: multi-workspace mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET`);
  const encryptionKey = decodeKey('TOKEN_ENCRYPTION_KEY', oauth.encryptionKey ?? null);
  if (!encryptionKey) throw new ConfigError('TOKEN_ENCRYPTION_KEY is not set: multi-workspace mode stores tokens encrypted (openssl rand -base64 32)');
  return {
    clientId: oauth.clientId!,
    clientSecret: oauth.clientSecret!,
    stateSecret: oauth.stateSecret!,
    encryptionKey,
    previousEncryptionKey: decodeKey('TOKEN_ENCRYPTION_KEY_PREVIOUS', oauth.previousEncryptionKey ?? null),
    nextEncryptionKey: decodeKey('TOKEN_ENCRYPTION_KEY_NEXT', oauth.nextEncryptionKey ?? null),
    retentionDays: oauth.retentionDays ?? 30,
  };
}

/** A 32-byte key written in base64, or a ConfigError that never repeats the value. */
function decodeKey(name: string, text: string | null): Buffer | null {
  if (text === null) return null;
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text) throw new ConfigError(`${name} must be 32 bytes written in base64 (openssl rand -base64 32)`);
  return key;
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
