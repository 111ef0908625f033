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
}

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
    let temporaryFailures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      await this.pacer.wait(channel);
      try {
        const answer = await this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
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
        // A timed-out post may have reached Slack, and chat.postMessage has no idempotency key: a retry
        // can then show the warning twice. A rare duplicate beats a warning lost.
        temporaryFailures += 1;
        const backoff = this.retry.backoffMs * 2 ** (temporaryFailures - 1);
        if (temporaryFailures >= this.retry.attempts || this.clock.now() + backoff > deadline) {
          return { ok: false, outcome: 'retry', reason: `${failure.detail} (after ${temporaryFailures} attempts)` };
        }
        await this.clock.sleep(backoff);
      }
    }
  }
}
