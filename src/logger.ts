/**
 * Structured logs (pino) on stderr, so stdout stays clean for `check --json` and `export`.
 * JSON for machines; pretty when stderr is a terminal. Tokens and secrets are redacted by key,
 * wherever they appear in a logged object.
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
  if (pretty) {
    // Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    const colorize = process.stderr.isTTY === true && !process.env.NO_COLOR;
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize } } });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
