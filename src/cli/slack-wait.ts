/**
 * How long `check` waits for a Slack that does not answer (`--wait`, 60 s by default) before it
 * leaves the rest pending for `serve`'s worker (or the next check) and exits 1. The time counts
 * from the first call to Slack and starts again whenever Slack takes one: a slow but working Slack
 * is never cut off, an unreachable one is given up within the wait. Giving up aborts every request
 * in flight (the client's fetch listens to `signal`) and answers every later call at once.
 * `--wait 0` tries each message once, without retries: the first failure gives up.
 */
import { ValidationError } from '../errors';
import type { Outgoing, PortResult, Rewrite, SendWindow, SlackPort, SlackPorts } from '../outbox/slack-port';

export const DEFAULT_WAIT_MS = 60_000;
/** A cron job should not hang longer than this on Slack. */
const MAX_WAIT_MS = 60 * 60_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** `--wait`: `90s`, `5m`, `1m30s`, `500ms`, `0`. A bare number other than 0 is refused (seconds or minutes?). */
export function parseWait(text: string): number {
  const value = text.trim().toLowerCase();
  const refuse = (why: string): never => {
    throw new ValidationError(`--wait "${text}" ${why}; type a duration such as --wait 90s, --wait 5m or --wait 0 (one try, no waiting)`);
  };
  if (value === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(value)) refuse('has no unit');
  if (!DURATION.test(value)) refuse('is not a duration');
  let ms = 0;
  for (const [, amount, unit] of value.matchAll(PART)) ms += Number(amount) * UNITS[unit!]!;
  if (ms > MAX_WAIT_MS) refuse('is longer than an hour');
  return Math.round(ms);
}

/** "60s", "90s", "5m", "2m30s", "0s" for a wait as `--wait` takes it (seconds up to two minutes). */
export function formatWait(ms: number): string {
  if (ms < 1000) return ms ? `${ms}ms` : '0s';
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  const [m, s] = [Math.floor(seconds / 60), seconds % 60];
  return `${m}m${s ? `${s}s` : ''}`;
}

/** `--wait` as `check` and `sync` declare it. */
export const WAIT_OPTION = {
  flags: '--wait <duration>',
  description: `how long to keep trying a Slack that does not answer before leaving the rest pending (e.g. 90s, 5m; 0: one try each); default ${formatWait(DEFAULT_WAIT_MS)}`,
} as const;

export class SlackWait {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  /** When the wait runs out if Slack takes nothing before; null until the first call. */
  private giveUpAt: number | null = null;
  /** The last thing Slack said when it did not take a call (a 503, a refused connection…). */
  private problem: string | null = null;
  /** The last reason Slack gave for refusing a call outright (a revoked token, the bot not in the channel). */
  private refused: string | null = null;
  /** The last call's outcome: still failing while it is `retry`. */
  private last: 'ok' | 'retry' | 'failed' | null = null;

  constructor(
    readonly waitMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Aborts requests in flight once the wait has run out (for the Slack client). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get gaveUp(): boolean {
    return this.controller.signal.aborted;
  }

  /** Slack did not take the last call (and nothing since): worth trying again while the wait lasts. */
  get failing(): boolean {
    return this.last === 'retry';
  }

  /** Why Slack did not take the rows, as a person reads it. */
  why(): string | null {
    if (!this.problem) return null;
    return this.gaveUp ? `${this.problem}; gave up after ${formatWait(this.waitMs)} without an answer (--wait)` : this.problem;
  }

  /** Why Slack refused rows outright, when it did. */
  refusal(): string | null {
    return this.refused;
  }

  /** Waits up to `ms`, or until the wait runs out. */
  pause(ms: number): Promise<void> {
    if (this.gaveUp) return Promise.resolve();
    const left = this.giveUpAt === null ? ms : Math.min(ms, this.giveUpAt - this.clock());
    const { signal } = this.controller;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, left));
      signal.addEventListener('abort', done);
    });
  }

  /** No timer left behind when the command ends. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The same Slack, inside the wait. */
  wrap(ports: SlackPorts): SlackPorts {
    const ports_ = new Map<string, SlackPort>();
    return {
      forWorkspace: (workspaceId) => {
        let port = ports_.get(workspaceId);
        if (!port) ports_.set(workspaceId, (port = this.port(ports.forWorkspace(workspaceId))));
        return port;
      },
    };
  }

  private port(inner: SlackPort): SlackPort {
    return {
      window: () => this.window(inner.window()),
      post: (to: string, message: Outgoing, options: { window?: SendWindow; warningIds?: readonly number[]; escalationId?: number } = {}) =>
        this.call(() => inner.post(to, message, { ...options, window: this.window(options.window ?? inner.window()) })),
      update: (channel: string, ts: string, message: Rewrite) => this.call(() => inner.update(channel, ts, message)),
      findPosts: async (conversation, ids, since, carrying) => {
        this.start();
        return this.gaveUp ? new Map() : inner.findPosts(conversation, ids, since, carrying);
      },
    };
  }

  /** No retry or wait inside a post may outlast the wait (with 0: none at all). */
  private window(window: SendWindow): SendWindow {
    this.start();
    const end = this.waitMs === 0 ? this.clock() : (this.giveUpAt ?? Infinity);
    return { deadline: new Date(Math.min(window.deadline.getTime(), end)) };
  }

  private async call(send: () => Promise<PortResult>): Promise<PortResult> {
    this.start();
    if (this.gaveUp) return { ok: false, outcome: 'retry', reason: this.why() ?? 'Slack did not answer' };
    const result = await send();
    if (result.ok) {
      this.last = 'ok';
      this.arm();
    } else if (result.outcome === 'retry') {
      this.last = 'retry';
      this.problem = this.gaveUp ? (this.problem ?? result.reason) : result.reason;
      if (this.waitMs === 0) this.giveUp();
    } else {
      this.last = 'failed';
      this.refused = result.reason;
    }
    return result;
  }

  private start(): void {
    if (this.giveUpAt === null) this.arm();
  }

  /** The wait starts again (the first call, or Slack took one). */
  private arm(): void {
    if (this.gaveUp) return;
    this.close();
    this.giveUpAt = this.clock() + this.waitMs;
    if (this.waitMs === 0) return;
    this.timer = setTimeout(() => this.giveUp(), this.waitMs);
    this.timer.unref?.();
  }

  private giveUp(): void {
    this.close();
    this.controller.abort();
  }
}
