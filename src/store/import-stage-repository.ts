/**
 * An import's writes, staged then applied (docs/architecture.md). The import plans its rows in
 * batches outside any transaction and stages what it would write here, each batch one short
 * statement; then `apply` writes them all in ONE short transaction with one set-based statement
 * per table. So a long import holds SQLite's write lock for about a second at 100,000 rows, not for
 * the whole import, and is still all or nothing: until `apply` commits, nothing of it is visible.
 *
 * Staged rows name connections by network + name key (a created connection has no id yet).
 * A write to one of them between the plan and the apply makes the import plan again.
 */
import type { FindingKind } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { SqlParams } from './sql';
import { OPEN_STATES } from './warning-repository';

/**
 * One staged write, for the connection with this network + name key; `data` is the JSON array its
 * step's statement unpacks.
 */
export type StagedWrite = { network: string; nameKey: string } & (
  | /**
     * kind, name, url, ownerId, connectedAt, lastRefreshedAt, ownerLastActiveAt, status, tool; then, for
     * a new connection (`connectionId` null), its backups and its `connection.add` audit details (JSON).
     */
    { step: 'connection'; connectionId: number | null; data: [...(string | null)[], string[], string] }
  | /** userId */ { step: 'backup_remove' | 'backup_add'; data: [string] }
  | /** the connection's open `no_backup` warnings are resolved */ { step: 'resolve'; data: [] }
  | /** action, details (JSON) */ { step: 'audit'; data: [string, string] }
);

export interface ApplyOptions {
  workspaceId: string;
  actorId: string;
  now: Date;
  /** The file has a `tool` column: staged connections set it (a file without one leaves it). */
  setTool: boolean;
}

/** Staged rows older than this belong to an import that died; the next import deletes them. */
const STALE_MS = 24 * 60 * 60 * 1000;

export class ImportStageRepository {
  private readonly postgres: boolean;

  constructor(
    private readonly db: Db | Tx,
    provider: DatabaseProvider,
  ) {
    this.postgres = provider === 'postgresql';
  }

  /** Stages writes in one statement (atomic on its own: no transaction needed). */
  async stage(importId: string, writes: readonly StagedWrite[], now: Date): Promise<void> {
    if (!writes.length) return;
    const json = JSON.stringify(writes.map((w) => [w.step, w.network, w.nameKey, w.step === 'connection' ? w.connectionId : null, JSON.stringify(w.data)]));
    const stamp = this.stamp(now);
    await this.db.$executeRawUnsafe(
      this.postgres
        ? `INSERT INTO "ImportStage" ("importId", "step", "network", "nameKey", "connectionId", "data", "createdAt")
           SELECT $1, r->>0, r->>1, r->>2, (r->>3)::integer, r->>4, $2::timestamp FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`
        : `INSERT INTO "ImportStage" ("importId", "step", "network", "nameKey", "connectionId", "data", "createdAt")
           SELECT ?, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'), json_extract(r.value, '$[3]'),
                  json_extract(r.value, '$[4]'), ? FROM json_each(?) r ORDER BY r.key`,
      importId,
      stamp,
      json,
    );
  }

  /** Deletes an import's staged rows, and those of imports that died more than a day ago. */
  async clear(importId: string, now: Date): Promise<void> {
    await this.db.$executeRawUnsafe(
      this.postgres
        ? `DELETE FROM "ImportStage" WHERE "importId" = $1 OR "createdAt" < $2::timestamp`
        : `DELETE FROM "ImportStage" WHERE "importId" = ? OR "createdAt" < ?`,
      importId,
      this.stamp(new Date(now.getTime() - STALE_MS)),
    );
  }

  /** The newest audit event's id: connections changed after it show up in `changedSince`. */
  async auditMark(): Promise<number> {
    const [row] = await this.db.$queryRawUnsafe<{ mark: number | bigint | null }[]>('SELECT MAX("id") AS "mark" FROM "AuditEvent"');
    return Number(row?.mark ?? 0);
  }

  /**
   * Whether a connection this import writes changed after `mark`: one it updates, or one that now
   * has the key of a connection it writes (created, renamed or restored meanwhile). Every change to
   * a connection or its backups writes an audit event (a snooze touches only warnings). The plan is
   * stale then; changes to other connections leave it valid.
   */
  async changedSince(workspaceId: string, importId: string, mark: number): Promise<boolean> {
    const sql = new SqlParams(this.postgres ? 'postgresql' : 'sqlite');
    const text = `SELECT 1 FROM "AuditEvent" e JOIN "Connection" c ON c."id" = e."connectionId"
      WHERE e."id" > ${sql.add(mark, 'integer')} AND e."workspaceId" = ${sql.add(workspaceId)} AND e."action" <> 'connection.snooze'
        AND (EXISTS (SELECT 1 FROM "ImportStage" s WHERE s."importId" = ${sql.add(importId)} AND s."network" = c."network" AND s."nameKey" = c."nameKey")
          OR EXISTS (SELECT 1 FROM "ImportStage" s WHERE s."connectionId" = c."id" AND s."importId" = ${sql.add(importId)}))
      LIMIT 1`;
    const rows = await this.db.$queryRawUnsafe<unknown[]>(text, ...sql.values);
    return rows.length > 0;
  }

  /**
   * Applies an import's staged writes: connections (insert or overwrite the import's columns),
   * removed backups, added backups, settled `no_backup` warnings, audit events, in staged order.
   * Call inside a transaction. Each step is one statement, whatever the number of rows.
   * It writes connections, backups, warnings and audit events itself, against the rule that a
   * repository touches one entity: a set-based bulk write of one import, which row-by-row calls
   * through the other repositories would make thousands of statements (the use case,
   * src/services/import-connections.ts, still owns the transaction and decides what is staged).
   */
  async apply(importId: string, options: ApplyOptions): Promise<void> {
    const { workspaceId, actorId } = options;
    const stamp = this.stamp(options.now);
    const pg = this.postgres;
    // Each statement's parameters are added in the order they appear in its text (SQLite's `?`).
    const run = (build: (sql: SqlParams) => string) => {
      const sql = new SqlParams(pg ? 'postgresql' : 'sqlite');
      const text = build(sql);
      return this.db.$executeRawUnsafe(text, ...sql.values);
    };
    const at = (sql: SqlParams) => (pg ? `${sql.add(stamp)}::timestamp` : sql.add(stamp));
    // The staged JSON's items.
    const item = (i: number) => (pg ? `(s."data"::jsonb->>${i})` : `json_extract(s."data", '$[${i}]')`);
    // The staged rows of one step with the connection each names, by the unique index.
    const staged = (sql: SqlParams, step: string) =>
      `FROM "ImportStage" s JOIN "Connection" c ON c."workspaceId" = ${sql.add(workspaceId)} AND c."network" = s."network" AND c."nameKey" = s."nameKey"
       WHERE s."importId" = ${sql.add(importId)} AND s."step" = '${step}'`;
    if (pg) await this.db.$executeRawUnsafe('ANALYZE "ImportStage"');

    const columns =
      '"workspaceId", "network", "kind", "name", "nameKey", "url", "ownerId", "connectedAt", "lastRefreshedAt", "ownerLastActiveAt", "status", "tool", "createdAt", "updatedAt"';
    const setTool = options.setTool ? '"tool" = excluded."tool",' : '';
    await run(
      (sql) => `INSERT INTO "Connection" (${columns})
       SELECT ${sql.add(workspaceId)}, s."network", ${item(0)}, ${item(1)}, s."nameKey", ${Array.from({ length: 7 }, (_, i) => item(i + 2)).join(', ')}, ${at(sql)}, ${at(sql)}
       FROM "ImportStage" s WHERE s."importId" = ${sql.add(importId)} AND s."step" = 'connection' ORDER BY s."id"
       ON CONFLICT ("workspaceId", "network", "nameKey") DO UPDATE SET
         "kind" = excluded."kind", "name" = excluded."name", "url" = excluded."url", "ownerId" = excluded."ownerId",
         "connectedAt" = excluded."connectedAt", "lastRefreshedAt" = excluded."lastRefreshedAt", "ownerLastActiveAt" = excluded."ownerLastActiveAt",
         "status" = excluded."status", ${setTool}
         "disconnectReason" = CASE WHEN excluded."status" = 'connected' THEN NULL ELSE "Connection"."disconnectReason" END,
         "disconnectedAt" = CASE WHEN excluded."status" = 'connected' THEN NULL ELSE "Connection"."disconnectedAt" END,
         "updatedAt" = excluded."updatedAt"`,
    );
    // Removals first: a backup who becomes the owner stops being a backup.
    await run((sql) => `DELETE FROM "BackupAdmin" WHERE ("connectionId", "userId") IN (SELECT c."id", ${item(0)} ${staged(sql, 'backup_remove')})`);
    const backupsOfNew = pg
      ? `CROSS JOIN LATERAL jsonb_array_elements_text((s."data"::jsonb)->9) b(value)`
      : `JOIN json_each(json_extract(s."data", '$[9]')) b`;
    await run(
      (sql) => `INSERT INTO "BackupAdmin" ("connectionId", "userId", "addedBy", "addedAt")
       SELECT c."id", ${item(0)}, ${sql.add(actorId)}, ${at(sql)} ${staged(sql, 'backup_add')}
       UNION ALL
       SELECT c."id", b.value, ${sql.add(actorId)}, ${at(sql)}
       FROM "ImportStage" s JOIN "Connection" c ON c."workspaceId" = ${sql.add(workspaceId)} AND c."network" = s."network" AND c."nameKey" = s."nameKey"
       ${backupsOfNew}
       WHERE s."importId" = ${sql.add(importId)} AND s."step" = 'connection' AND s."connectionId" IS NULL
       ON CONFLICT DO NOTHING`,
    );
    const kind: FindingKind = 'no_backup';
    await run(
      (
        sql,
      ) => `UPDATE "Warning" SET "state" = 'resolved', "resolvedAt" = ${at(sql)}, "resolvedBy" = ${sql.add(actorId)}, "claimedBy" = NULL, "updatedAt" = ${at(sql)}
       WHERE "workspaceId" = ${sql.add(workspaceId)} AND "kind" = ${sql.add(kind)} AND "state" IN (${sql.list(OPEN_STATES)})
         AND "connectionId" IN (SELECT c."id" ${staged(sql, 'resolve')})`,
    );
    // A new connection's `connection.add` comes from its own staged row; both kinds in staged order.
    await run(
      (sql) => `INSERT INTO "AuditEvent" ("workspaceId", "connectionId", "actorId", "action", "details", "at")
       SELECT ${sql.add(workspaceId)}, c."id", ${sql.add(actorId)}, x."action", x."details", ${at(sql)}
       FROM (SELECT s."id", s."network", s."nameKey", ${item(0)} AS "action", ${item(1)} AS "details"
             FROM "ImportStage" s WHERE s."importId" = ${sql.add(importId)} AND s."step" = 'audit'
             UNION ALL
             SELECT s."id", s."network", s."nameKey", 'connection.add', ${item(10)}
             FROM "ImportStage" s WHERE s."importId" = ${sql.add(importId)} AND s."step" = 'connection' AND s."connectionId" IS NULL) x
       JOIN "Connection" c ON c."workspaceId" = ${sql.add(workspaceId)} AND c."network" = x."network" AND c."nameKey" = x."nameKey"
       ORDER BY x."id"`,
    );
  }

  /** How each database's adapter writes a DateTime, so raw rows read back like ORM ones. */
  private stamp(date: Date): string {
    return this.postgres ? date.toISOString() : date.toISOString().replace('Z', '+00:00');
  }
}
