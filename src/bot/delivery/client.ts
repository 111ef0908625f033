/**
 * The Web API client the delivery expects: @slack/web-api's own retries off and rate-limited calls
 * rejected, so SlackSender decides every wait (see slack-sender.ts). A client made otherwise (e.g.
 * Bolt's `app.client`, which retries for up to 30 minutes) still works, but waits invisibly.
 */
import { LogLevel, WebClient, type FetchFunction, type WebClientOptions } from '@slack/web-api';

export interface DeliveryClientOptions {
  /** SLACK_API_URL; Slack's own when unset. */
  slackApiUrl?: string;
  /** Per request; a timed-out post is retried like a 5xx. */
  timeoutMs?: number;
  logLevel?: LogLevel;
  /** When it fires, every request in flight is abandoned and later ones fail at once (`check --wait`). */
  signal?: AbortSignal;
}

export function createDeliveryClient(token: string | undefined, options: DeliveryClientOptions = {}): WebClient {
  const clientOptions: WebClientOptions = {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logLevel: options.logLevel ?? LogLevel.ERROR,
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    ...(options.signal ? { fetch: abandonedWith(options.signal) } : {}),
  };
  return new WebClient(token, clientOptions);
}

/** fetch that also gives up when `signal` fires, beside the client's own per-request timeout. */
function abandonedWith(signal: AbortSignal): FetchFunction {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}
