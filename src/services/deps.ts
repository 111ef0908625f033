/** What every use case gets: the store, the one clock, and the hooks the process wires in. */
import type { Connection, Warning, Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { JudgingQueue } from './judging';
import type { Actor } from './permissions';
import type { SyncReport } from './sync-report';

// The store's type, for the process that opens it and hands it down (the bot never calls it).
export type { Store } from '../store/store';

export interface ServiceDeps {
  store: Store;
  /** The clock: services never call `new Date()` themselves. */
  now: () => Date;
  logger?: Logger;
  /**
   * Called after a workspace is first seen or its settings change, so the scheduler can
   * (re)schedule its daily check. `serve` wires it to the scheduler; the CLI has none.
   */
  onWorkspaceChanged?: (workspaceId: string) => Promise<void>;
  /**
   * Runs a workspace's check now, delivery included (serve wires it to the scheduler): for news
   * that cannot wait for the daily run, such as a channel owner's Slack account being deactivated.
   */
  checkNow?: (workspaceId: string) => Promise<void>;
  /** One judging of a workspace's lists at a time (serve shares one between the bot and the scheduler). */
  judging?: JudgingQueue;
  /** TOKEN_ENCRYPTION_KEY and the keys around a rotation: a connection's introspection token is stored with them. */
  sourceKeys?: import('../store/store').InstallationKeys;
  /** Syncs the workspace's sources now (docs/sources.md; serve wires it when TOKEN_ENCRYPTION_KEY is set). */
  syncSources?: (workspaceId: string) => Promise<SyncReport>;
}

/** Who asks, in which workspace: what every use case needs besides its own arguments. */
export interface Acting {
  workspace: Workspace;
  actor: Actor;
}

/** What a change to one channel did: `changed` false when it already was so (nothing was written). */
export interface ChannelChange {
  connection: Connection;
  changed: boolean;
  /** The open warnings the change settled. */
  resolvedWarnings: Warning[];
  /** When it was recorded (the clock's `now`). */
  at: Date;
}

/** Tells the scheduler; a failure there must not fail the person's request. */
export async function notifyWorkspaceChanged(deps: ServiceDeps, workspaceId: string): Promise<void> {
  try {
    await deps.onWorkspaceChanged?.(workspaceId);
  } catch (error) {
    deps.logger?.warn({ err: (error as Error).message, workspace: workspaceId }, 'could not reschedule the workspace check');
  }
}
