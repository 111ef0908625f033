/**
 * Multi-workspace mode: a workspace the app was uninstalled from keeps its data for the retention
 * period (UNINSTALL_RETENTION_DAYS), so a reinstall restores everything; after it, `purge` deletes
 * the workspace with all its data, and its installation. `serve` runs it hourly, with the purge
 * of installs started at /slack/install and never finished (their OAuth state has expired), and,
 * after a key rotation, the move of tokens still under the previous key to the current one.
 */
import type { Logger } from '../logger';
import type { InstallationRepository } from '../store/installation-repository';
import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60_000;
export const RETENTION_SWEEP_MS = 60 * 60_000;
/** Tokens left for a refresh in flight are tried again this much later (a refresh claim lasts 30 s). */
export const DEFERRED_REWRITE_MS = 60_000;

/**
 * Moves tokens still under TOKEN_ENCRYPTION_KEY_PREVIOUS to the current key. Tokens with a refresh
 * in flight are left (`deferred`): the refresh writes them anew, and the next pass takes the rest.
 * Replicas still on the previous key keep writing under it until they restart: the hourly pass
 * moves those too.
 */
export async function rewriteOutdatedTokens(
  installations: Pick<InstallationRepository, 'rewriteTokens'>,
  now: Date,
  logger?: Logger,
): Promise<{ rewritten: number; deferred: number; unreadable: number }> {
  const result = await installations.rewriteTokens(now);
  if (result.rewritten) logger?.info({ installations: result.rewritten }, 'tokens re-encrypted with the current TOKEN_ENCRYPTION_KEY');
  if (result.deferred) logger?.info({ installations: result.deferred }, 'tokens with a refresh in flight are re-encrypted at the next pass');
  if (result.unreadable) {
    logger?.warn({ installations: result.unreadable }, 'tokens that neither TOKEN_ENCRYPTION_KEY nor _PREVIOUS reads: those workspaces must reinstall');
  }
  return result;
}

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

/**
 * Runs `purgeUninstalled` and `purgeUnfinishedInstalls` now and every `everyMs` until stopped, and,
 * given `installations` (with the token keys), `rewriteOutdatedTokens`: again after
 * `DEFERRED_REWRITE_MS` while tokens were left for a refresh in flight. A failure is logged and
 * tried again next time.
 */
export function startRetentionSweep(options: {
  store: Store;
  now: () => Date;
  retentionDays: number;
  logger: Logger;
  everyMs?: number;
  installations?: Pick<InstallationRepository, 'rewriteTokens'>;
  deferredRewriteMs?: number;
}): () => void {
  let retry: ReturnType<typeof setTimeout> | null = null;
  const rewrite = (installations: Pick<InstallationRepository, 'rewriteTokens'>) =>
    void rewriteOutdatedTokens(installations, options.now(), options.logger).then(
      ({ deferred }) => {
        if (!deferred || retry) return;
        retry = setTimeout(() => {
          retry = null;
          rewrite(installations);
        }, options.deferredRewriteMs ?? DEFERRED_REWRITE_MS);
        retry.unref?.();
      },
      (error: Error) => options.logger.warn({ err: error.message }, 'moving tokens to the current TOKEN_ENCRYPTION_KEY failed'),
    );
  const sweep = () => {
    void purgeUninstalled(options.store, options.now(), options.retentionDays, options.logger).catch((error: Error) =>
      options.logger.warn({ err: error.message }, 'purge of uninstalled workspaces failed'),
    );
    void purgeUnfinishedInstalls(options.store, options.now(), options.logger).catch((error: Error) =>
      options.logger.warn({ err: error.message }, 'purge of unfinished installs failed'),
    );
    if (options.installations) rewrite(options.installations);
  };
  sweep();
  const timer = setInterval(sweep, options.everyMs ?? RETENTION_SWEEP_MS);
  timer.unref?.();
  return () => {
    clearInterval(timer);
    if (retry) clearTimeout(retry);
  };
}
