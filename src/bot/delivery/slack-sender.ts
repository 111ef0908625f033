/**
 * Posts one message with the retry rules of the delivery: paced per channel; HTTP 429 waits
 * Retry-After and tries again; 5xx, timeouts and network errors back off exponentially for a
 * bounded number of attempts; permanent Slack errors end at once. @slack/web-api's own retries are
 * switched off (see client.ts) so that every wait goes through the injected clock: tests are
 * deterministic, and a run never sits for half an hour inside the library holding claimed rows.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import type { FoundPost, PortResult } from '../../outbox/slack-port';
import type { SlackMessage } from '../blocks/warning-message';
import type { ChannelPacer, Clock } from './pacer';
import { count } from '../../words';
import { classifySlackError } from './slack-errors';

export interface RetryPolicy {
  /** Tries for temporary failures (5xx, timeouts, network), the first included. */
  attempts: number;
  /** First backoff; doubled after each temporary failure (no jitter: runs are per workspace and already spread). */
  backoffMs: number;
  /** Rate-limit waits per message before it is left for the next run. */
  rateLimitWaits: number;
  /** A Retry-After longer than this is not waited for: the rows go back to pending instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, backoffMs: 1000, rateLimitWaits: 3, maxRetryAfterMs: 60_000 };

export interface PostOptions {
  /** No wait is started after this: the rows go back to pending instead (see holdLimitMs). */
  deadline?: Date;
  /**
   * The warnings the message carries: written into the message's `metadata`, and, after a post
   * whose answer was lost (a timeout, a 5xx), looked for in the channel's recent history before
   * posting again, so a post Slack did accept is not repeated.
   */
  warningIds?: readonly number[];
  /**
   * The escalation message it is (its outbox row id): written into the metadata instead of warning
   * ids, so neither look-up takes it for the warning's first post, and looked for alike.
   */
  escalationIds?: readonly number[];
  /** What the message is (alert, digest, dm), written into its metadata beside the warning ids. */
  kind?: string;
}

/** The metadata event type of every message carrying warnings. */
export const WARNINGS_EVENT = 'channel_keeper_warnings';
/** Which ids of a message's metadata a history look-up matches. */
export type CarriedIds = 'warnings' | 'escalations';
const PAYLOAD_KEY: Record<CarriedIds, 'warning_ids' | 'escalation_ids'> = { warnings: 'warning_ids', escalations: 'escalation_ids' };
/** History pages (of 200 messages) read when looking for earlier posts. */
const HISTORY_PAGES = 5;

/** `retry`: worth trying again in a later run; `failed`: needs a person first. */
export type SendResult = PortResult;

export class SlackSender {
  constructor(
    private readonly client: WebClient,
    private readonly pacer: ChannelPacer,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  async post(channel: string, message: SlackMessage, options: PostOptions = {}): Promise<SendResult> {
    const deadline = options.deadline?.getTime() ?? Infinity;
    const carried: CarriedIds = options.warningIds?.length ? 'warnings' : 'escalations';
    const source = carried === 'warnings' ? options.warningIds : options.escalationIds;
    const ids = source?.length ? [...source] : null;
    const payload: Record<string, string> = ids ? { [PAYLOAD_KEY[carried]]: compactIds(ids) } : {};
    if (options.kind) payload.kind = options.kind;
    const metadata = ids ? { metadata: { event_type: WARNINGS_EVENT, event_payload: payload } } : {};
    // Seconds, as Slack's `ts`: history is searched from a little before the first attempt.
    const startedAt = this.clock.now().getTime() / 1000 - 60;
    let temporaryFailures = 0;
    let rateLimitWaits = 0;
    let answerLost = false;
    for (;;) {
      if (answerLost && ids) {
        const found = await this.findPosted(channel, ids, startedAt, carried);
        if (found) return { ok: true, ...found };
      }
      await this.pacer.wait(channel);
      try {
        const answer = await this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          unfurl_media: false,
          ...metadata,
        });
        if (!answer.ts) return { ok: false, outcome: 'retry', reason: 'Slack answered without a message ts' };
        return { ok: true, channel: answer.channel ?? channel, ts: answer.ts };
      } catch (error) {
        const failure = classifySlackError(error, channel);
        this.logger.warn({ channel, failure }, 'chat.postMessage failed');
        if (failure.kind === 'permanent') {
          return { ok: false, outcome: 'failed', reason: failure.reason, code: failure.code, channelWide: failure.channelWide };
        }
        if (failure.kind === 'rate_limited') {
          rateLimitWaits += 1;
          const tooLong = failure.retryAfterMs > this.retry.maxRetryAfterMs || this.clock.now().getTime() + failure.retryAfterMs > deadline;
          if (rateLimitWaits > this.retry.rateLimitWaits || tooLong) return { ok: false, outcome: 'retry', reason: failure.detail };
          await this.clock.sleep(failure.retryAfterMs);
          continue;
        }
        // A timed-out post (or a 5xx) may have reached Slack, and chat.postMessage has no idempotency
        // key: before the next attempt the channel's recent history is searched for our metadata.
        answerLost = true;
        temporaryFailures += 1;
        const backoff = this.retry.backoffMs * 2 ** (temporaryFailures - 1);
        if (temporaryFailures >= this.retry.attempts || this.clock.now().getTime() + backoff > deadline) {
          return { ok: false, outcome: 'retry', reason: `${failure.detail} (after ${count(temporaryFailures, 'attempt')})` };
        }
        await this.clock.sleep(backoff);
      }
    }
  }

  /** Rewrites a posted message (chat.update), with the same pacing and failure rules as a post. */
  async update(channel: string, ts: string, message: SlackMessage, options: PostOptions = {}): Promise<SendResult> {
    const deadline = options.deadline?.getTime() ?? Infinity;
    let rateLimitWaits = 0;
    for (;;) {
      await this.pacer.wait(channel);
      try {
        await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
        return { ok: true, channel, ts };
      } catch (error) {
        const failure = classifySlackError(error, channel);
        this.logger.warn({ channel, failure }, 'chat.update failed');
        if (failure.kind === 'permanent') return { ok: false, outcome: 'failed', reason: failure.reason, code: failure.code, channelWide: failure.channelWide };
        if (failure.kind === 'rate_limited' && rateLimitWaits < this.retry.rateLimitWaits && this.clock.now().getTime() + failure.retryAfterMs <= deadline) {
          rateLimitWaits += 1;
          await this.clock.sleep(failure.retryAfterMs);
          continue;
        }
        return { ok: false, outcome: 'retry', reason: failure.kind === 'rate_limited' ? failure.detail : failure.detail };
      }
    }
  }

  /**
   * A message in `channel` carrying all these warnings, posted since `oldest`; null when there is
   * none or the history cannot be read: then the post is tried again, and a rare repeat beats a lost warning.
   */
  private async findPosted(channel: string, ids: readonly number[], oldest: number, carried: CarriedIds): Promise<{ channel: string; ts: string } | null> {
    const found = await this.findPosts(channel, ids, oldest, carried);
    const first = found.get(ids[0]!);
    if (!first || !ids.every((id) => found.get(id)?.ts === first.ts)) return null;
    this.logger.info({ channel: first.channel, ts: first.ts }, 'a post whose answer was lost had reached Slack: not posting it again');
    return { channel: first.channel, ts: first.ts };
  }

  /**
   * The bot's messages in a conversation (a channel id, or a user id: the bot's DM with them, through
   * conversations.open) posted since `oldest` (Slack seconds) that carry any of `ids` in their
   * metadata (warning ids, or escalation message ids): id → the message. Empty when the history cannot be read (a scope the install
   * lacks, a channel the bot is not in, Slack failing): the caller then posts, and a rare repeat beats a lost warning.
   */
  async findPosts(conversation: string, ids: readonly number[], oldest: number, carrying: CarriedIds = 'warnings'): Promise<Map<number, FoundPost>> {
    const found = new Map<number, FoundPost>();
    const wanted = new Set(ids);
    if (!wanted.size) return found;
    try {
      const channel = /^[UW]/.test(conversation) ? (await this.client.conversations.open({ users: conversation })).channel?.id : conversation;
      if (!channel || !/^[CGD]/.test(channel)) return found;
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const history = await this.client.conversations.history({ channel, oldest: oldest.toFixed(6), limit: 200, include_all_metadata: true, cursor });
        for (const m of history.messages ?? []) {
          const meta = (m as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }).metadata;
          if (meta?.event_type !== WARNINGS_EVENT || !m.ts) continue;
          const idsOf = (key: string) => expandIds(String(meta.event_payload?.[key] ?? ''));
          const warningIds = idsOf(PAYLOAD_KEY.warnings);
          const escalationIds = idsOf(PAYLOAD_KEY.escalations);
          const kind = meta.event_payload?.kind;
          const post = { channel, ts: m.ts, warningIds, escalationIds, kind: typeof kind === 'string' ? kind : null };
          // Newest first: an id carried by several messages keeps the newest (the one a repeat would have made).
          for (const id of carrying === 'warnings' ? warningIds : escalationIds) if (wanted.has(id) && !found.has(id)) found.set(id, post);
        }
        cursor = history.response_metadata?.next_cursor || undefined;
        if (!cursor || found.size === wanted.size) break;
      }
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      this.logger.debug({ conversation, code, err: (error as Error).message }, 'could not read the history to look for an earlier post');
    }
    return found;
  }
}

/**
 * Ids as runs, "12-411,415": a message of a big run carries thousands of warnings, mostly
 * recorded together, and its metadata stays a few characters long.
 */
export function compactIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return runs.join(',');
}

/** The ids of `compactIds` (a plain comma list too, as messages posted before carry). */
export function expandIds(text: string): number[] {
  const ids: number[] = [];
  for (const run of text.split(',')) {
    const [from, to] = run.split('-').map(Number);
    if (!Number.isInteger(from)) continue;
    // A run is bounded: a forged "1-99999999999" in someone's metadata cannot exhaust memory.
    const end = Number.isInteger(to) && to! >= from! && to! - from! <= 1_000_000 ? to! : from!;
    for (let id = from!; id <= end; id++) ids.push(id);
  }
  return ids;
}
