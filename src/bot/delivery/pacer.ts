/**
 * At most one message per channel per interval (Slack allows about one per second per channel).
 * The clock is injected, so tests check the pacing without waiting.
 */
export interface Clock {
  /** The injected clock of every layer. */
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** Real waits; the time comes from the caller's injected `now`. */
export function sleepFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class ChannelPacer {
  private readonly nextAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 1000,
  ) {}

  /** Books the channel's next free slot, then waits for it (booking first keeps concurrent runs apart). */
  async wait(channel: string): Promise<void> {
    const now = this.clock.now().getTime();
    const slot = Math.max(this.nextAt.get(channel) ?? now, now);
    this.nextAt.set(channel, slot + this.intervalMs);
    if (this.nextAt.size > 1000) this.forgetPast();
    if (slot > now) await this.clock.sleep(slot - now);
  }

  /** Slots in the past constrain nothing; dropping them keeps a long-running bot's map small. */
  private forgetPast(): void {
    const now = this.clock.now().getTime();
    for (const [channel, at] of this.nextAt) if (at <= now) this.nextAt.delete(channel);
  }
}
