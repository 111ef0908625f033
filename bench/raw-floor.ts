/**
 * The floor a check pass is compared with: the same reads and the same warning inserts straight
 * through the driver (better-sqlite3, pg), no ORM, no rules. A pass cannot be faster than this.
 */
import { Client } from 'pg';
import { SqliteDatabase } from './seed';

const CONNECTION_COLUMNS = `c."id", c."workspaceId", c."network", c."kind", c."name", c."url", c."ownerId", c."connectedAt", c."lastRefreshedAt",
  c."ownerLastActiveAt", c."status", c."disconnectReason", c."disconnectedAt", c."sharedLogin", c."twoFactor", c."ownerSuperAdmin",
  c."permissionsGranted", c."notes", c."archivedAt", c."createdAt", c."updatedAt"`;
const OPEN = `('pending', 'sending', 'posted', 'failed', 'snoozed')`;

/** Per workspace, what a check reads: the workspace, its connections and their backups, inactive members, open warnings. */
function readQueries(p: (n: number) => string) {
  return [
    `SELECT * FROM "Workspace" WHERE "id" = ${p(1)}`,
    `SELECT ${CONNECTION_COLUMNS} FROM "Connection" c WHERE c."workspaceId" = ${p(1)} AND c."archivedAt" IS NULL ORDER BY c."nameKey", c."network"`,
    `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b
     WHERE b."connectionId" IN (SELECT c."id" FROM "Connection" c WHERE c."workspaceId" = ${p(1)} AND c."archivedAt" IS NULL) ORDER BY b."connectionId", b."userId"`,
    `SELECT "userId" FROM "Member" WHERE "workspaceId" = ${p(1)} AND "active" = ${p(2)}`,
    `SELECT * FROM "Warning" WHERE "workspaceId" = ${p(1)} AND "state" IN ${OPEN} ORDER BY "id"`,
  ];
}

export type WarningRow = [string, number, string, string, string, string, string, string];
const WARNING_SELECT = `SELECT "workspaceId", "connectionId", "kind", "stage", "severity", "cycle", "dedupKey", "dueAt" FROM "Warning" ORDER BY "id"`;

export interface RawDriver {
  /** Every workspace's reads; returns the connections read. */
  read(workspaceIds: readonly string[]): Promise<number>;
  /** How many warning rows are stored. */
  countWarnings(): Promise<number>;
  /** The warning rows now stored (to insert them again), then deletes them. */
  takeWarnings(): Promise<WarningRow[]>;
  /** Inserts the rows in one transaction. */
  insertWarnings(rows: readonly WarningRow[]): Promise<void>;
  /** Inserts the rows in one transaction per workspace, as a check pass commits. */
  insertWarningsPerWorkspace(rows: readonly WarningRow[]): Promise<void>;
  close(): Promise<void>;
}

const SQLITE_INSERT = `INSERT INTO "Warning" ("workspaceId", "connectionId", "kind", "stage", "severity", "cycle", "dedupKey", "dueAt", "createdAt", "updatedAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("dedupKey") DO NOTHING`;

/** The rows grouped by workspace (the first column), in order of first appearance. */
function byWorkspace(rows: readonly WarningRow[]): WarningRow[][] {
  const groups = new Map<string, WarningRow[]>();
  for (const r of rows) {
    const group = groups.get(r[0]);
    if (group) group.push(r);
    else groups.set(r[0], [r]);
  }
  return [...groups.values()];
}

export function sqliteDriver(file: string): RawDriver {
  const db = new SqliteDatabase(file);
  const queries = readQueries(() => '?').map((sql) => db.prepare(sql));
  const stamp = new Date().toISOString().replace('Z', '+00:00');
  return {
    async read(ids) {
      let rows = 0;
      for (const id of ids) {
        queries[0]!.all(id);
        rows += queries[1]!.all(id).length;
        queries[2]!.all(id);
        queries[3]!.all(id, 0);
        queries[4]!.all(id);
      }
      return rows;
    },
    async countWarnings() {
      return (db.prepare('SELECT COUNT(*) AS n FROM "Warning"').all()[0] as { n: number }).n;
    },
    async takeWarnings() {
      const rows = (db.prepare(WARNING_SELECT) as unknown as { raw(): { all(): WarningRow[] } }).raw().all();
      db.exec('DELETE FROM "Warning"');
      return rows;
    },
    async insertWarnings(rows) {
      const insert = db.prepare(SQLITE_INSERT);
      db.transaction(() => {
        for (const r of rows) insert.run(...r, stamp, stamp);
      })();
    },
    async insertWarningsPerWorkspace(rows) {
      const insert = db.prepare(SQLITE_INSERT);
      for (const group of byWorkspace(rows))
        db.transaction(() => {
          for (const r of group) insert.run(...r, stamp, stamp);
        })();
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresDriver(url: string): Promise<RawDriver> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const queries = readQueries((n) => `$${n}`);
  return {
    async read(ids) {
      let rows = 0;
      for (const id of ids) {
        await client.query(queries[0]!, [id]);
        rows += (await client.query(queries[1]!, [id])).rowCount ?? 0;
        await client.query(queries[2]!, [id]);
        await client.query(queries[3]!, [id, false]);
        await client.query(queries[4]!, [id]);
      }
      return rows;
    },
    async countWarnings() {
      return Number((await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM "Warning"')).rows[0]!.n);
    },
    async takeWarnings() {
      const { rows } = await client.query<WarningRow>({ text: WARNING_SELECT, rowMode: 'array' });
      await client.query('DELETE FROM "Warning"');
      return rows;
    },
    async insertWarnings(rows) {
      const now = new Date();
      await client.query('BEGIN');
      // unnest over column arrays: one statement per 10,000 rows, the fastest plain INSERT pg offers.
      for (let i = 0; i < rows.length; i += 10_000) await insertUnnest(client, rows.slice(i, i + 10_000), now);
      await client.query('COMMIT');
    },
    async insertWarningsPerWorkspace(rows) {
      const now = new Date();
      for (const group of byWorkspace(rows)) {
        await client.query('BEGIN');
        await insertUnnest(client, group, now);
        await client.query('COMMIT');
      }
    },
    async close() {
      await client.end();
    },
  };
}

async function insertUnnest(client: Client, chunk: readonly WarningRow[], now: Date): Promise<void> {
  const column = (k: number) => chunk.map((r) => r[k]);
  await client.query(
    `INSERT INTO "Warning" ("workspaceId", "connectionId", "kind", "stage", "severity", "cycle", "dedupKey", "dueAt", "createdAt", "updatedAt")
     SELECT w, c, k, s, sv, cy, d, due, $9, $9 FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS t(w, c, k, s, sv, cy, d, due)
     ON CONFLICT ("dedupKey") DO NOTHING`,
    [column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7), now],
  );
}
