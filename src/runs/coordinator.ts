/**
 * Exactly one replica runs each cron fire. node-cron 4.6 has the hook for it (`RunCoordinator`,
 * used when a task is scheduled with `distributed: true`): before each fire it asks
 * `shouldRun("name:fireTimeIso")`. This implementation inserts that key into the scheduler_run
 * table, where it is unique and kept (not a lock that is released): the first replica to insert it
 * runs the fire, the others, and any replica that fires late, find it taken and skip.
 */
import type { RunCoordinator as CronRunCoordinator } from 'node-cron';
import type { Store } from '../store/store';

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

export interface RunCoordinatorDeps {
  store: Store;
  /** Who claims fires: recorded with each key, for the operator reading the table. */
  holder: string;
  now: () => Date;
}

export class RunCoordinator implements CronRunCoordinator {
  private readonly store: Store;
  readonly holder: string;
  private readonly now: () => Date;

  constructor(deps: RunCoordinatorDeps) {
    ({ store: this.store, holder: this.holder, now: this.now } = deps);
  }

  /** True for the one caller, across every replica, that claims this fire first. */
  async tryAcquire(name: string, fireTime: Date): Promise<boolean> {
    return this.claim(fireKey(name, fireTime));
  }

  /** node-cron's hook. Its TTL is ignored: a fire's key is kept, never expires. */
  async shouldRun(key: string): Promise<boolean> {
    return this.claim(normalizeKey(key));
  }

  /** Records how the fire ended (ok / failed, with counts) next to its key. */
  async finish(key: string, outcome: string): Promise<void> {
    await this.store.scheduler.finishFire(key, outcome.slice(0, 500), this.now());
  }

  private claim(key: string): Promise<boolean> {
    return this.store.scheduler.claimFire(key, this.holder, this.now());
  }
}
