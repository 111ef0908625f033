/**
 * Adding, editing and removing channels, and what team leaders and admins do to one: reassign its
 * owner, mark it disconnected or reconnected, hand over everything a leaving person holds.
 */
import { nameProblem, urlProblem, type Connection, type DisconnectReason, type IsoDate, type Network } from '../domain';
import { ConflictError, ValidationError } from '../errors';
import type { ConnectionChanges, ConnectionFilter, ConnectionInput } from '../store/connection-repository';
import { changeConnection, settleAndAudit, type ChangeOf, type Recorded } from './connection-change';
import type { Acting, ChannelChange, ServiceDeps, Store } from './deps';
import { assertMay } from './permissions';

// What callers outside the services (the bot, the command line) write and filter channels with.
export type { ConnectionFilter, ConnectionInput } from '../store/connection-repository';

export async function addConnection(deps: ServiceDeps, { workspace, actor }: Acting, input: ConnectionInput): Promise<Connection> {
  assertMay(actor, 'lead', 'add channels');
  assertUrl(input.url);
  await assertNameFree(deps, workspace.id, input.network, input.name, null);
  return writeAdded(deps.store, workspace.id, input, actor.userId);
}

/** A new channel and its `connection.add` event. The demo adds its sample channels through it too. */
export function writeAdded(store: Store, workspaceId: string, input: ConnectionInput, actorId: string): Promise<Connection> {
  return store.transaction(async (tx) => {
    const connection = await tx.connections.create(workspaceId, input, actorId);
    await tx.audit.append({
      workspaceId,
      connectionId: connection.id,
      actorId,
      action: 'connection.add',
      details: { name: connection.name, network: connection.network },
    });
    return connection;
  });
}

/** Saving the form unchanged (or a replayed submission) writes nothing and audits nothing. */
export async function editConnection(deps: ServiceDeps, { workspace, actor }: Acting, existing: Connection, changes: ConnectionChanges): Promise<Connection> {
  assertMay(actor, 'lead', 'edit channels', existing);
  assertUrl(changes.url);
  if (changes.name !== undefined) await assertNameFree(deps, workspace.id, changes.network ?? existing.network, changes.name, existing.id);
  if (!changesAnything(existing, changes)) return existing;
  return deps.store.transaction(async (tx) => {
    const { connection, changed } = await tx.connections.update(workspace.id, existing.id, changes);
    await tx.audit.append({ workspaceId: workspace.id, connectionId: existing.id, actorId: actor.userId, action: 'connection.edit', details: { changed } });
    return connection;
  });
}

/**
 * A name must be storable and differ from every other channel's of the network in more than case,
 * spacing or look-alike characters (`nameKeyOf`); a refusal names the channel it collides with.
 */
async function assertNameFree(deps: ServiceDeps, workspaceId: string, network: Network, name: string, self: number | null): Promise<void> {
  const problem = nameProblem(name);
  if (problem) throw new ValidationError(problem);
  const [other] = (await deps.store.connections.findByName(workspaceId, name, network)).filter((c) => c.id !== self);
  if (other) {
    throw new ConflictError(
      `“${name.trim()}” is the same name as the ${network} channel “${other.name}” (names that differ only in case, spacing or look-alike characters are one name): pick another name or edit that one.`,
    );
  }
}

/** The same address rule as the form and the import (`urlProblem`), for every other way in. */
function assertUrl(url: string | null | undefined): void {
  const problem = url ? urlProblem(url) : null;
  if (problem) throw new ValidationError(problem);
}

function changesAnything(existing: Connection, changes: ConnectionChanges): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  for (const [key, value] of Object.entries(changes) as [keyof ConnectionChanges, unknown][]) {
    if (value === undefined) continue;
    if (key === 'name') {
      if (existing.name !== String(value).trim()) return true;
    } else if (key === 'security') {
      const given = value as Partial<Connection['security']>;
      for (const [field, answer] of Object.entries(given)) if (!same(existing.security[field as keyof Connection['security']], answer)) return true;
    } else if (!same(existing[key], value)) return true;
  }
  return false;
}

export async function removeConnection(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection): Promise<ChannelChange> {
  assertMay(actor, 'admin', 'remove a channel', c);
  const at = deps.now();
  return deps.store.transaction(async (tx) => {
    const connection = await tx.connections.archive(workspace.id, c.id, at);
    // A removed channel has no findings left: every open warning resolves.
    const resolvedWarnings = await tx.warnings.resolveForConnection(workspace.id, c.id, actor.userId, at);
    await tx.audit.append({
      workspaceId: workspace.id,
      connectionId: c.id,
      actorId: actor.userId,
      action: 'connection.remove',
      details: { name: connection.name },
    });
    return { connection, resolvedWarnings, changed: true, at };
  });
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
  return { ...(await writeRetired(deps.store, { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at }, true)), at };
}

/** Puts a retired channel back in use; the next check judges it again. `changed` false: it was not retired. */
export async function restoreConnection(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection): Promise<ChannelChange> {
  assertMay(actor, 'lead', 'restore a channel', c);
  const at = deps.now();
  if (c.retiredAt === null) return { connection: c, changed: false, resolvedWarnings: [], at };
  return { ...(await writeRetired(deps.store, { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at }, false)), at };
}

/**
 * Retires a channel (every open warning resolves: no new ones come) or puts it back in use (nothing
 * settles: the next check judges it again). The import retires and restores through it too.
 */
export function writeRetired(store: Store, change: ChangeOf, retired: boolean): Promise<Recorded> {
  return retired
    ? changeConnection(store, change, { retiredAt: change.at }, 'connection.retire', {}, 'every')
    : changeConnection(store, change, { retiredAt: null }, 'connection.restore', {}, []);
}

export interface OwnerChange extends ChannelChange {
  ownerId: string;
}

/** `changed` false: that person already owns it. */
export async function reassignOwner(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, ownerId: string): Promise<OwnerChange> {
  assertMay(actor, 'lead', 'reassign an owner', c);
  const at = deps.now();
  if (c.ownerId === ownerId) return { connection: c, changed: false, resolvedWarnings: [], at, ownerId };
  const change = await deps.store.transaction(async (tx) => {
    const { connection, from } = await tx.connections.setOwner(workspace.id, c.id, ownerId);
    // An owner is what an `owner_gone` warning asks for.
    const who = { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at };
    return { connection, changed: true, resolvedWarnings: await settleAndAudit(tx, who, 'connection.owner', { from, to: ownerId }, ['owner_gone']) };
  });
  return { ...change, at, ownerId };
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
  return { ...(await writeDisconnected(deps.store, { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at }, reason, on)), at, reason, on };
}

/** While disconnected no other finding holds, so every open warning resolves. The demo records through it too. */
export function writeDisconnected(store: Store, change: ChangeOf, reason: DisconnectReason, on: IsoDate): Promise<Recorded> {
  const write = { status: 'disconnected', disconnectReason: reason, disconnectedAt: on } as const;
  return changeConnection(store, change, write, 'connection.disconnect', { reason, on }, 'every');
}

export interface Reconnected extends ChannelChange {
  on: IsoDate;
}

/** `changed` false: it is not marked disconnected, so there is nothing to reconnect. */
export async function markReconnected(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, on: IsoDate): Promise<Reconnected> {
  assertMay(actor, 'lead', 'mark a channel reconnected', c);
  const at = deps.now();
  if (c.status !== 'disconnected') return { connection: c, changed: false, resolvedWarnings: [], at, on };
  return { ...(await writeReconnected(deps.store, { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at }, on)), at, on };
}

/** Reconnecting authorises afresh: a new token cycle starts that day, and every open warning resolves. The demo records through it too. */
export function writeReconnected(store: Store, change: ChangeOf, on: IsoDate): Promise<Recorded> {
  const write = { status: 'connected', disconnectReason: null, disconnectedAt: null, lastRefreshedAt: on } as const;
  return changeConnection(store, change, write, 'connection.reconnect', { on }, 'every');
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
  const changes = await deps.store.transaction(async (tx) => {
    const involved = await tx.connections.list(workspace.id, { involving: leavingId });
    const done: ChannelChange[] = [];
    for (const c of involved) {
      const who = { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at };
      const role = c.ownerId === leavingId ? 'owner' : 'backup';
      const connection =
        role === 'owner'
          ? (await tx.connections.setOwner(workspace.id, c.id, successorId)).connection
          : await tx.connections.passBackup(workspace.id, c.id, leavingId, successorId, actor.userId, at);
      // The successor as owner is what an `owner_gone` warning asks for; a backup place settles nothing.
      const settles = role === 'owner' && successorId ? (['owner_gone'] as const) : [];
      const resolvedWarnings = await settleAndAudit(tx, who, 'connection.handover', { from: leavingId, to: successorId, role }, settles, null);
      done.push({ connection, resolvedWarnings, changed: true, at });
    }
    return done;
  });
  return { from: leavingId, to: successorId, changes, at };
}

/**
 * Reads anyone may make (`view`): the bot loads a channel again from the asker's workspace rather
 * than trust a button's value, and lists or finds channels by name for commands.
 */
export function channelById(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, id: number): Promise<Connection | null> {
  return deps.store.connections.findById(workspaceId, id);
}

export function channelsOf(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, filter: ConnectionFilter = {}): Promise<Connection[]> {
  return deps.store.connections.list(workspaceId, filter);
}

/** The channels named so (case, spacing and look-alikes aside), optionally of one network. */
export function channelsNamed(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, name: string, network?: Network): Promise<Connection[]> {
  return deps.store.connections.findByName(workspaceId, name, network);
}

/** Every channel's name, for "did you mean" suggestions. */
export async function channelNames(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<string[]> {
  return (await deps.store.connections.listNames(workspaceId)).map((n) => n.name);
}
