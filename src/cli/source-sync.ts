/**
 * `serve`'s source syncs (src/runs/sync-schedule.ts), wired to the outbox worker: a disconnection a
 * source observed is checked and posted at once, and admins get the sync's one notice by DM.
 * Without TOKEN_ENCRYPTION_KEY no source can be read: one line says so when a workspace has one.
 */
import { requireSourceKeys, type Config } from '../config';
import type { Workspace } from '../domain';
import type { Logger } from '../logger';
import type { AdminNotice } from '../outbox/slack-port';
import type { Outbox } from '../outbox/report';
import type { Store } from '../store/store';

export interface SourceSyncWiring {
  config: Config;
  store: Store;
  logger: Logger;
  holder: string;
  outbox: Outbox;
  tellAdmins: (workspace: Workspace, notice: AdminNotice, why: string) => Promise<unknown>;
}

/** Starts the syncs, or returns null (nothing to stop) when the encryption key is missing. */
export async function startSourceSyncs(
  wiring: SourceSyncWiring,
): Promise<{ stop(): Promise<void>; syncNow(workspaceId: string): Promise<import('../services/sync-report').SyncReport> } | null> {
  const { config, store, logger } = wiring;
  let keys;
  try {
    keys = requireSourceKeys(config);
  } catch (error) {
    // Only to say so in the log: a database that does not answer here must not stop serve (/healthz reports it).
    const withSources = await store
      .sources()
      .workspacesWithSources()
      .catch(() => []);
    if (withSources.length) logger.error({ problem: (error as Error).message }, 'sources are not synced');
    return null;
  }
  const [{ startSyncSchedule }, { sourceClients }] = await Promise.all([import('../runs/sync-schedule'), import('../sources/clients')]);
  const sources = config.sources!;
  const { runSync } = await import('../runs/sync-run');
  const options: import('../runs/sync-schedule').SyncScheduleOptions = {
    store,
    logger,
    now: () => new Date(),
    keys,
    clients: sourceClients(sources),
    outbox: wiring.outbox,
    holder: wiring.holder,
    intervalMinutes: sources.syncIntervalMinutes,
    tellAdmins: async (workspaceId, notice) => {
      const workspace = await store.workspaces.findById(workspaceId);
      if (workspace) await wiring.tellAdmins(workspace, { kind: 'sync_notice', notice }, 'source sync');
    },
  };
  const schedule = startSyncSchedule(options);
  // "Sync now" in Slack: at once, outside the interval's claim.
  return { stop: () => schedule.stop(), syncNow: (workspaceId) => runSync(options, workspaceId) };
}

/** The keys a connection's introspection token is stored with, or undefined without TOKEN_ENCRYPTION_KEY. */
export function sourceKeysOf(config: Config): ReturnType<typeof requireSourceKeys> | undefined {
  try {
    return requireSourceKeys(config);
  } catch {
    return undefined;
  }
}
