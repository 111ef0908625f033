/** What every listener needs, handed down from `createApp` (no globals, so tests can build several apps). */
import type { Logger } from '../logger';
import type { ServiceDeps } from '../services/deps';
import type { HootsuiteConnect } from '../services/hootsuite-connect';
import type { EvaluationCache } from './evaluation-cache';
import type { Installation } from './identity';

export interface BotDeps extends ServiceDeps {
  logger: Logger;
  /** SLACK_ALERT_CHANNEL: the alert channel of workspaces that have not chosen one. */
  defaultAlertChannel: string | null;
  /** Evaluated channels remembered between requests (one per app, see evaluation-cache.ts). */
  evaluations: EvaluationCache;
  /** The bot token's own team (auth.test, asked once): the workspace it is installed in. */
  installation: Pick<Installation, 'teamId'> & Partial<Pick<Installation, 'teamName'>>;
  /** Asks the outbox worker for a pass now (a cause of failed posts fixed, a warning settled); absent without a worker. */
  wakeOutbox?: () => void;
  /** SLACK_API_URL: its host is trusted for response URLs besides Slack's own. */
  slackApiUrl?: string | null;
  /** PUBLIC_URL: the bot's public https address (no trailing slash), null when not set. */
  publicUrl?: string | null;
  /** "Connect Hootsuite" on `/channels sources` and its callback (docs/sources.md); it says itself what the server lacks. */
  hootsuiteConnect?: HootsuiteConnect;
}
