import { Connection, ConnectionKind, ConnectionStatus, DisconnectReason, IsoDate, Network, SecurityAttestations, Tool, nameFoldOf, nameKeyOf } from '../domain';
import { ConflictError, NotFoundError } from '../errors';
import { inTransaction, translate, type Db, type Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { readRows } from './raw-read';
import { toConnection, toConnectionsWith, type BackupRecord, type ConnectionRecord } from './mappers';
import { SqlParams } from './sql';
import { yieldToEventLoop } from '../yield';

/** Connections read per statement when a whole workspace is listed. */
const LIST_PAGE = 5_000;

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
  /** A sync creates records with no owner that its admins were told about (docs/sources.md). */
  awaitingOwner?: boolean;
}

export type ConnectionChanges = Partial<Omit<ConnectionInput, 'backups'>>;

/** What a change may write: the input's fields, and whether the channel is retired. */
export type ConnectionWrite = ConnectionChanges & { retiredAt?: Date | null };

/** Fields an edit changed, each from its old to its new value (the `connection.edit` audit details). */
type FieldChanges = Record<string, { from: unknown; to: unknown }>;

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
  /** Only these (a page the lists picked), in no particular order. */
  ids?: readonly number[];
}

/** A connection after a change. */
export interface ConnectionChange {
  connection: Connection;
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
  'observedEnd',
  'observedEndFrom',
  'observedOn',
  'dataAccessEnd',
  'awaitingOwner',
  'createdAt',
  'updatedAt',
]
  .map((column) => `c."${column}"`)
  .join(', ');

/**
 * Connections and their backup admins, and nothing else: the audit event a change writes and the
 * warnings it settles are the use case's (src/services), which joins them in one transaction.
 * Rules (is this date valid? may this user do it? which warnings does it settle?) are the
 * caller's; this class only stores.
 */
export class ConnectionRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /** A new connection and its backups (`actorId`: who added them). */
  async create(workspaceId: string, input: ConnectionInput, actorId: string): Promise<Connection> {
    const row = await translate(
      () =>
        this.db.connection.create({
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
    return toConnection(row);
  }

  /** Edits fields; returns what changed, each from its old value to its new one. */
  async update(workspaceId: string, id: number, changes: ConnectionChanges): Promise<{ connection: Connection; changed: FieldChanges }> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const data = {
        ...columns(changes),
        ...(changes.name !== undefined ? { name: changes.name.trim(), nameKey: nameKeyOf(changes.name) } : {}),
        // Someone was made owner (or the owner was changed): no longer the sync's record awaiting one.
        ...(changes.ownerId !== undefined && before.awaitingOwner ? { awaitingOwner: false } : {}),
      };
      const row = await translate(() => tx.connection.update({ where: { id }, data, include: withBackups }), {
        conflict: duplicateName((changes.network ?? before.network) as Network, changes.name ?? before.name),
      });
      const changed = Object.fromEntries(
        Object.entries(data)
          .filter(([key]) => key !== 'nameKey' && key !== 'awaitingOwner')
          .filter(([key, value]) => (before as Record<string, unknown>)[key] !== value)
          .map(([key, value]) => [key, { from: (before as Record<string, unknown>)[key] ?? null, to: value ?? null }]),
      );
      return { connection: toConnection(row), changed };
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
    /** The filter's condition, with its placeholders in a fresh set of parameters. */
    const condition = () => {
      const sql = new SqlParams(this.provider);
      const where = [`c."workspaceId" = ${sql.add(workspaceId)}`];
      if (!filter.includeArchived) where.push('c."archivedAt" IS NULL');
      if (filter.network) where.push(`c."network" = ${sql.add(filter.network)}`);
      if (filter.ownerId) where.push(`c."ownerId" = ${sql.add(filter.ownerId)}`);
      if (filter.status) where.push(`c."status" = ${sql.add(filter.status)}`);
      if (filter.retired !== undefined) where.push(filter.retired ? 'c."retiredAt" IS NOT NULL' : 'c."retiredAt" IS NULL');
      if (filter.tool) where.push(`c."tool" = ${sql.add(filter.tool)}`);
      if (filter.ids) where.push(filter.ids.length ? `c."id" IN (${sql.list(filter.ids, 'integer')})` : 'FALSE');
      if (filter.involving) {
        const [owner, backup] = [sql.add(filter.involving), sql.add(filter.involving)];
        where.push(`(c."ownerId" = ${owner} OR EXISTS (SELECT 1 FROM "BackupAdmin" i WHERE i."connectionId" = c."id" AND i."userId" = ${backup}))`);
      }
      return { sql, where: where.join(' AND ') };
    };
    // A whole workspace is read a page of ids at a time: one statement over tens of thousands of
    // rows holds the event loop for seconds on SQLite, whose calls complete synchronously.
    const rows: ConnectionRecord[] = [];
    const backups: BackupRecord[] = [];
    for (let after = 0; ;) {
      if (after > 0) await yieldToEventLoop();
      const page = condition();
      const from = page.sql.add(after, 'integer');
      const size = page.sql.add(LIST_PAGE, 'integer');
      const read = await readRows<ConnectionRecord>(
        this.db,
        `SELECT ${CONNECTION_COLUMNS} FROM "Connection" c WHERE ${page.where} AND c."id" > ${from} ORDER BY c."id" LIMIT ${size}`,
        page.sql.values,
      );
      if (!read.length) break;
      const last = Number(read[read.length - 1]!.id);
      const owned = condition();
      const [low, high] = [owned.sql.add(after, 'integer'), owned.sql.add(last, 'integer')];
      backups.push(
        ...(await readRows<BackupRecord>(
          this.db,
          `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b
           WHERE b."connectionId" IN (SELECT c."id" FROM "Connection" c WHERE ${owned.where} AND c."id" > ${low} AND c."id" <= ${high})
           ORDER BY b."connectionId" ASC, b."userId" ASC`,
          owned.sql.values,
        )),
      );
      rows.push(...read);
      if (read.length < LIST_PAGE) break;
      after = last;
    }
    if (!rows.length) return [];
    // Folding names costs more than the read: a list by ids (a page the caller orders) is left unsorted.
    if (!filter.ids) {
      const folded = new Map(rows.map((row) => [row, nameFoldOf(row.name)]));
      const before = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      rows.sort((a, b) => before(folded.get(a)!, folded.get(b)!) || before(a.network, b.network) || Number(a.id) - Number(b.id));
    }
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
  async archive(workspaceId: string, id: number, now: Date): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const row = await tx.connection.update({
        where: { id },
        data: { archivedAt: now, nameKey: `${before.nameKey}#archived-${id}` },
        include: withBackups,
      });
      return toConnection(row);
    });
  }

  /**
   * Writes `changes` to one connection. With `onlyIfChanged`, writing the value already on record
   * writes nothing (`changed` false), so a double click or a retried request is harmless; the guard
   * is in the UPDATE so two at once cannot both pass.
   */
  async change(workspaceId: string, id: number, changes: ConnectionWrite, onlyIfChanged?: 'lastRefreshedAt' | 'ownerLastActiveAt'): Promise<ConnectionChange> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      if (onlyIfChanged) {
        const value = changes[onlyIfChanged] ?? null;
        const { count } = await tx.connection.updateMany({
          where: { id, OR: [{ [onlyIfChanged]: null }, { [onlyIfChanged]: { not: value } }] },
          data: columns(changes),
        });
        if (count === 0)
          return { connection: toConnection({ ...before, backups: await tx.backupAdmin.findMany({ where: { connectionId: id } }) }), changed: false };
      }
      const row = await tx.connection.update({ where: { id }, data: columns(changes), include: withBackups });
      return { connection: toConnection(row), changed: true };
    });
  }

  /** A new owner (or none); if they were a backup they stop being one (an owner is not their own backup). Returns the owner before. */
  async setOwner(workspaceId: string, id: number, ownerId: string | null): Promise<{ connection: Connection; from: string | null }> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      if (ownerId) await tx.backupAdmin.deleteMany({ where: { connectionId: id, userId: ownerId } });
      const data = { ownerId, ...(ownerId !== null && before.awaitingOwner ? { awaitingOwner: false } : {}) };
      const row = await tx.connection.update({ where: { id }, data, include: withBackups });
      return { connection: toConnection(row), from: before.ownerId };
    });
  }

  async addBackup(workspaceId: string, id: number, userId: string, actorId: string, now: Date): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      if (before.ownerId === userId) throw new ConflictError(`<@${userId}> owns ${before.name}; an owner cannot also be its backup`, { mentions: [userId] });
      await translate(() => tx.backupAdmin.create({ data: { connectionId: id, userId, addedBy: actorId, addedAt: now } }), {
        conflict: `<@${userId}> is already a backup admin of ${before.name}`,
        mentions: [userId],
      });
      return touch(tx, id);
    });
  }

  async removeBackup(workspaceId: string, id: number, userId: string): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      const { count } = await tx.backupAdmin.deleteMany({ where: { connectionId: id, userId } });
      if (!count) throw new NotFoundError(`<@${userId}> is not a backup admin of ${before.name}`, { mentions: [userId] });
      return touch(tx, id);
    });
  }

  /**
   * A leaving person's backup place goes to the successor, unless the successor already holds the
   * channel (as owner or backup); without a successor it is just removed.
   */
  async passBackup(workspaceId: string, id: number, leavingId: string, successorId: string | null, actorId: string, now: Date): Promise<Connection> {
    return inTransaction(this.db, async (tx) => {
      const before = await getRow(tx, workspaceId, id);
      await tx.backupAdmin.deleteMany({ where: { connectionId: id, userId: leavingId } });
      const successorHolds =
        successorId && (before.ownerId === successorId || (await tx.backupAdmin.count({ where: { connectionId: id, userId: successorId } })) > 0);
      if (successorId && !successorHolds) await tx.backupAdmin.create({ data: { connectionId: id, userId: successorId, addedBy: actorId, addedAt: now } });
      return toConnection(await tx.connection.findUniqueOrThrow({ where: { id }, include: withBackups }));
    });
  }
}

/** The connection after a change to its backups: the row is written too, as any change to it is. */
async function touch(tx: Tx, id: number): Promise<Connection> {
  return toConnection(await tx.connection.update({ where: { id }, data: {}, include: withBackups }));
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
