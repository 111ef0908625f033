/**
 * Writes a synthetic estate into a migrated SQLite file. Setup only, never timed: it goes straight
 * through better-sqlite3 in one transaction, because Prisma's createMany took about 100 s for
 * 100,000 connections on the reference machine, which made the benchmark slow to iterate on.
 */
import { nameKeyOf } from '../src/store/connection-repository';
import type { EstateWorkspace } from './fixtures';

/** The little of better-sqlite3 used here (the package ships no types and @types is not installed). */
interface Sqlite {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction(work: () => void): () => void;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => Sqlite;

/** The text Prisma's SQLite adapter stores for a DateTime. */
function prismaDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

export function seedSqlite(file: string, estate: readonly EstateWorkspace[]): void {
  const db = new Database(file);
  try {
    const at = prismaDate(new Date('2025-01-01T00:00:00Z'));
    const workspace = db.prepare('INSERT INTO Workspace (id, name, timeZone, checkTime, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)');
    const member = db.prepare('INSERT INTO Member (workspaceId, userId, role, active, createdAt, updatedAt) VALUES (?, ?, ?, 0, ?, ?)');
    const connection = db.prepare(
      `INSERT INTO Connection (id, workspaceId, network, kind, name, nameKey, ownerId, connectedAt, lastRefreshedAt, ownerLastActiveAt,
         status, disconnectReason, disconnectedAt, sharedLogin, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const backup = db.prepare('INSERT INTO BackupAdmin (connectionId, userId, addedBy, addedAt) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const w of estate) {
        workspace.run(w.id, w.id, w.timeZone, '09:00', at, at);
        for (const userId of w.inactiveUsers) member.run(w.id, userId, 'member', at, at);
        for (const c of w.connections) {
          const sharedLogin = c.security.sharedLogin === null ? null : Number(c.security.sharedLogin);
          connection.run(c.id, c.workspaceId, c.network, c.kind, c.name, nameKeyOf(c.name), c.ownerId, c.connectedAt, c.lastRefreshedAt,
            c.ownerLastActiveAt, c.status, c.disconnectReason, c.disconnectedAt, sharedLogin, at, at);
          for (const b of c.backups) backup.run(b.connectionId, b.userId, b.addedBy, at);
        }
      }
    })();
  } finally {
    db.close();
  }
}
