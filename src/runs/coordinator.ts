/**
 * Exactly one replica runs each cron fire. node-cron 4.6 has the hook for it (`RunCoordinator`,
 * used when a task is scheduled with `distributed: true`): before each fire it asks
 * `shouldRun("name:fireTimeIso")`. This implementation inserts that key into the scheduler_run
 * table, where it is unique and kept (not a lock that is released): the first replica to insert it
 * runs the fire, the others, and any replica that fires late, find it taken and skip. A replica
 * that dies mid-run would leave its fire taken for good: so the run renews a heartbeat every quarter
 * lease, and once a fire's heartbeat is older than the lease another replica may take it over,
 * whatever its kind. What running a fire again does is its kind's to decide (see scheduler.ts): a
 * check run is idempotent (warnings are keyed by dedupKey); the weekly report notes on the fire
 * when it starts posting, and a replica that takes over after that note does not post again.
 */
import type { RunCoordinator as CronRunCoordinator } from 'node-cron';
import type { Store } from '../store/store';

/** The kinds of scheduled fire. A fire's task is `<kind>:<workspace>`, its key `<kind>:<workspace>:<minute>`. */
export const FIRE_KINDS = ['check', 'report'] as const;
export type FireKind = (typeof FIRE_KINDS)[number];

/** `check:T0123`: the task of one kind of fire for one workspace. */
export function taskName(kind: FireKind, workspaceId: string): string {
  return `${kind}:${workspaceId}`;
}

/** The kind and workspace of a task name (null: not a task of a known kind). */
export function parseTaskName(name: string): { kind: FireKind; workspaceId: string } | null {
  const colon = name.indexOf(':');
  const kind = FIRE_KINDS.find((k) => k === name.slice(0, colon));
  return kind && colon < name.length - 1 ? { kind, workspaceId: name.slice(colon + 1) } : null;
}

/** How a fire ended, recorded next to its key as `<status>: <detail>` (`ok: 3 created, …`). */
export interface FireOutcome {
  status: 'ok' | 'skipped' | 'failed';
  detail: string;
}

export function outcomeText(outcome: FireOutcome): string {
  return `${outcome.status}: ${outcome.detail}`;
}

/** The scheduled minute: replicas whose timers fire a few ms apart must build the same key. */
export function fireMinute(fireTime: Date): Date {
  return new Date(Math.floor(fireTime.getTime() / 60_000) * 60_000);
}

/** `name:2026-11-28T08:00:00.000Z`, the same text node-cron builds for its coordinator. */
export function fireKey(name: string, fireTime: Date): string {
  return `${name}:${fireMinute(fireTime).toISOString()}`;
}

const KEY = /^(.+):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)$/;

/** node-cron keys a fire by its second; truncating to the minute keeps one key per scheduled minute. */
export function normalizeKey(key: string): string {
  const match = KEY.exec(key);
  return match?.[1] && match[2] ? fireKey(match[1], new Date(match[2])) : key;
}

/** The task name and scheduled minute of a fire key (null: not a fire key). */
export function parseFireKey(key: string): { name: string; fireTime: Date } | null {
  const match = KEY.exec(key);
  return match?.[1] && match[2] ? { name: match[1], fireTime: new Date(match[2]) } : null;
}

/**
 * An unfinished fire whose heartbeat is older than this may be taken over. Runs renew it every
 * quarter lease, so a live run keeps it however long it takes.
 */
export const DEFAULT_FIRE_LEASE_MS = 60_000;

export interface RunCoordinatorDeps {
  store: Store;
  /** Who claims fires: recorded with each key, for the operator reading the table. */
  holder: string;
  now: () => Date;
  /** See DEFAULT_FIRE_LEASE_MS. */
  leaseMs?: number;
}

export class RunCoordinator implements CronRunCoordinator {
  private readonly store: Store;
  readonly holder: string;
  private readonly now: () => Date;
  readonly leaseMs: number;

  constructor(deps: RunCoordinatorDeps) {
    ({ store: this.store, holder: this.holder, now: this.now } = deps);
    this.leaseMs = deps.leaseMs ?? DEFAULT_FIRE_LEASE_MS;
  }

  /** True for the one caller, across every replica, that claims this fire first. */
  async tryAcquire(name: string, fireTime: Date): Promise<boolean> {
    return this.claim(fireKey(name, fireTime));
  }

  /** node-cron's hook. Its TTL is ignored: a fire's key is kept, taken over only when its run died. */
  async shouldRun(key: string): Promise<boolean> {
    return this.claim(normalizeKey(key));
  }

  /** Records how the fire ended (ok / skipped / failed, with counts) next to its key. */
  async finish(key: string, outcome: FireOutcome): Promise<void> {
    await this.store.scheduler.finishFire(key, outcomeText(outcome).slice(0, 500), this.now());
  }

  /**
   * Notes how far this replica's run of a fire has got (and renews its lease): a replica that takes
   * the fire over reads it with `noteOf`. False when the fire is no longer this replica's.
   */
  async note(key: string, note: string): Promise<boolean> {
    return this.store.scheduler.noteFire(key, this.holder, note.slice(0, 500), this.now());
  }

  /** The note the fire's previous holder left, if the fire is unfinished (null: none). */
  async noteOf(key: string): Promise<string | null> {
    const fire = await this.store.scheduler.findFire(key);
    return fire && !fire.finishedAt ? fire.outcome : null;
  }

  /** Renews this replica's lease on a fire it runs; false when another replica took it over. */
  async heartbeat(key: string): Promise<boolean> {
    return this.store.scheduler.heartbeat(key, this.holder, this.now());
  }

  /** True for a fire no run holds any more: unfinished, and no heartbeat for a lease. */
  isAbandoned(fire: { startedAt: Date; heartbeatAt: Date | null; finishedAt: Date | null }): boolean {
    return !fire.finishedAt && (fire.heartbeatAt ?? fire.startedAt).getTime() < this.staleBefore().getTime();
  }

  /** Keys of abandoned fires scheduled within the last day (older ones were followed by a newer fire). */
  abandonedFires(): Promise<string[]> {
    return this.store.scheduler.staleFires(this.staleBefore(), new Date(this.now().getTime() - 24 * 3_600_000));
  }

  private staleBefore(): Date {
    return new Date(this.now().getTime() - this.leaseMs);
  }

  private claim(key: string): Promise<boolean> {
    return this.store.scheduler.claimFire(key, this.holder, this.now(), this.staleBefore());
  }
}
