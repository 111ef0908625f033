/**
 * Each connection's health as the evaluation last judged it (the `ConnectionHealth` table), so the
 * lists page with ORDER BY … LIMIT and count with one grouped query instead of judging a whole
 * workspace per request. What a row is stale against is checked in SQL (`staleIds`); judging is
 * the services' (src/services/channel-lists.ts), this class only stores and reads.
 */
import type { Health, IsoDate, Network, Tool } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { readRows } from './raw-read';
import { chunks, sqliteTimestamp, SqlParams } from './sql';

/** One connection judged: what it was judged on (day, policy, owner presence, backups, stamp) and what came out. */
export interface HealthRecord {
  connectionId: number;
  workspaceId: string;
  day: IsoDate;
  policyKey: string;
  ownerGone: boolean;
  backupCount: number;
  judgedUpdate: Date;
  /** Minus the health's severity rank: worse health sorts first. */
  worse: number;
  health: Health;
  /** Since when something is overdue, else the next deadline, else NO_DATE. */
  urgentDate: string;
  name: string;
  overdue: boolean;
  soonest: IsoDate | null;
}

const COLUMNS = [
  'connectionId',
  'workspaceId',
  'day',
  'policyKey',
  'ownerGone',
  'backupCount',
  'judgedUpdate',
  'worse',
  'health',
  'urgentDate',
  'name',
  'overdue',
  'soonest',
] as const satisfies readonly (keyof HealthRecord)[];

/** What sorts after every date (a channel with nothing due). */
export const NO_DATE = '9999-12-31';

/** Which judged channels a list shows (`retired` undefined: in use and retired alike). */
export interface HealthFilter {
  retired?: boolean;
  network?: Network;
  tool?: Tool;
  ownerId?: string;
  /** Only these healths. */
  healths?: readonly Health[];
  /** Only those with something overdue (true), or nothing overdue but a date on or before `soonBy`. */
  overdue?: boolean;
  soonBy?: IsoDate;
  /** Owned or backed up by this person. */
  involving?: string;
}

/** One group of the counts: a health and a tool, with how many of them are overdue, due soon and the person's. */
export interface HealthCount {
  health: Health;
  tool: Tool | null;
  count: number;
  overdue: number;
  soon: number;
  mine: number;
}

export class HealthRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /**
   * The workspace's connections (archived left out) with no row, or a row judged on another day or
   * policy, with another owner presence, backup count or change stamp than now.
   */
  async staleIds(workspaceId: string, day: IsoDate, policyKey: string): Promise<number[]> {
    // Placeholders in the order they appear (SQLite's are positional). The sub-queries are not
    // correlated: each is read once, not once per connection.
    const sql = new SqlParams(this.provider);
    const backups = `SELECT b."connectionId", COUNT(*) AS "n" FROM "BackupAdmin" b JOIN "Connection" bc ON bc."id" = b."connectionId"
                     WHERE bc."workspaceId" = ${sql.add(workspaceId)} GROUP BY b."connectionId"`;
    const ws = sql.add(workspaceId);
    const [d, p] = [sql.add(day), sql.add(policyKey)];
    const gone = `(c."ownerId" IS NULL OR c."ownerId" IN (SELECT m."userId" FROM "Member" m WHERE m."workspaceId" = ${sql.add(workspaceId)} AND NOT m."active"))`;
    const rows = await readRows<{ id: number }>(
      this.db,
      `SELECT c."id" FROM "Connection" c LEFT JOIN "ConnectionHealth" h ON h."connectionId" = c."id" LEFT JOIN (${backups}) b ON b."connectionId" = c."id"
       WHERE c."workspaceId" = ${ws} AND c."archivedAt" IS NULL
         AND (h."connectionId" IS NULL OR h."day" <> ${d} OR h."policyKey" <> ${p} OR h."judgedUpdate" <> c."updatedAt"
              OR h."ownerGone" <> ${gone} OR h."backupCount" <> COALESCE(b."n", 0))`,
      sql.values,
    );
    return rows.map((row) => Number(row.id));
  }

  /** Writes (or replaces) the rows of these connections: one statement per thousand rows, the rows as one JSON parameter. */
  async save(records: readonly HealthRecord[]): Promise<void> {
    const pg = this.provider === 'postgresql';
    const columns = COLUMNS.map((c) => `"${c}"`).join(', ');
    const updates = COLUMNS.slice(1)
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(', ');
    const types = ['integer', '', '', '', 'boolean', 'integer', 'timestamp(3)', 'integer', '', '', '', 'boolean', ''];
    const values = pg
      ? types.map((type, i) => (type ? `(r->>${i})::${type}` : `r->>${i}`)).join(', ')
      : COLUMNS.map((_, i) => `json_extract(r.value, '$[${i}]')`).join(', ');
    const from = pg ? 'jsonb_array_elements($1::jsonb) r' : 'json_each(?) r WHERE true';
    for (const part of chunks([...records], 1000)) {
      const rows = part.map((r) => COLUMNS.map((c) => (c === 'judgedUpdate' ? (pg ? r.judgedUpdate.toISOString() : sqliteTimestamp(r.judgedUpdate)) : r[c])));
      await this.db.$executeRawUnsafe(
        `INSERT INTO "ConnectionHealth" (${columns}) SELECT ${values} FROM ${from} ON CONFLICT ("connectionId") DO UPDATE SET ${updates}`,
        JSON.stringify(rows),
      );
    }
  }

  /** The ids of one page, most urgent first (worse health, overdue longest or due soonest, then name and id). */
  async page(workspaceId: string, filter: HealthFilter, limit: number, offset: number): Promise<number[]> {
    const sql = new SqlParams(this.provider);
    const where = this.where(sql, workspaceId, filter);
    // Names in code-unit order, as the evaluation's sort compares them (PostgreSQL's default collation would not).
    const name = this.provider === 'postgresql' ? 'h."name" COLLATE "C"' : 'h."name"';
    const rows = await readRows<{ connectionId: number }>(
      this.db,
      `SELECT h."connectionId" FROM "ConnectionHealth" h JOIN "Connection" c ON c."id" = h."connectionId" WHERE ${where}
       ORDER BY h."worse", h."urgentDate", ${name}, h."connectionId" LIMIT ${sql.add(limit, 'integer')} OFFSET ${sql.add(offset, 'integer')}`,
      sql.values,
    );
    return rows.map((row) => Number(row.connectionId));
  }

  /** Counts by health and tool, in one grouped query; `soonBy` and `userId` fill `soon` and `mine` (0 without them). */
  async counts(workspaceId: string, filter: HealthFilter, soonBy: IsoDate | null, userId: string | null): Promise<HealthCount[]> {
    const sql = new SqlParams(this.provider);
    const soon = soonBy === null ? 'FALSE' : `(NOT h."overdue" AND h."soonest" <= ${sql.add(soonBy)})`;
    const mine = userId === null ? 'FALSE' : this.involving(sql, userId);
    const where = this.where(sql, workspaceId, filter);
    const rows = await readRows<{
      health: string;
      tool: string | null;
      count: number | bigint;
      overdue: number | bigint;
      soon: number | bigint;
      mine: number | bigint;
    }>(
      this.db,
      `SELECT h."health", c."tool", COUNT(*) AS "count", SUM(CASE WHEN h."overdue" THEN 1 ELSE 0 END) AS "overdue",
              SUM(CASE WHEN ${soon} THEN 1 ELSE 0 END) AS "soon", SUM(CASE WHEN ${mine} THEN 1 ELSE 0 END) AS "mine"
       FROM "ConnectionHealth" h JOIN "Connection" c ON c."id" = h."connectionId" WHERE ${where} GROUP BY h."health", c."tool"`,
      sql.values,
    );
    return rows.map((row) => ({
      health: row.health as Health,
      tool: row.tool as Tool | null,
      count: Number(row.count),
      overdue: Number(row.overdue),
      soon: Number(row.soon),
      mine: Number(row.mine),
    }));
  }

  private involving(sql: SqlParams, userId: string): string {
    const [owner, backup] = [sql.add(userId), sql.add(userId)];
    return `(c."ownerId" = ${owner} OR c."id" IN (SELECT i."connectionId" FROM "BackupAdmin" i WHERE i."userId" = ${backup}))`;
  }

  private where(sql: SqlParams, workspaceId: string, filter: HealthFilter): string {
    const where = [`h."workspaceId" = ${sql.add(workspaceId)}`, 'c."archivedAt" IS NULL'];
    if (filter.retired !== undefined) where.push(filter.retired ? 'c."retiredAt" IS NOT NULL' : 'c."retiredAt" IS NULL');
    if (filter.network) where.push(`c."network" = ${sql.add(filter.network)}`);
    if (filter.tool) where.push(`c."tool" = ${sql.add(filter.tool)}`);
    if (filter.ownerId) where.push(`c."ownerId" = ${sql.add(filter.ownerId)}`);
    if (filter.healths) where.push(`h."health" IN (${sql.list(filter.healths)})`);
    if (filter.overdue === true) where.push('h."overdue"');
    if (filter.overdue === false) where.push('NOT h."overdue"');
    if (filter.soonBy) where.push(`h."soonest" <= ${sql.add(filter.soonBy)}`);
    if (filter.involving) where.push(this.involving(sql, filter.involving));
    return where.join(' AND ');
  }
}
