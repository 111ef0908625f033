/**
 * Posts one message with the retry rules of the delivery: paced per channel; HTTP 429 waits
 * Retry-After and tries again; 5xx, timeouts and network errors back off exponentially for a
 * bounded number of attempts; permanent Slack errors end at once. @slack/web-api's own retries are
 * switched off (see client.ts) so that every wait goes through the injected clock: tests are
 * deterministic, and a run never sits for half an hour inside the library holding claimed rows.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import type { SlackMessage } from '../blocks/warning-message';
import type { ChannelPacer, Clock } from './pacer';
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
  /** Clock time (ms) after which no wait is started: the rows go back to pending instead (see holdLimitMs). */
  deadline?: number;
  /**
   * The warnings the message carries: written into the message's `metadata`, and, after a post
   * whose answer was lost (a timeout, a 5xx), looked for in the channel's recent history before
   * posting again, so a post Slack did accept is not repeated.
   */
  warningIds?: readonly number[];
}

/** The metadata event type of every message carrying warnings. */
export const WARNINGS_EVENT = 'channel_keeper_warnings';

export type SendResult =
  | { ok: true; channel: string; ts: string }
  /** `retry`: worth trying again in a later run; `failed`: needs a person first. */
  | { ok: false; outcome: 'retry'; reason: string }
  | { ok: false; outcome: 'failed'; reason: string; code: string; channelWide: boolean };

export class SlackSender {
  constructor(
    private readonly client: WebClient,
    private readonly pacer: ChannelPacer,
    private readonly clock: Clock,
    private readonly retry: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  async post(channel: string, message: SlackMessage, options: PostOptions = {}): Promise<SendResult> {
    const deadline = options.deadline ?? Infinity;
    const ids = options.warningIds?.length ? [...options.warningIds] : null;
    const metadata = ids ? { metadata: { event_type: WARNINGS_EVENT, event_payload: { warning_ids: ids.join(',') } } } : {};
    // Seconds, as Slack's `ts`: history is searched from a little before the first attempt.
    const startedAt = this.clock.now() / 1000 - 60;
    let temporaryFailures = 0;
    let rateLimitWaits = 0;
    let answerLost = false;
    for (;;) {
      if (answerLost && ids) {
        const found = await this.findPosted(channel, ids, startedAt);
        if (found) return { ok: true, channel, ts: found };
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
          const tooLong = failure.retryAfterMs > this.retry.maxRetryAfterMs || this.clock.now() + failure.retryAfterMs > deadline;
          if (rateLimitWaits > this.retry.rateLimitWaits || tooLong) return { ok: false, outcome: 'retry', reason: failure.detail };
          await this.clock.sleep(failure.retryAfterMs);
          continue;
        }
        // A timed-out post (or a 5xx) may have reached Slack, and chat.postMessage has no idempotency
        // key: before the next attempt the channel's recent history is searched for our metadata.
        answerLost = true;
        temporaryFailures += 1;
        const backoff = this.retry.backoffMs * 2 ** (temporaryFailures - 1);
        if (temporaryFailures >= this.retry.attempts || this.clock.now() + backoff > deadline) {
          return { ok: false, outcome: 'retry', reason: `${failure.detail} (after ${temporaryFailures} attempts)` };
        }
        await this.clock.sleep(backoff);
      }
    }
  }

  /** Rewrites a posted message (chat.update), with the same pacing and failure rules as a post. */
  async update(channel: string, ts: string, message: SlackMessage, options: PostOptions = {}): Promise<SendResult> {
    const deadline = options.deadline ?? Infinity;
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
        if (failure.kind === 'rate_limited' && rateLimitWaits < this.retry.rateLimitWaits && this.clock.now() + failure.retryAfterMs <= deadline) {
          rateLimitWaits += 1;
          await this.clock.sleep(failure.retryAfterMs);
          continue;
        }
        return { ok: false, outcome: 'retry', reason: failure.kind === 'rate_limited' ? failure.detail : failure.detail };
      }
    }
  }

  /**
   * The ts of a message in `channel` carrying exactly these warnings, posted since `oldest`; null
   * when there is none or the history cannot be read (a DM addressed by user id, a missing scope,
   * Slack still failing): then the post is tried again, and a rare duplicate beats a lost warning.
   */
  private async findPosted(channel: string, ids: readonly number[], oldest: number): Promise<string | null> {
    if (!/^[CG]/.test(channel)) return null;
    const wanted = ids.join(',');
    try {
      const history = await this.client.conversations.history({ channel, oldest: oldest.toFixed(6), limit: 100, include_all_metadata: true });
      const match = (history.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { warning_ids?: unknown } } }).metadata;
        return meta?.event_type === WARNINGS_EVENT && String(meta.event_payload?.warning_ids) === wanted;
      });
      if (match?.ts) this.logger.info({ channel, ts: match.ts }, 'a post whose answer was lost had reached Slack: not posting it again');
      return match?.ts ?? null;
    } catch (error) {
      this.logger.debug({ channel, err: (error as Error).message }, 'could not read the channel history to look for a lost post');
      return null;
    }
  }
}
