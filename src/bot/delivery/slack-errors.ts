/**
 * What a failed Slack call means for a warning: wait and retry (rate limited), retry with backoff
 * and otherwise keep it pending (Slack or the network is having a bad moment), or give up and mark
 * it failed with a sentence an admin can act on (the bot is not in the channel, the token is
 * revoked…). Unknown Slack errors count as temporary: a row kept pending is never lost.
 */
import { ErrorCode, type WebAPICallError } from '@slack/web-api';

export type SlackFailure =
  | { kind: 'rate_limited'; retryAfterMs: number; detail: string }
  | { kind: 'temporary'; detail: string }
  /** `channelWide`: every message to this channel (or with this token) will fail the same way. */
  | { kind: 'permanent'; code: string; reason: string; channelWide: boolean };

/** Errors that hold for the whole channel or install: the run stops posting there at the first one. */
const CHANNEL_WIDE: Record<string, (channel: string) => string> = {
  not_in_channel: (c) => `the bot is not in <#${c}>: invite it with /invite @Channel Keeper`,
  channel_not_found: (c) =>
    `the alert channel ${c} was not found (deleted, or private without the bot): invite the bot there or choose another channel with /channels settings`,
  is_archived: (c) => `the alert channel <#${c}> is archived: unarchive it or choose another channel with /channels settings`,
  restricted_action: (c) => `the workspace does not let the bot post in <#${c}>: ask a Slack admin, or choose another channel with /channels settings`,
  account_inactive: () => 'Slack reports the bot account as inactive (the app was uninstalled or its token revoked): reinstall the app',
  invalid_auth: () => "Slack rejected the bot's token (invalid_auth): reinstall the app or check SLACK_BOT_TOKEN",
  not_authed: () => 'no bot token was sent (not_authed): set SLACK_BOT_TOKEN',
  token_revoked: () => "the bot's token was revoked: reinstall the app",
  token_expired: () => "the bot's token expired: reinstall the app",
  no_permission: () => 'the bot lacks permission to post (no_permission): reinstall the app with the scopes in manifest.yml',
  team_access_not_granted: () => 'the app is not granted access to this workspace: reinstall it',
  ekm_access_denied: () => 'Slack Enterprise Key Management denied access: ask a Slack admin',
};

/** Errors about this one message: the next one may go through. */
const MESSAGE_ONLY: ReadonlySet<string> = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'invalid_arguments',
  'user_not_found',
  'cannot_dm_bot',
]);

/** Slack's own "try again later" answers. */
const TEMPORARY: ReadonlySet<string> = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited']);

export function classifySlackError(error: unknown, channel: string): SlackFailure {
  const e = error as Partial<WebAPICallError> & { message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = (e as { retryAfter?: number }).retryAfter ?? 1;
      return { kind: 'rate_limited', retryAfterMs: Math.max(0, seconds) * 1000, detail: `rate limited (Retry-After ${seconds}s)` };
    }
    case ErrorCode.HTTPError:
      return { kind: 'temporary', detail: `Slack answered HTTP ${(e as { statusCode?: number }).statusCode}` };
    case ErrorCode.RequestError:
      return { kind: 'temporary', detail: `request failed: ${requestProblem((e as { original?: Error }).original) ?? e.message}` };
    case ErrorCode.PlatformError: {
      const data = (e as { data?: { error?: string; needed?: string } }).data ?? {};
      return platformFailure(data.error ?? 'unknown_error', channel, data.needed);
    }
    default:
      // e.g. a 429 without a usable Retry-After, which @slack/web-api reports as a plain Error.
      return { kind: 'temporary', detail: e.message ?? String(error) };
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** fetch says only "fetch failed"; its cause says why (ECONNREFUSED, ENOTFOUND…). */
function requestProblem(original: Error | undefined): string | undefined {
  const code = (original?.cause as { code?: unknown } | undefined)?.code;
  if (!original || typeof code !== 'string') return original?.message;
  return `${NETWORK_CODES[code] ?? original.message} (${code})`;
}

function platformFailure(code: string, channel: string, needed: string | undefined): SlackFailure {
  if (code === 'missing_scope') {
    const scope = needed ? ` (needs ${needed})` : '';
    return { kind: 'permanent', code, channelWide: true, reason: `the app lacks a permission${scope}: reinstall it with the scopes in manifest.yml` };
  }
  const wide = CHANNEL_WIDE[code];
  if (wide) return { kind: 'permanent', code, channelWide: true, reason: wide(channel) };
  if (MESSAGE_ONLY.has(code)) return { kind: 'permanent', code, channelWide: false, reason: `Slack refused the message (${code})` };
  if (TEMPORARY.has(code)) return { kind: 'temporary', detail: `Slack error ${code}` };
  return { kind: 'temporary', detail: `Slack error ${code} (unknown; kept for the next run)` };
}
