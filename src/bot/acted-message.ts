/**
 * Updating a message in place after someone acted on it (a warning, a digest, a DM), for every
 * listener. Nothing a payload says about the message is trusted: the message must be one the bot
 * stored when it posted it (found by its channel and ts in the database, in the asker's
 * workspace); its blocks are rebuilt from the database, the acted item then showing the note.
 * Any other message only gets the note in its thread. Response URLs are used only when they point
 * at Slack (or the configured SLACK_API_URL host).
 */
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../domain';
import type { Logger } from '../logger';
import { rewritePressedMessage } from '../outbox/pressed-message';
import type { ServiceDeps } from '../services/deps';
import { SlackPortAdapter } from './delivery/slack-port';
export { markBlocksActedOn } from './blocks/acted-on';

export interface ActedMessage {
  channel: string;
  ts: string;
  /** The pressed block: where the note goes (only a position, looked up in the rebuilt blocks). */
  blockId?: string;
}

export interface ActedDeps extends Pick<ServiceDeps, 'store' | 'now'> {
  logger: Logger;
  /** SLACK_ALERT_CHANNEL, named in a rebuilt DM when the workspace has none. */
  defaultAlertChannel?: string | null;
  /** Asks the outbox worker to update the other messages carrying the settled warnings. */
  wakeOutbox?: () => void;
}

/**
 * Says who did what and when on the message itself: a stored message is rebuilt from the
 * database and rewritten by the same rewrite the outbox worker uses (src/outbox/rewrite.ts), over
 * the presser's workspace's client; any other message gets the note in its thread. The other
 * messages carrying the same warnings (a DM, a digest) are updated by the outbox worker.
 */
export async function updateActedMessage(
  deps: ActedDeps,
  client: WebClient,
  workspace: Workspace,
  message: ActedMessage,
  note: string,
  options: { markActed?: boolean } = {},
): Promise<void> {
  try {
    // `markActed: false`: the warning rows themselves say what happened (an "I'm on it"), the buttons stay.
    const acted = options.markActed === false ? undefined : { blockId: message.blockId, note };
    const port = new SlackPortAdapter({ client, logger: deps.logger, now: deps.now });
    const outcome = await rewritePressedMessage(deps, port, workspace.id, message, acted);
    if (outcome === 'empty' || outcome === 'elsewhere') await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: note });
  } finally {
    deps.wakeOutbox?.();
  }
}

/** Slack's own hosts, and the configured SLACK_API_URL's (a test or proxy Slack). */
export function isTrustedResponseUrl(url: string | undefined, slackApiUrl?: string | null): url is string {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (slackApiUrl) {
    try {
      const api = new URL(slackApiUrl);
      if (parsed.protocol === api.protocol && parsed.host === api.host) return true;
    } catch {
      // an unreadable SLACK_API_URL trusts nothing extra
    }
  }
  return parsed.protocol === 'https:' && (parsed.hostname === 'hooks.slack.com' || parsed.hostname === 'slack.com' || parsed.hostname.endsWith('.slack.com'));
}

/**
 * A `respond` (Bolt's poster to the payload's response_url) that posts only when that URL points
 * at Slack (or SLACK_API_URL's host); otherwise it posts nothing and logs one warning. Used by
 * slash commands and block actions alike (the URL comes from the signed payload, still not trusted).
 */
export function guardRespond<R extends (...args: never[]) => Promise<unknown>>(
  respond: R,
  responseUrl: string | undefined,
  deps: { slackApiUrl?: string | null; logger: Logger },
  team: string | undefined,
): R {
  if (!responseUrl || isTrustedResponseUrl(responseUrl, deps.slackApiUrl)) return respond;
  return (async () => {
    deps.logger.warn({ team }, 'a response_url not on Slack was ignored');
    return undefined;
  }) as unknown as R;
}
