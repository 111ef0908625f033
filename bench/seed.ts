/**
 * Writes a synthetic estate into a migrated database. Setup only, never timed: it goes straight
 * through the drivers (better-sqlite3, pg), because the ORM took minutes for 100,000 connections,
 * which made the benchmark slow to iterate on.
 */
import { Client } from 'pg';
import { nameKeyOf } from '../src/domain';
import type { BenchDatabase } from './databases';
import { estateWorkspaces, type EstateWorkspace } from './fixtures';

/** The little of better-sqlite3 used here (the package ships no types and @types is not installed). */
export interface Sqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  transaction(work: () => void): () => void;
  exec(sql: string): void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SqliteDatabase = require('better-sqlite3') as new (file: string) => Sqlite;

/** The text Prisma's SQLite adapter stores for a DateTime. */
function prismaDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

const AT = new Date('2025-01-01T00:00:00Z');

/** Each workspace its own alert channel: Slack paces posts per channel, so a shared one would time the pacing. */
function alertChannelOf(w: EstateWorkspace): string {
  return `C${w.id}`;
}

export function seedSqlite(file: string, estate: Iterable<EstateWorkspace>): number {
  const db = new SqliteDatabase(file);
  let count = 0;
  try {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    const at = prismaDate(AT);
    const workspace = db.prepare('INSERT INTO Workspace (id, name, alertChannel, timeZone, checkTime, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const member = db.prepare('INSERT INTO Member (workspaceId, userId, role, active, createdAt, updatedAt) VALUES (?, ?, ?, 0, ?, ?)');
    const connection = db.prepare(
      `INSERT INTO Connection (id, workspaceId, network, kind, name, nameKey, ownerId, connectedAt, lastRefreshedAt, ownerLastActiveAt,
         status, disconnectReason, disconnectedAt, sharedLogin, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const backup = db.prepare('INSERT INTO BackupAdmin (connectionId, userId, addedBy, addedAt) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const w of estate) {
        workspace.run(w.id, w.id, alertChannelOf(w), w.timeZone, '09:00', at, at);
        for (const userId of w.inactiveUsers) member.run(w.id, userId, 'member', at, at);
        for (const c of w.connections) {
          const sharedLogin = c.security.sharedLogin === null ? null : Number(c.security.sharedLogin);
          connection.run(
            c.id,
            c.workspaceId,
            c.network,
            c.kind,
            c.name,
            nameKeyOf(c.name),
            c.ownerId,
            c.connectedAt,
            c.lastRefreshedAt,
            c.ownerLastActiveAt,
            c.status,
            c.disconnectReason,
            c.disconnectedAt,
            sharedLogin,
            at,
            at,
          );
          for (const b of c.backups) backup.run(b.connectionId, b.userId, b.addedBy, at);
          count++;
        }
      }
    })();
  } finally {
    db.close();
  }
  return count;
}

/** The same estate on PostgreSQL: one multi-row statement per table per 50 workspaces, in one transaction. */
export async function seedPostgres(url: string, estate: Iterable<EstateWorkspace>): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  let count = 0;
  try {
    await client.query('BEGIN');
    let group: EstateWorkspace[] = [];
    const flush = async () => {
      if (!group.length) return;
      const ws = group.map((w) => [w.id, w.timeZone, alertChannelOf(w)]);
      await client.query(
        `INSERT INTO "Workspace" ("id", "name", "alertChannel", "timeZone", "checkTime", "createdAt", "updatedAt")
         SELECT r->>0, r->>0, r->>2, r->>1, '09:00', $2, $2 FROM jsonb_array_elements($1::jsonb) r`,
        [JSON.stringify(ws), AT],
      );
      const members = group.flatMap((w) => w.inactiveUsers.map((u) => [w.id, u]));
      await client.query(
        `INSERT INTO "Member" ("workspaceId", "userId", "role", "active", "createdAt", "updatedAt")
         SELECT r->>0, r->>1, 'member', false, $2, $2 FROM jsonb_array_elements($1::jsonb) r`,
        [JSON.stringify(members), AT],
      );
      const connections = group.flatMap((w) =>
        w.connections.map((c) => [
          c.id,
          c.workspaceId,
          c.network,
          c.kind,
          c.name,
          nameKeyOf(c.name),
          c.ownerId,
          c.connectedAt,
          c.lastRefreshedAt,
          c.ownerLastActiveAt,
          c.status,
          c.disconnectReason,
          c.disconnectedAt,
          c.security.sharedLogin,
        ]),
      );
      await client.query(
        `INSERT INTO "Connection" ("id", "workspaceId", "network", "kind", "name", "nameKey", "ownerId", "connectedAt", "lastRefreshedAt",
           "ownerLastActiveAt", "status", "disconnectReason", "disconnectedAt", "sharedLogin", "createdAt", "updatedAt")
         SELECT (r->>0)::integer, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, r->>8, r->>9, r->>10, r->>11, r->>12, (r->>13)::boolean, $2, $2
         FROM jsonb_array_elements($1::jsonb) r`,
        [JSON.stringify(connections), AT],
      );
      const backups = group.flatMap((w) => w.connections.flatMap((c) => c.backups.map((b) => [b.connectionId, b.userId, b.addedBy])));
      await client.query(
        `INSERT INTO "BackupAdmin" ("connectionId", "userId", "addedBy", "addedAt")
         SELECT (r->>0)::integer, r->>1, r->>2, $2 FROM jsonb_array_elements($1::jsonb) r`,
        [JSON.stringify(backups), AT],
      );
      count += connections.length;
      group = [];
    };
    for (const w of estate) {
      group.push(w);
      if (group.length >= 50) await flush();
    }
    await flush();
    // Ids were given explicitly: the sequence must continue after them.
    await client.query(`SELECT setval(pg_get_serial_sequence('"Connection"', 'id'), (SELECT MAX("id") FROM "Connection"))`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return count;
}

/**
 * One workspace `id` holding `channels` connections of the estate, in UTC, with no alert channel
 * chosen and its daily check due since midnight: what `serve` catches up on as it starts.
 */
export async function seedOneWorkspace(db: BenchDatabase, id: string, channels: number): Promise<void> {
  const [ws] = [...estateWorkspaces(1, channels)];
  const estate = [{ ...ws!, id, timeZone: 'UTC', connections: ws!.connections.map((c) => ({ ...c, workspaceId: id })) }];
  if (db.provider === 'sqlite') {
    seedSqlite(db.file!, estate);
    const sqlite = new SqliteDatabase(db.file!);
    try {
      sqlite.prepare(`UPDATE Workspace SET alertChannel = NULL, checkTime = '00:00' WHERE id = ?`).run(id);
    } finally {
      sqlite.close();
    }
    return;
  }
  await seedPostgres(db.url, estate);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`UPDATE "Workspace" SET "alertChannel" = NULL, "checkTime" = '00:00' WHERE "id" = $1`, [id]);
  } finally {
    await client.end();
  }
}
