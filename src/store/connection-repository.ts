import {
  AuditAction,
  Connection,
  ConnectionKind,
  ConnectionStatus,
  DisconnectReason,
  FindingKind,
  IsoDate,
  Network,
  SecurityAttestations,
  Tool,
  Warning,
  nameFoldOf,
  nameKeyOf,
} from '../domain';
import { ConflictError, NotFoundError } from '../errors';
import { AuditRepository } from './audit-repository';
import { inTransaction, translate, type Db, type Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { readRows } from './raw-read';
import { toConnection, toConnectionsWith, type BackupRecord, type ConnectionRecord } from './mappers';
import { SqlParams } from './sql';
import { WarningRepository } from './warning-repository';

export interface ConnectionInput {
  network: Network;
  kind: ConnectionKind;
  name: string;
  url?: string | null;
  ownerId?: string | null;
  connectedAt: IsoDate;
  lastRefreshedAt?: IsoDate | null;
  ownerLastActiveAt?: IsoDate | null;
  status?: ConnectionStatus;
  disconnectReason?: DisconnectReason | null;
  disconnectedAt?: IsoDate | null;
  security?: Partial<SecurityAttestations>;
  notes?: string | null;
  tool?: Tool | null;
  backups?: string[];
}

export type ConnectionChanges = Partial<Omit<ConnectionInput, 'backups'>>;

export interface ConnectionFilter {
  network?: Network;
  ownerId?: string;
  /** Owner or backup. */
  involving?: string;
  status?: ConnectionStatus;
  includeArchived?: boolean;
  /** true: only retired channels; false: only those in use; left out: both. */
  retired?: boolean;
  tool?: Tool;
}

/** What a multi-row change did, so callers can update Slack messages of the resolved warnings. */
export interface ConnectionChange {
  connection: Connection;
  resolvedWarnings: Warning[];
  /** False when the connection already was in that state (a double click): nothing was written. */
  changed: boolean;
}

const withBackups = { backups: true } as const;

export const CONNECTION_COLUMNS = [
  'id',
  'workspaceId',
  'network',
  'kind',
  'name',
  'url',
  'ownerId',
  'connectedAt',
  'lastRefreshedAt',
  'ownerLastActiveAt',
  'status',
  'disconnectReason',
  'disconnectedAt',
  'sharedLogin',
  'twoFactor',
  'ownerSuperAdmin',
  'permissionsGranted',
  'notes',
  'tool',
  'archivedAt',
  'retiredAt',
  'createdAt',
  'updatedAt',
]
  .map((column) => `c."${column}"`)
  .join(', ');

/**
 * Connections and the changes that touch several rows (connection + backups + audit event +
 * warnings), each in one transaction. Rules (is this date valid? may this user do it?) are
 * checked by the caller; this class only stores.
 */
export class ConnectionRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  async create(workspaceId: string, input: ConnectionInput, actorId: string): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const row = await translate(
        () =>
          tx.connection.create({
            data: {
              workspaceId,
              ...columns(input),
              network: input.network,
              kind: input.kind,
              name: input.name.trim(),
              nameKey: nameKeyOf(input.name),
              connectedAt: input.connectedAt,
              backups: { create: [...new Set(input.backups ?? [])].filter((u) => u !== input.ownerId).map((userId) => ({ userId, addedBy: actorId })) },
            },
            include: withBackups,
          }),
        { conflict: duplicateName(input.network, input.name) },
      );
      await new AuditRepository(tx).append({
        workspaceId,
        connectionId: row.id,
        actorId,
        action: 'connection.add',
        details: { name: row.name, network: row.network },
      });
      return toConnection(row);
    });
  }

  /** Edits fields; writes one audit event listing what changed (`action` names why). */
  async update(workspaceId: string, id: number, changes: ConnectionChanges, actorId: string, action: AuditAction = 'connection.edit'): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const data = { ...columns(changes), ...(changes.name !== undefined ? { name: changes.name.trim(), nameKey: nameKeyOf(changes.name) } : {}) };
      const row = await translate(() => tx.connection.update({ where: { id }, data, include: withBackups }), {
        conflict: duplicateName((changes.network ?? before.network) as Network, changes.name ?? before.name),
      });
      const changed = Object.fromEntries(
        Object.entries(data)
          .filter(([key]) => key !== 'nameKey')
          .filter(([key, value]) => (before as Record<string, unknown>)[key] !== value)
          .map(([key, value]) => [key, { from: (before as Record<string, unknown>)[key] ?? null, to: value ?? null }]),
      );
      await new AuditRepository(tx).append({ workspaceId, connectionId: id, actorId, action, details: { changed } });
      return toConnection(row);
    });
  }

  async findById(workspaceId: string, id: number): Promise<Connection | null> {
    const row = await this.db.connection.findFirst({ where: { id, workspaceId, archivedAt: null }, include: withBackups });
    return row ? toConnection(row) : null;
  }

  async getById(workspaceId: string, id: number): Promise<Connection> {
    const connection = await this.findById(workspaceId, id);
    if (!connection) throw new NotFoundError(`no channel with id ${id} in this workspace`);
    return connection;
  }

  /** Case-insensitive; several networks may share a name, so this returns every match. */
  async findByName(workspaceId: string, name: string, network?: Network): Promise<Connection[]> {
    const rows = await this.db.connection.findMany({
      where: { workspaceId, nameKey: nameKeyOf(name), archivedAt: null, ...(network ? { network } : {}) },
      include: withBackups,
      orderBy: { network: 'asc' },
    });
    return rows.map(toConnection);
  }

  /**
   * Plain SQL, two statements (connections, then their backups): a check run reads every connection
   * of a workspace, and the ORM's `include` cost several times the queries themselves.
   * Ordered by name as it reads (`nameFoldOf`: the key is a look-alike skeleton, `m` in it is `rn`), then network.
   */
  async list(workspaceId: string, filter: ConnectionFilter = {}): Promise<Connection[]> {
    const sql = new SqlParams(this.provider);
    const where = [`c."workspaceId" = ${sql.add(workspaceId)}`];
    if (!filter.includeArchived) where.push('c."archivedAt" IS NULL');
    if (filter.network) where.push(`c."network" = ${sql.add(filter.network)}`);
    if (filter.ownerId) where.push(`c."ownerId" = ${sql.add(filter.ownerId)}`);
    if (filter.status) where.push(`c."status" = ${sql.add(filter.status)}`);
    if (filter.retired !== undefined) where.push(filter.retired ? 'c."retiredAt" IS NOT NULL' : 'c."retiredAt" IS NULL');
    if (filter.tool) where.push(`c."tool" = ${sql.add(filter.tool)}`);
    if (filter.involving) {
      const [owner, backup] = [sql.add(filter.involving), sql.add(filter.involving)];
      where.push(`(c."ownerId" = ${owner} OR EXISTS (SELECT 1 FROM "BackupAdmin" i WHERE i."connectionId" = c."id" AND i."userId" = ${backup}))`);
    }
    const condition = where.join(' AND ');
    const rows = await readRows<ConnectionRecord>(this.db, `SELECT ${CONNECTION_COLUMNS} FROM "Connection" c WHERE ${condition}`, sql.values);
    if (!rows.length) return [];
    const folded = new Map(rows.map((row) => [row, nameFoldOf(row.name)]));
    const before = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    rows.sort((a, b) => before(folded.get(a)!, folded.get(b)!) || before(a.network, b.network) || Number(a.id) - Number(b.id));
    const backups = await readRows<BackupRecord>(
      this.db,
      `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b
       WHERE b."connectionId" IN (SELECT c."id" FROM "Connection" c WHERE ${condition}) ORDER BY b."connectionId" ASC, b."userId" ASC`,
      sql.values,
    );
    return toConnectionsWith(rows, backups);
  }

  /** Names only, for "did you mean…" suggestions. */
  async listNames(workspaceId: string): Promise<{ id: number; name: string; network: Network }[]> {
    const rows = await this.db.connection.findMany({ where: { workspaceId, archivedAt: null }, select: { id: true, name: true, network: true } });
    return rows.map((row) => ({ ...row, network: row.network as Network }));
  }

  async count(workspaceId: string): Promise<number> {
    return this.db.connection.count({ where: { workspaceId, archivedAt: null } });
  }

  /** Removes a channel from the list (kept for the audit trail); its name becomes free again. */
  async archive(workspaceId: string, id: number, actorId: string, now: Date): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const row = await tx.connection.update({
        where: { id },
        data: { archivedAt: now, nameKey: `${before.nameKey}#archived-${id}` },
        include: withBackups,
      });
      const resolvedWarnings = await new WarningRepository(tx, this.provider).resolveForConnection(workspaceId, id, actorId, now);
      await new AuditRepository(tx).append({ workspaceId, connectionId: id, actorId, action: 'connection.remove', details: { name: before.name } });
      return { connection: toConnection(row), resolvedWarnings, changed: true };
    });
  }

  /** Retires a channel the team no longer uses: kept with its history, its open warnings resolved. */
  async retire(workspaceId: string, id: number, actorId: string, now: Date): Promise<ConnectionChange> {
    return this.changeAndResolve(workspaceId, id, actorId, now, { retiredAt: now }, 'connection.retire', {});
  }

  /** Puts a retired channel back in use; the next check judges it again. */
  async restore(workspaceId: string, id: number, actorId: string, now: Date): Promise<ConnectionChange> {
    return this.changeAndResolve(workspaceId, id, actorId, now, { retiredAt: null }, 'connection.restore', {}, []);
  }

  /**
   * Records a refresh; the warnings of the kinds in `settles` resolve with it (which kinds a refresh
   * settles is a product rule: the caller's, see src/services/caretaking.ts).
   * Recording the date already on record changes nothing and writes no audit event, so a double
   * click or a retried request is harmless; the guard is in the UPDATE so two at once cannot both pass.
   */
  async recordRefresh(workspaceId: string, id: number, on: IsoDate, actorId: string, now: Date, settles: readonly FindingKind[]): Promise<ConnectionChange> {
    return this.changeAndResolve(workspaceId, id, actorId, now, { lastRefreshedAt: on }, 'connection.refresh', { on }, [...settles], 'lastRefreshedAt');
  }

  /** Records the owner's activity; the warnings of the kinds in `settles` resolve with it. Idempotent like recordRefresh. */
  async recordActivity(workspaceId: string, id: number, on: IsoDate, actorId: string, now: Date, settles: readonly FindingKind[]): Promise<ConnectionChange> {
    return this.changeAndResolve(workspaceId, id, actorId, now, { ownerLastActiveAt: on }, 'connection.activity', { on }, [...settles], 'ownerLastActiveAt');
  }

  /** While disconnected no other finding holds, so every open warning resolves. */
  async markDisconnected(workspaceId: string, id: number, reason: DisconnectReason, on: IsoDate, actorId: string, now: Date): Promise<ConnectionChange> {
    return this.changeAndResolve(
      workspaceId,
      id,
      actorId,
      now,
      { status: 'disconnected', disconnectReason: reason, disconnectedAt: on },
      'connection.disconnect',
      { reason, on },
    );
  }

  /** Reconnecting authorises afresh: a new token cycle starts that day. */
  async markReconnected(workspaceId: string, id: number, on: IsoDate, actorId: string, now: Date): Promise<ConnectionChange> {
    return this.changeAndResolve(
      workspaceId,
      id,
      actorId,
      now,
      { status: 'connected', disconnectReason: null, disconnectedAt: null, lastRefreshedAt: on },
      'connection.reconnect',
      { on },
    );
  }

  /** A new owner; if they were a backup they stop being one (an owner is not their own backup). */
  async setOwner(workspaceId: string, id: number, ownerId: string, actorId: string, now: Date): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      await tx.backupAdmin.deleteMany({ where: { connectionId: id, userId: ownerId } });
      const change = await new ConnectionRepository(tx, this.provider).changeAndResolve(
        workspaceId,
        id,
        actorId,
        now,
        { ownerId },
        'connection.owner',
        { from: before.ownerId, to: ownerId },
        ['owner_gone'],
      );
      return change;
    });
  }

  async addBackup(workspaceId: string, id: number, userId: string, actorId: string, now: Date): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      if (before.ownerId === userId) throw new ConflictError(`<@${userId}> owns ${before.name}; an owner cannot also be its backup`, { mentions: [userId] });
      await translate(() => tx.backupAdmin.create({ data: { connectionId: id, userId, addedBy: actorId, addedAt: now } }), {
        conflict: `<@${userId}> is already a backup admin of ${before.name}`,
        mentions: [userId],
      });
      return new ConnectionRepository(tx, this.provider).changeAndResolve(workspaceId, id, actorId, now, {}, 'connection.backup.add', { userId }, [
        'no_backup',
      ]);
    });
  }

  async removeBackup(workspaceId: string, id: number, userId: string, actorId: string, now: Date): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const { count } = await tx.backupAdmin.deleteMany({ where: { connectionId: id, userId } });
      if (!count) throw new NotFoundError(`<@${userId}> is not a backup admin of ${before.name}`, { mentions: [userId] });
      return new ConnectionRepository(tx, this.provider).changeAndResolve(workspaceId, id, actorId, now, {}, 'connection.backup.remove', { userId }, []);
    });
  }

  /**
   * Hands over everything a leaving person owns or backs up: ownership goes to the successor
   * (or is left empty, which the checks report as "owner gone"), backup places go to the
   * successor unless they already hold one. One transaction for all channels.
   */
  async handover(workspaceId: string, leavingId: string, successorId: string | null, actorId: string, now: Date): Promise<ConnectionChange[]> {
    return inTransaction(this.db, async (tx) => {
      const repo = new ConnectionRepository(tx, this.provider);
      const involved = await repo.list(workspaceId, { involving: leavingId });
      const changes: ConnectionChange[] = [];
      for (const connection of involved) {
        const resolved: Warning[] = [];
        if (connection.ownerId === leavingId) {
          if (successorId) await tx.backupAdmin.deleteMany({ where: { connectionId: connection.id, userId: successorId } });
          await tx.connection.update({ where: { id: connection.id }, data: { ownerId: successorId } });
          if (successorId)
            resolved.push(...(await new WarningRepository(tx, this.provider).resolveForConnection(workspaceId, connection.id, actorId, now, ['owner_gone'])));
        } else {
          await tx.backupAdmin.deleteMany({ where: { connectionId: connection.id, userId: leavingId } });
          const successorHolds = successorId && (connection.ownerId === successorId || connection.backups.some((b) => b.userId === successorId));
          if (successorId && !successorHolds)
            await tx.backupAdmin.create({ data: { connectionId: connection.id, userId: successorId, addedBy: actorId, addedAt: now } });
        }
        await new AuditRepository(tx).append({
          workspaceId,
          connectionId: connection.id,
          actorId,
          action: 'connection.handover',
          details: { from: leavingId, to: successorId, role: connection.ownerId === leavingId ? 'owner' : 'backup' },
        });
        changes.push({ connection: toConnection(await getRow(tx, workspaceId, connection.id)), resolvedWarnings: resolved, changed: true });
      }
      return changes;
    });
  }

  /** One change to a connection, its audit event, and the warnings it settles, together. */
  private async changeAndResolve(
    workspaceId: string,
    id: number,
    actorId: string,
    now: Date,
    changes: ConnectionChanges & { retiredAt?: Date | null },
    action: AuditAction,
    details: Record<string, unknown>,
    resolveKinds?: Warning['kind'][],
    onlyIfChanged?: 'lastRefreshedAt' | 'ownerLastActiveAt',
  ): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      if (onlyIfChanged) {
        const value = changes[onlyIfChanged] ?? null;
        const { count } = await tx.connection.updateMany({
          where: { id, OR: [{ [onlyIfChanged]: null }, { [onlyIfChanged]: { not: value } }] },
          data: columns(changes),
        });
        if (count === 0)
          return {
            connection: toConnection({ ...before, backups: await tx.backupAdmin.findMany({ where: { connectionId: id } }) }),
            resolvedWarnings: [],
            changed: false,
          };
      }
      const row = await tx.connection.update({ where: { id }, data: columns(changes), include: withBackups });
      const resolvedWarnings =
        resolveKinds && resolveKinds.length === 0
          ? []
          : await new WarningRepository(tx, this.provider).resolveForConnection(workspaceId, id, actorId, now, resolveKinds);
      // At the clock's time, as the warnings it resolves: escalation and the weekly report compare by it.
      await new AuditRepository(tx).append({ workspaceId, connectionId: id, actorId, action, details, at: now });
      return { connection: toConnection(row), resolvedWarnings, changed: true };
    });
  }
}

async function getRow(db: Db | Tx, workspaceId: string, id: number) {
  const row = await db.connection.findFirst({ where: { id, workspaceId, archivedAt: null } });
  if (!row) throw new NotFoundError(`no channel with id ${id} in this workspace`);
  return row;
}

function duplicateName(network: Network, name: string): string {
  return `a ${network} channel named "${name.trim()}" already exists in this workspace; pick another name or edit the existing one`;
}

/** Input fields → columns, leaving out what was not given. */
function columns(input: ConnectionChanges & { retiredAt?: Date | null }) {
  const { security, name: _name, ...rest } = input;
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) data[key] = value;
  if (security) for (const [key, value] of Object.entries(security)) if (value !== undefined) data[key] = value;
  return data;
}
