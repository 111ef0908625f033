/**
 * Many connections at once (the import): each method is one statement per call, whatever the
 * number of rows, with the rows passed as one JSON parameter that the database unpacks
 * (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL). No bound-parameter limit applies
 * and no row costs a round trip. Callers batch (about a thousand rows a call) inside one transaction.
 */
import { nameKeyOf, type Connection, type ConnectionFields, type FindingKind } from '../domain';
import type { Db, Tx } from './client';
import { CONNECTION_COLUMNS } from './connection-repository';
import type { DatabaseProvider } from './database-url';
import { toConnectionsWith, type BackupRecord, type ConnectionRecord } from './mappers';
import { OPEN_STATES, SqlParams } from './warning-repository';

export interface BackupPair {
  connectionId: number;
  userId: string;
}

export interface NewAuditEntry {
  connectionId: number | null;
  action: string;
  details: Record<string, unknown>;
}

/** The key a batch is matched by: network + case-insensitive name, as the unique index has it. */
export function connectionKey(network: string, name: string): string {
  return `${network}:${nameKeyOf(name)}`;
}

export class ConnectionBatchRepository {
  private readonly postgres: boolean;

  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {
    this.postgres = provider === 'postgresql';
  }

  /** Connections (not archived) with these network + name pairs, with their backups, in no particular order. */
  async findByNames(workspaceId: string, names: readonly { network: string; name: string }[]): Promise<Connection[]> {
    if (!names.length) return [];
    const sql = new SqlParams(this.provider);
    const json = sql.add(JSON.stringify(names.map((n) => [n.network, nameKeyOf(n.name)])));
    const ws = sql.add(workspaceId);
    const rows = await this.db.$queryRawUnsafe<ConnectionRecord[]>(
      this.postgres
        ? `SELECT ${CONNECTION_COLUMNS} FROM jsonb_array_elements(${json}::jsonb) r
           JOIN "Connection" c ON c."workspaceId" = ${ws} AND c."network" = r->>0 AND c."nameKey" = r->>1 WHERE c."archivedAt" IS NULL`
        : // CROSS JOIN keeps json_each outside: each row is then one look-up in the unique index, where
          // SQLite's planner would otherwise scan the workspace's connections once per row.
          `SELECT ${CONNECTION_COLUMNS} FROM json_each(${json}) r
           CROSS JOIN "Connection" c ON c."workspaceId" = ${ws} AND c."network" = json_extract(r.value, '$[0]') AND c."nameKey" = json_extract(r.value, '$[1]')
           WHERE c."archivedAt" IS NULL`,
      ...sql.values,
    );
    if (!rows.length) return [];
    const ids = JSON.stringify(rows.map((r) => Number(r.id)));
    const backups = await this.db.$queryRawUnsafe<BackupRecord[]>(
      this.postgres
        ? `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b
           WHERE b."connectionId" IN (SELECT (jsonb_array_elements_text($1::jsonb))::integer)`
        : `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b WHERE b."connectionId" IN (SELECT value FROM json_each(?))`,
      ids,
    );
    return toConnectionsWith(rows, backups);
  }

  /**
   * Inserts the rows that are new and overwrites the import's columns of those that exist
   * (`INSERT … ON CONFLICT (workspace, network, name key) DO UPDATE`); a row set back to
   * connected loses its disconnect reason and date. Returns each row's id by `connectionKey`.
   */
  async upsertMany(workspaceId: string, rows: readonly ConnectionFields[], now: Date): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (!rows.length) return ids;
    const json = JSON.stringify(
      rows.map((r) => [
        r.network,
        r.kind,
        r.name.trim(),
        nameKeyOf(r.name),
        r.url,
        r.ownerId,
        r.connectedAt,
        r.lastRefreshedAt,
        r.ownerLastActiveAt,
        r.status,
        r.tool ?? null,
      ]),
    );
    const columns =
      '"workspaceId", "network", "kind", "name", "nameKey", "url", "ownerId", "connectedAt", "lastRefreshedAt", "ownerLastActiveAt", "status", "tool", "createdAt", "updatedAt"';
    // A file with a `tool` column sets it (empty clears it); one without leaves each stored tool as it is.
    const setTool = rows.some((r) => r.tool !== undefined) ? '"tool" = excluded."tool",' : '';
    const update = `ON CONFLICT ("workspaceId", "network", "nameKey") DO UPDATE SET
      "kind" = excluded."kind", "name" = excluded."name", "url" = excluded."url", "ownerId" = excluded."ownerId",
      "connectedAt" = excluded."connectedAt", "lastRefreshedAt" = excluded."lastRefreshedAt", "ownerLastActiveAt" = excluded."ownerLastActiveAt",
      "status" = excluded."status", ${setTool}
      "disconnectReason" = CASE WHEN excluded."status" = 'connected' THEN NULL ELSE "Connection"."disconnectReason" END,
      "disconnectedAt" = CASE WHEN excluded."status" = 'connected' THEN NULL ELSE "Connection"."disconnectedAt" END,
      "updatedAt" = excluded."updatedAt"
      RETURNING "id", "network", "nameKey"`;
    const sql = this.postgres
      ? `INSERT INTO "Connection" (${columns})
         SELECT $1, r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, r->>8, r->>9, r->>10, $2::timestamp, $2::timestamp
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n ${update}`
      : `INSERT INTO "Connection" (${columns})
         SELECT ?, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'), json_extract(r.value, '$[3]'),
                json_extract(r.value, '$[4]'), json_extract(r.value, '$[5]'), json_extract(r.value, '$[6]'), json_extract(r.value, '$[7]'),
                json_extract(r.value, '$[8]'), json_extract(r.value, '$[9]'), json_extract(r.value, '$[10]'), ?, ?
         FROM json_each(?) r WHERE true ORDER BY r.key ${update}`;
    const stamp = this.stamp(now);
    const params = this.postgres ? [workspaceId, stamp, json] : [workspaceId, stamp, stamp, json];
    const returned = await this.db.$queryRawUnsafe<{ id: number | bigint; network: string; nameKey: string }[]>(sql, ...params);
    for (const row of returned) ids.set(`${row.network}:${row.nameKey}`, Number(row.id));
    return ids;
  }

  /** Adds backup admins; a pair already there is left as it is. */
  async addBackups(pairs: readonly BackupPair[], addedBy: string, now: Date): Promise<void> {
    if (!pairs.length) return;
    const json = JSON.stringify(pairs.map((p) => [p.connectionId, p.userId]));
    const stamp = this.stamp(now);
    if (this.postgres) {
      await this.db.$executeRawUnsafe(
        `INSERT INTO "BackupAdmin" ("connectionId", "userId", "addedBy", "addedAt")
         SELECT (r->>0)::integer, r->>1, $1, $2::timestamp FROM jsonb_array_elements($3::jsonb) r ON CONFLICT DO NOTHING`,
        addedBy,
        stamp,
        json,
      );
    } else {
      await this.db.$executeRawUnsafe(
        `INSERT INTO "BackupAdmin" ("connectionId", "userId", "addedBy", "addedAt")
         SELECT json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), ?, ? FROM json_each(?) r WHERE true ON CONFLICT DO NOTHING`,
        addedBy,
        stamp,
        json,
      );
    }
  }

  async removeBackups(pairs: readonly BackupPair[]): Promise<void> {
    if (!pairs.length) return;
    const json = JSON.stringify(pairs.map((p) => [p.connectionId, p.userId]));
    await this.db.$executeRawUnsafe(
      this.postgres
        ? `DELETE FROM "BackupAdmin" WHERE ("connectionId", "userId") IN (SELECT (r->>0)::integer, r->>1 FROM jsonb_array_elements($1::jsonb) r)`
        : `DELETE FROM "BackupAdmin" WHERE ("connectionId", "userId") IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))`,
      json,
    );
  }

  /** Appends audit events, one statement for all. */
  async appendAudit(workspaceId: string, actorId: string, entries: readonly NewAuditEntry[], now: Date): Promise<void> {
    if (!entries.length) return;
    const json = JSON.stringify(entries.map((e) => [e.connectionId, e.action, JSON.stringify(e.details)]));
    const stamp = this.stamp(now);
    await this.db.$executeRawUnsafe(
      this.postgres
        ? `INSERT INTO "AuditEvent" ("workspaceId", "connectionId", "actorId", "action", "details", "at")
           SELECT $1, (r->>0)::integer, $2, r->>1, r->>2, $3::timestamp FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`
        : `INSERT INTO "AuditEvent" ("workspaceId", "connectionId", "actorId", "action", "details", "at")
           SELECT ?, json_extract(r.value, '$[0]'), ?, json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'), ? FROM json_each(?) r ORDER BY r.key`,
      workspaceId,
      actorId,
      stamp,
      json,
    );
  }

  /** Resolves the open warnings of one kind for these connections (e.g. `no_backup` once a backup is added). */
  async resolveWarnings(workspaceId: string, connectionIds: readonly number[], kind: FindingKind, by: string, now: Date): Promise<number> {
    if (!connectionIds.length) return 0;
    const sql = new SqlParams(this.provider);
    const at = () => (this.postgres ? `${sql.add(this.stamp(now))}::timestamp` : sql.add(this.stamp(now)));
    const resolvedAt = at();
    const byParam = sql.add(by);
    const updatedAt = at();
    const ws = sql.add(workspaceId);
    const kindParam = sql.add(kind);
    const states = sql.list(OPEN_STATES);
    const ids = sql.add(JSON.stringify(connectionIds));
    const idList = this.postgres ? `SELECT (jsonb_array_elements_text(${ids}::jsonb))::integer` : `SELECT value FROM json_each(${ids})`;
    return this.db.$executeRawUnsafe(
      `UPDATE "Warning" SET "state" = 'resolved', "resolvedAt" = ${resolvedAt}, "resolvedBy" = ${byParam}, "claimedBy" = NULL, "updatedAt" = ${updatedAt}
       WHERE "workspaceId" = ${ws} AND "kind" = ${kindParam} AND "state" IN (${states}) AND "connectionId" IN (${idList})`,
      ...sql.values,
    );
  }

  /** How each database's adapter writes a DateTime, so raw rows read back like ORM ones. */
  private stamp(date: Date): string {
    return this.postgres ? date.toISOString() : date.toISOString().replace('Z', '+00:00');
  }
}
