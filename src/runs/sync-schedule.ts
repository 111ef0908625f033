/**
 * `serve`'s sync of every workspace with a source, every SYNC_INTERVAL_MINUTES. Each interval of each
 * workspace is one fire, claimed through the scheduler's table (`sync:<workspace>:<interval start>`),
 * so with several replicas exactly one runs it; the others skip it. A source that asked to wait
 * longer than a minute simply waits for the next interval.
 */
import type { Logger } from '../logger';
import { runSync, type SyncRunDeps } from './sync-run';

export interface SyncScheduleOptions extends SyncRunDeps {
  intervalMinutes: number;
  holder: string;
  logger: Logger;
  /** How often to look for an interval due (default: a minute, or the interval when shorter). */
  tickMs?: number;
}

export interface SyncSchedule {
  /** Runs the intervals due now (also what each tick does); resolves when they are done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A finished sync fire is kept this long, then deleted: a fire a day would be a check's pace, but a
 * sync is 96 a day per workspace at the default interval. A week says when each interval last ran.
 */
export const SYNC_FIRES_KEPT_DAYS = 7;
const PRUNE_EVERY_MS = 3_600_000;

export function startSyncSchedule(options: SyncScheduleOptions): SyncSchedule {
  const intervalMs = options.intervalMinutes * 60_000;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let prunedAt = -Infinity;
  const tick = (): Promise<void> => {
    running = running
      .then(async () => {
        await syncDue(options, intervalMs);
        const now = options.now().getTime();
        if (now - prunedAt < PRUNE_EVERY_MS) return;
        prunedAt = now;
        const pruned = await options.store.scheduler.pruneFinished('sync:', new Date(now - SYNC_FIRES_KEPT_DAYS * 86_400_000));
        if (pruned) options.logger.debug({ pruned }, 'old sync fires deleted');
      })
      .catch((error: unknown) => options.logger.error({ err: error }, 'source sync pass failed'));
    return running;
  };
  const timer = setInterval(() => void (stopped ? undefined : tick()), options.tickMs ?? Math.min(60_000, intervalMs));
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

async function syncDue(options: SyncScheduleOptions, intervalMs: number): Promise<void> {
  const { store, logger, holder } = options;
  const now = options.now();
  const slot = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
  for (const workspaceId of await store.sources().workspacesWithSources()) {
    const key = `sync:${workspaceId}:${slot.toISOString()}`;
    if (!(await store.scheduler.claimFire(key, holder, now))) continue;
    let outcome = 'ok';
    try {
      const report = await runSync(options, workspaceId);
      const failed = report.sources.filter((s) => !s.ok);
      outcome = failed.length ? `failed: ${failed.map((s) => s.source).join(', ')}` : `ok: ${report.sources.length} sources`;
      logger.info({ workspaceId, created: report.created.length, disconnected: report.disconnected.length, failed: failed.length }, 'sources synced');
    } catch (error) {
      outcome = `failed: ${(error as Error).message}`;
      logger.error({ workspaceId, err: error }, 'source sync failed');
    } finally {
      await store.scheduler.finishFire(key, outcome.slice(0, 500), options.now());
    }
  }
}
