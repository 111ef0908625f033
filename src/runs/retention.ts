/**
 * Multi-workspace mode: a workspace the app was uninstalled from keeps its data for the retention
 * period (UNINSTALL_RETENTION_DAYS), so a reinstall restores everything; after it, `purge` deletes
 * the workspace with all its data, and its installation. `serve` runs it hourly, with the purge
 * of installs started at /slack/install and never finished (their OAuth state has expired).
 */
import type { Logger } from '../logger';
import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60_000;
export const RETENTION_SWEEP_MS = 60 * 60_000;

export async function purgeUninstalled(store: Store, now: Date, retentionDays: number, logger?: Logger): Promise<string[]> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  const purged = await store.workspaces.purgeUninstalled(before);
  await store.installations().purgeUninstalled(before);
  if (purged.length) logger?.info({ workspaces: purged, retentionDays }, 'purged the data of workspaces uninstalled past the retention period');
  return purged;
}

/** Forgets the OAuth state of installs never finished (expired); returns how many. */
export async function purgeUnfinishedInstalls(store: Store, now: Date, logger?: Logger): Promise<number> {
  const purged = await store.installations().purgeExpiredStates(now);
  if (purged) logger?.info({ states: purged }, 'purged the state of installs never finished');
  return purged;
}

/** Runs `purgeUninstalled` and `purgeUnfinishedInstalls` now and every `everyMs` until stopped; a failure is logged and tried again next time. */
export function startRetentionSweep(options: { store: Store; now: () => Date; retentionDays: number; logger: Logger; everyMs?: number }): () => void {
  const sweep = () => {
    void purgeUninstalled(options.store, options.now(), options.retentionDays, options.logger).catch((error: Error) =>
      options.logger.warn({ err: error.message }, 'purge of uninstalled workspaces failed'),
    );
    void purgeUnfinishedInstalls(options.store, options.now(), options.logger).catch((error: Error) =>
      options.logger.warn({ err: error.message }, 'purge of unfinished installs failed'),
    );
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs ?? RETENTION_SWEEP_MS);
  timer.unref?.();
  return () => clearInterval(timer);
}
