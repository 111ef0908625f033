/**
 * When a warning (or a message update) that failed for a temporary reason is tried again:
 * exponential backoff on the attempt count, capped, and after `MAX_ATTEMPTS` it is given up as
 * `failed` with its reason, for a person to see. Pure: the worker and the Slack delivery share it.
 */

/** Tries before a temporarily failing warning becomes `failed`. */
export const MAX_ATTEMPTS = 8;
/** The first retry waits this long; each further one twice as long. */
export const FIRST_RETRY_MS = 30_000;
/** No retry waits longer than this. */
export const MAX_RETRY_MS = 60 * 60_000;

/** The wait after the `attempts`-th failed attempt (1 → 30 s, 2 → 1 min, 3 → 2 min … capped at 1 h). */
export function retryDelayMs(attempts: number, firstMs = FIRST_RETRY_MS): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(MAX_RETRY_MS, firstMs * 2 ** Math.min(exponent, 20));
}

/** The time of the next attempt after `attempts` failed ones. */
export function nextAttemptAt(now: Date, attempts: number, firstMs = FIRST_RETRY_MS): Date {
  return new Date(now.getTime() + retryDelayMs(attempts, firstMs));
}
