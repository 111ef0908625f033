/**
 * A workspace's connections read a page at a time, for the reads that go through every channel and
 * write as they go (the exports): memory follows the page size, not the workspace. Pages are keyed
 * by id (`WHERE id > last ORDER BY id LIMIT n`), so a page costs the same wherever it is.
 */
import { Connection, nameFoldOf } from '../domain';
import type { Db, Tx } from './client';
import { CONNECTION_COLUMNS } from './connection-repository';
import type { DatabaseProvider } from './database-url';
import { toConnectionsWith, type BackupRecord, type ConnectionRecord } from './mappers';
import { readRows } from './raw-read';
import { SqlParams } from './sql';

/** Which channels a paged read covers; archived ones never. */
export interface ConnectionPageFilter {
  ownerId?: string;
  /** true: only retired channels; false: only those in use; left out: both. */
  retired?: boolean;
}

export class ConnectionPageRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /** Up to `limit` connections (with their backups) whose id is above `afterId`, by id. */
  async page(workspaceId: string, filter: ConnectionPageFilter, afterId: number, limit: number): Promise<Connection[]> {
    const sql = new SqlParams(this.provider);
    const where = this.where(sql, workspaceId, filter);
    const rows = await readRows<ConnectionRecord>(
      this.db,
      `SELECT ${CONNECTION_COLUMNS} FROM "Connection" c WHERE ${where} AND c."id" > ${sql.add(afterId, 'integer')} ORDER BY c."id" ASC LIMIT ${sql.add(limit, 'integer')}`,
      sql.values,
    );
    return this.withBackups(rows);
  }

  /**
   * The connections with these ids, in the order given; one that was archived or removed since is
   * left out. At most a page of ids at a time.
   */
  async byIds(workspaceId: string, ids: readonly number[]): Promise<Connection[]> {
    if (!ids.length) return [];
    const sql = new SqlParams(this.provider);
    const where = `${this.where(sql, workspaceId, {})} AND c."id" IN (${sql.list(ids, 'integer')})`;
    const rows = await readRows<ConnectionRecord>(this.db, `SELECT ${CONNECTION_COLUMNS} FROM "Connection" c WHERE ${where}`, sql.values);
    const byId = new Map((await this.withBackups(rows)).map((c) => [c.id, c]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Up to `limit` connections' id, name and network, id above `afterId`, by id: what the list order needs. */
  async namesPage(workspaceId: string, afterId: number, limit: number): Promise<{ id: number; name: string; network: string }[]> {
    const sql = new SqlParams(this.provider);
    const where = this.where(sql, workspaceId, {});
    const rows = await readRows<{ id: number | bigint; name: string; network: string }>(
      this.db,
      `SELECT c."id", c."name", c."network" FROM "Connection" c WHERE ${where} AND c."id" > ${sql.add(afterId, 'integer')} ORDER BY c."id" ASC LIMIT ${sql.add(limit, 'integer')}`,
      sql.values,
    );
    return rows.map((row) => ({ id: Number(row.id), name: row.name, network: row.network }));
  }

  /**
   * The ids of a workspace's connections in the order `ConnectionRepository.list` gives them (by
   * name as it reads, then network, then id), read `pageSize` names at a time: only the ids are
   * kept, so the whole workspace costs a few bytes a channel.
   */
  async idsInListOrder(workspaceId: string, pageSize: number): Promise<number[]> {
    const keys: { id: number; fold: string; network: string }[] = [];
    for (let afterId = 0; ;) {
      const page = await this.namesPage(workspaceId, afterId, pageSize);
      for (const row of page) keys.push({ id: row.id, fold: nameFoldOf(row.name), network: row.network });
      if (page.length < pageSize) break;
      afterId = page[page.length - 1]!.id;
      // SQLite reads complete synchronously: let other work (a Slack request) in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const before = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    keys.sort((a, b) => before(a.fold, b.fold) || before(a.network, b.network) || a.id - b.id);
    return keys.map((key) => key.id);
  }

  private where(sql: SqlParams, workspaceId: string, filter: ConnectionPageFilter): string {
    const where = [`c."workspaceId" = ${sql.add(workspaceId)}`, 'c."archivedAt" IS NULL'];
    if (filter.ownerId) where.push(`c."ownerId" = ${sql.add(filter.ownerId)}`);
    if (filter.retired !== undefined) where.push(filter.retired ? 'c."retiredAt" IS NOT NULL' : 'c."retiredAt" IS NULL');
    return where.join(' AND ');
  }

  private async withBackups(rows: ConnectionRecord[]): Promise<Connection[]> {
    if (!rows.length) return [];
    const sql = new SqlParams(this.provider);
    const ids = sql.list(
      rows.map((row) => Number(row.id)),
      'integer',
    );
    const backups = await readRows<BackupRecord>(
      this.db,
      `SELECT b."connectionId", b."userId", b."addedBy", b."addedAt" FROM "BackupAdmin" b WHERE b."connectionId" IN (${ids}) ORDER BY b."connectionId" ASC, b."userId" ASC`,
      sql.values,
    );
    return toConnectionsWith(rows, backups);
  }
}
