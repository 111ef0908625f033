/**
 * Adding, editing and removing channels, and what team leaders and admins do to one: reassign its
 * owner, mark it disconnected or reconnected, hand over everything a leaving person holds.
 */
import type { Connection, DisconnectReason, IsoDate } from '../domain';
import type { ConnectionChanges, ConnectionInput } from '../store';
import type { Acting, ChannelChange, ServiceDeps } from './deps';
import { assertMay } from './permissions';

export async function addConnection(deps: ServiceDeps, { workspace, actor }: Acting, input: ConnectionInput): Promise<Connection> {
  assertMay(actor, 'lead', 'add channels');
  return deps.store.connections.create(workspace.id, input, actor.userId);
}

export async function editConnection(deps: ServiceDeps, { workspace, actor }: Acting, existing: Connection, changes: ConnectionChanges): Promise<Connection> {
  assertMay(actor, 'lead', 'edit channels', existing);
  return deps.store.connections.update(workspace.id, existing.id, changes, actor.userId);
}

export async function removeConnection(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection): Promise<ChannelChange> {
  assertMay(actor, 'admin', 'remove a channel', c);
  const at = deps.now();
  return { ...(await deps.store.connections.archive(workspace.id, c.id, actor.userId, at)), at };
}

/**
 * Retires a channel the team no longer uses: its history and audit trail stay, its open warnings
 * resolve and no new ones come, and `status` hides it unless asked. `changed` false: already retired.
 * Removing stays for records created by mistake.
 */
export async function retireConnection(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection): Promise<ChannelChange> {
  assertMay(actor, 'lead', 'retire a channel', c);
  const at = deps.now();
  if (c.retiredAt !== null) return { connection: c, changed: false, resolvedWarnings: [], at };
  return { ...(await deps.store.connections.retire(workspace.id, c.id, actor.userId, at)), at };
}

/** Puts a retired channel back in use; the next check judges it again. `changed` false: it was not retired. */
export async function restoreConnection(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection): Promise<ChannelChange> {
  assertMay(actor, 'lead', 'restore a channel', c);
  const at = deps.now();
  if (c.retiredAt === null) return { connection: c, changed: false, resolvedWarnings: [], at };
  return { ...(await deps.store.connections.restore(workspace.id, c.id, actor.userId, at)), at };
}

export interface OwnerChange extends ChannelChange {
  ownerId: string;
}

/** `changed` false: that person already owns it. */
export async function reassignOwner(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, ownerId: string): Promise<OwnerChange> {
  assertMay(actor, 'lead', 'reassign an owner', c);
  const at = deps.now();
  if (c.ownerId === ownerId) return { connection: c, changed: false, resolvedWarnings: [], at, ownerId };
  return { ...(await deps.store.connections.setOwner(workspace.id, c.id, ownerId, actor.userId, at)), at, ownerId };
}

export interface Disconnected extends ChannelChange {
  reason: DisconnectReason;
  on: IsoDate;
}

/** `changed` false: it already is marked disconnected. */
export async function markDisconnected(
  deps: ServiceDeps,
  { workspace, actor }: Acting,
  c: Connection,
  reason: DisconnectReason,
  on: IsoDate,
): Promise<Disconnected> {
  assertMay(actor, 'lead', 'mark a channel disconnected', c);
  const at = deps.now();
  if (c.status === 'disconnected') return { connection: c, changed: false, resolvedWarnings: [], at, reason, on };
  return { ...(await deps.store.connections.markDisconnected(workspace.id, c.id, reason, on, actor.userId, at)), at, reason, on };
}

export interface Reconnected extends ChannelChange {
  on: IsoDate;
}

/** `changed` false: it is not marked disconnected, so there is nothing to reconnect. */
export async function markReconnected(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, on: IsoDate): Promise<Reconnected> {
  assertMay(actor, 'lead', 'mark a channel reconnected', c);
  const at = deps.now();
  if (c.status !== 'disconnected') return { connection: c, changed: false, resolvedWarnings: [], at, on };
  return { ...(await deps.store.connections.markReconnected(workspace.id, c.id, on, actor.userId, at)), at, on };
}

/** What someone owns or backs up: anyone may look. */
export async function holdings(deps: ServiceDeps, { workspace }: Acting, userId: string): Promise<Connection[]> {
  return deps.store.connections.list(workspace.id, { involving: userId });
}

export interface Handover {
  from: string;
  to: string;
  changes: ChannelChange[];
  at: Date;
}

/** Everything the leaving person owns or backs up goes to the successor, in one transaction. */
export async function handover(deps: ServiceDeps, { workspace, actor }: Acting, leavingId: string, successorId: string): Promise<Handover> {
  assertMay(actor, 'lead', 'hand channels over');
  const at = deps.now();
  const changes = await deps.store.connections.handover(workspace.id, leavingId, successorId, actor.userId, at);
  return { from: leavingId, to: successorId, changes: changes.map((c) => ({ ...c, at })), at };
}
