/**
 * Structured logs (pino) on stderr, so stdout stays clean for `check --json` and `export`.
 * JSON for machines; pretty when stderr is a terminal and pino-pretty is installed. Tokens and secrets are redacted by key,
 * wherever they appear in a logged object; text that others log (Bolt's messages are plain
 * strings) goes through `scrubSecrets` first.
 */
import pino, { Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'userToken',
  'accessToken',
  'refreshToken',
  'signingSecret',
  'clientSecret',
  'secret',
  'password',
  'authorization',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

/** Slack tokens of every kind: bot, user, app-level, and rotating access and refresh tokens. */
const SLACK_TOKEN = /\bx(?:ox[a-z]?|app)[.-][\w.-]*/gi;
/**
 * The value after a secret's name, in JSON (`"client_secret":"…"`), a query string or a form
 * (`code=…&state=…`), or a header (`Authorization: Bearer …`).
 */
const NAMED_SECRET =
  /(\b(?:client_secret|clientSecret|signing_secret|signingSecret|state_secret|stateSecret|code|state|[a-z_]*token|[a-z]*Token|secret|password|authorization)["']?\s*[:=]\s*["']?(?:Bearer\s+)?)([^"'&\s,;}]+)/gi;
/** Known secrets shorter than this are not searched for in text (they would match ordinary words). */
const MIN_KNOWN_SECRET = 6;

/**
 * `text` without secrets: Slack tokens, values named like secrets (client secret, OAuth code and
 * state, tokens, passwords) and any of `known` (the configured secrets) become `[redacted]`.
 */
export function scrubSecrets(text: string, known: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const secret of known) if (secret && secret.length >= MIN_KNOWN_SECRET) out = out.split(secret).join('[redacted]');
  return out.replace(SLACK_TOKEN, '[redacted]').replace(NAMED_SECRET, (_match, name: string) => `${name}[redacted]`);
}

export interface LoggerOptions {
  level?: string;
  pretty?: boolean;
  /** LOG_FORMAT: `json` forces JSON, `pretty` forces pretty lines; default pretty on a terminal. */
  format?: 'json' | 'pretty' | null;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'channel-keeper' } };
  if (options.destination) return pino(base, options.destination);
  const format = options.format ?? process.env.LOG_FORMAT;
  const pretty = options.pretty ?? (format === 'pretty' || (process.stderr.isTTY === true && format !== 'json'));
  if (pretty && prettyInstalled()) {
    // Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    const colorize = process.stderr.isTTY === true && !process.env.NO_COLOR;
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize } } });
  }
  const logger = pino(base, pino.destination({ dest: 2, sync: true }));
  if (pretty && format === 'pretty') logger.warn('LOG_FORMAT=pretty needs pino-pretty, a development package a production install leaves out: logging JSON');
  return logger;
}

/** pino-pretty is a development dependency: a production install (`npm prune --omit=dev`) has none. */
function prettyInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
