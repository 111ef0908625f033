/**
 * When a warning (or a message, or a message update) that failed for a temporary reason is tried
 * again: exponential backoff on the attempt count, capped at an hour, for as long as three days
 * from when it was recorded (a Slack outage ends on its own; nobody has to act). After that it is
 * `failed` with its reason, for a person to see. Pure: the worker and the Slack delivery share it.
 */

/** How long a row that keeps failing for a temporary reason is tried again (its backoffs added up) before it is `failed`. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;
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

/**
 * Whether a row that failed for a temporary reason for the `attempts`-th time is given up: once
 * its backoffs add up to `GIVE_UP_AFTER_MS` (about 75 attempts). Counted from the attempts, not
 * from when the row was recorded, so the injected clock and the database's never have to agree.
 */
export function givenUp(attempts: number, firstMs = FIRST_RETRY_MS): boolean {
  let waited = 0;
  for (let n = 1; n < attempts && waited < GIVE_UP_AFTER_MS; n++) waited += retryDelayMs(n, firstMs);
  return waited >= GIVE_UP_AFTER_MS;
}
