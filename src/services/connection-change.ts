/**
 * The transaction behind every change to one channel: the connection (connections repository),
 * its audit event (audit) and the warnings the change settles (warnings), written together. Which
 * warnings a change settles is each use case's to say (SETTLED_BY in caretaking.ts, the lists in
 * channels.ts); repositories only store.
 */
import type { AuditAction, Connection, FindingKind, Warning } from '../domain';
import type { ConnectionWrite } from '../store/connection-repository';
import type { Store } from '../store/store';

/** Every open warning of the channel, or those of some kinds (none: an empty list). */
type Settles = 'every' | readonly FindingKind[];

/** Who changes which channel, and when (the clock's time, for the audit event and the resolved warnings alike). */
export interface ChangeOf {
  workspaceId: string;
  connectionId: number;
  actorId: string;
  at: Date;
}

/** A channel after a change, and the open warnings it settled. */
export interface Recorded {
  connection: Connection;
  changed: boolean;
  resolvedWarnings: Warning[];
}

/**
 * Resolves what the change settles and writes its audit event, in the caller's transaction.
 * `auditAt` null: the event takes the database's time (a handover's always has).
 */
export async function settleAndAudit(
  tx: Store,
  change: ChangeOf,
  action: AuditAction,
  details: Record<string, unknown>,
  settles: Settles,
  auditAt: Date | null = change.at,
): Promise<Warning[]> {
  const { workspaceId, connectionId, actorId, at } = change;
  const resolvedWarnings =
    settles === 'every' || settles.length
      ? await tx.warnings.resolveForConnection(workspaceId, connectionId, actorId, at, settles === 'every' ? undefined : [...settles])
      : [];
  // At the clock's time, as the warnings it resolves: escalation and the weekly report compare by it.
  await tx.audit.append({ workspaceId, connectionId, actorId, action, details, ...(auditAt ? { at: auditAt } : {}) });
  return resolvedWarnings;
}

/**
 * One write to a channel, its audit event and the warnings it settles, in one transaction. With
 * `onlyIfChanged`, recording the date already on record writes nothing at all (`changed` false).
 */
export function changeConnection(
  store: Store,
  change: ChangeOf,
  write: ConnectionWrite,
  action: AuditAction,
  details: Record<string, unknown>,
  settles: Settles,
  onlyIfChanged?: 'lastRefreshedAt' | 'ownerLastActiveAt',
): Promise<Recorded> {
  return store.transaction(async (tx) => {
    const { connection, changed } = await tx.connections.change(change.workspaceId, change.connectionId, write, onlyIfChanged);
    if (!changed) return { connection, changed, resolvedWarnings: [] };
    return { connection, changed, resolvedWarnings: await settleAndAudit(tx, change, action, details, settles) };
  });
}
