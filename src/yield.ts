/**
 * Giving the event loop a turn during long work. Prisma's SQLite adapter answers synchronously, so a
 * loop of awaited queries (or a long pure loop) never lets Slack's requests, `/healthz` or timers
 * in: the check, the outbox worker and the import call a `TimeSlice` between chunks of work and
 * yield once it has held the loop longer than its budget. Every layer may import it.
 */

/** How long a task holds the event loop before it lets others in (Slack allows 3 s for an ack). */
const SLICE_MS = 20;

/** Resolves after the event loop has handled what was waiting (I/O, timers). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Work that yields when it has run longer than `budgetMs` since its last turn. */
export class TimeSlice {
  private started = performance.now();

  constructor(private readonly budgetMs = SLICE_MS) {}

  /** The budget is spent: the caller should `yield()` before going on. */
  spent(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Lets the event loop in now, and starts a new slice. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.started = performance.now();
  }

  /** Yields only if the budget is spent; cheap enough to call per row. */
  async pause(): Promise<void> {
    if (this.spent()) await this.yield();
  }
}
