/**
 * The environment, read once and checked (docs/architecture.md, "Interfaces that must stay stable").
 * Slack credentials are optional here: commands that need them check with `requireSlack`.
 */
import { isChannelId } from './domain';
import { ConfigError } from './errors';
import { DatabaseTarget, parseDatabaseUrl } from './store/database-url';

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  appToken: string | null;
  socketMode: boolean;
  apiUrl: string | null;
}

export interface Config {
  database: DatabaseTarget;
  slack: Partial<SlackConfig> & { socketMode: boolean; apiUrl: string | null };
  alertChannel: string | null;
  port: number;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const SLACK_SETUP_HINT = 'see "Create the Slack app" in README.md';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  const appToken = blankToNull(env.SLACK_APP_TOKEN);
  const socketModeFlag = blankToNull(env.SLACK_SOCKET_MODE);
  if (socketModeFlag && !['true', 'false'].includes(socketModeFlag)) {
    throw new ConfigError(`SLACK_SOCKET_MODE must be true or false; got "${socketModeFlag}"`);
  }
  const portText = blankToNull(env.PORT) ?? '3000';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (0-65535); got "${portText}"`);
  const logLevel = blankToNull(env.LOG_LEVEL) ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  const apiUrl = blankToNull(env.SLACK_API_URL);
  if (apiUrl && !/^https?:\/\/[^\s]+$/.test(apiUrl)) throw new ConfigError(`SLACK_API_URL must be an http(s) URL; got "${apiUrl}"`);
  const alertChannel = blankToNull(env.SLACK_ALERT_CHANNEL);
  if (alertChannel && !isChannelId(alertChannel)) {
    throw new ConfigError(`SLACK_ALERT_CHANNEL must be a channel id such as C0123456789 (not a #name); got "${alertChannel}"`);
  }
  return {
    database,
    slack: {
      botToken: blankToNull(env.SLACK_BOT_TOKEN) ?? undefined,
      signingSecret: blankToNull(env.SLACK_SIGNING_SECRET) ?? undefined,
      appToken,
      socketMode: socketModeFlag ? socketModeFlag === 'true' : appToken !== null,
      apiUrl: apiUrl ? (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`) : null,
    },
    alertChannel,
    port,
    logLevel,
  };
}

/** The Slack settings `serve` needs, or one ConfigError naming what is missing or malformed. */
export function requireSlack(config: Config): SlackConfig {
  const { botToken, signingSecret, appToken, socketMode, apiUrl } = config.slack;
  if (!botToken) throw new ConfigError(`SLACK_BOT_TOKEN is not set (${SLACK_SETUP_HINT})`);
  if (!botToken.startsWith('xoxb-')) throw new ConfigError(`SLACK_BOT_TOKEN must be a bot token starting with xoxb- (${SLACK_SETUP_HINT})`);
  if (!signingSecret) throw new ConfigError(`SLACK_SIGNING_SECRET is not set (${SLACK_SETUP_HINT})`);
  if (socketMode && !appToken) throw new ConfigError(`SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (${SLACK_SETUP_HINT})`);
  if (appToken && !appToken.startsWith('xapp-')) throw new ConfigError(`SLACK_APP_TOKEN must be an app-level token starting with xapp- (${SLACK_SETUP_HINT})`);
  return { botToken, signingSecret, appToken: appToken ?? null, socketMode, apiUrl };
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
