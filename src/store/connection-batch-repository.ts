/**
 * Many connections at once (the import plans its rows against them): one statement per call,
 * whatever the number of rows, with the rows passed as one JSON parameter that the database
 * unpacks (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL). No bound-parameter limit
 * applies and no row costs a round trip. The import's writes: import-stage-repository.ts.
 */
import { nameKeyOf, type Connection } from '../domain';
import type { Db, Tx } from './client';
import { CONNECTION_COLUMNS } from './connection-repository';
import type { DatabaseProvider } from './database-url';
import { toConnectionsWith, type BackupRecord, type ConnectionRecord } from './mappers';
import { SqlParams } from './sql';

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
}
