import { FindingKind, NewWarning, Warning, WarningState } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toWarning, type WarningRecord } from './mappers';
import { readRows } from './raw-read';
import { chunks, SqlParams, sqliteTimestamp } from './sql';

/** States in which a warning still speaks for its finding. */
export const OPEN_STATES: WarningState[] = ['pending', 'sending', 'posted', 'failed', 'snoozed'];
const CHUNK = 500;
const INSERT_CHUNK = 1_000;

const INSERT_COLUMNS = '"workspaceId", "connectionId", "kind", "stage", "severity", "cycle", "dedupKey", "dueAt", "createdAt", "updatedAt"';
const INSERT_TAIL = 'ON CONFLICT ("dedupKey") DO NOTHING RETURNING "id", "dedupKey"';
// Parameters: createdAt, updatedAt, then the rows as JSON, each [workspaceId, connectionId, kind, stage, severity, cycle, dedupKey, dueAt].
// SQLite needs the WHERE: without it, `ON CONFLICT` after a SELECT would read as a join constraint.
const SQLITE_INSERT = `INSERT INTO "Warning" (${INSERT_COLUMNS})
  SELECT json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]'), json_extract(r.value, '$[2]'), json_extract(r.value, '$[3]'),
         json_extract(r.value, '$[4]'), json_extract(r.value, '$[5]'), json_extract(r.value, '$[6]'), json_extract(r.value, '$[7]'), ?, ?
  FROM json_each(?) r WHERE true ORDER BY r.key ${INSERT_TAIL}`;
const POSTGRES_INSERT = `INSERT INTO "Warning" (${INSERT_COLUMNS})
  SELECT r->>0, (r->>1)::integer, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, $1::timestamp, $2::timestamp
  FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n ${INSERT_TAIL}`;

/**
 * The warnings as a check run plans and records them, and as people settle them (resolve, snooze,
 * reopen). `dedupKey` is unique in the database: that, not timing, is what makes a warning
 * recorded once however many runs or replicas plan it. Moving a row through its delivery states
 * is the outbox queue's (outbox-repository.ts); the messages carrying warnings are
 * posted-message-repository.ts's.
 */
export class WarningRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /**
   * Records the warnings whose key is new; existing keys are left as they are (also when another
   * run inserts the same key at the same moment). Returns the id and key of each row created.
   * One `INSERT … SELECT … ON CONFLICT ("dedupKey") DO NOTHING` per chunk, the rows passed as one
   * JSON parameter that the database unpacks (`json_each` / `jsonb_to_recordset`): row-by-row
   * creates through the ORM cost about half a millisecond each, and ten bound parameters a row
   * still cost the ORM several times what the insert itself does.
   */
  /** `now`: the run's clock, so a warning's life span (the weekly report reads it) is on the same clock as its run. */
  async upsertMany(warnings: NewWarning[], now: Date = new Date()): Promise<{ id: number; dedupKey: string }[]> {
    const created: { id: number; dedupKey: string }[] = [];
    const postgres = this.provider === 'postgresql';
    const stamp = postgres ? now.toISOString() : sqliteTimestamp(now);
    const sql = postgres ? POSTGRES_INSERT : SQLITE_INSERT;
    for (const chunk of chunks(dedupeByKey(warnings), INSERT_CHUNK)) {
      const rows = JSON.stringify(chunk.map((w) => [w.workspaceId, w.connectionId, w.kind, w.stage, w.severity, w.cycle, w.dedupKey, w.dueAt]));
      const inserted = await this.db.$queryRawUnsafe<{ id: number | bigint; dedupKey: string }[]>(sql, stamp, stamp, rows);
      for (const row of inserted) created.push({ id: Number(row.id), dedupKey: row.dedupKey });
    }
    return created;
  }

  async findById(workspaceId: string, id: number): Promise<Warning | null> {
    const row = await this.db.warning.findFirst({ where: { id, workspaceId } });
    return row ? toWarning(row) : null;
  }

  // The read a check run makes uses plain SQL: through the ORM it cost several times more per
  // workspace than the query itself (bench/check.bench.ts).

  /**
   * What a check plans against, in one read: the workspace's open rows, and its rows in any state
   * whose key is among `keys` (today's findings: a resolved row whose finding holds again). The keys
   * travel as one JSON parameter, so the statement is the same for every workspace (prepared once on
   * SQLite) however many findings it has; each half of the UNION uses its own index.
   */
  async listForPlanning(workspaceId: string, keys: readonly string[]): Promise<Warning[]> {
    const postgres = this.provider === 'postgresql';
    const json = JSON.stringify(keys);
    const rows = await readRows<WarningRecord>(
      this.db,
      postgres ? POSTGRES_PLANNING_READ : SQLITE_PLANNING_READ,
      postgres ? [workspaceId, json] : [workspaceId, workspaceId, json],
    );
    return rows.map(toWarning);
  }

  /** Open warnings of a workspace (optionally of some connections), for planning and dashboards. */
  async listOpen(workspaceId: string, filter: { connectionIds?: number[]; kinds?: FindingKind[] } = {}): Promise<Warning[]> {
    if (filter.connectionIds?.length === 0 || filter.kinds?.length === 0) return [];
    const sql = new SqlParams(this.provider);
    const where = [`"workspaceId" = ${sql.add(workspaceId)}`, `"state" IN (${sql.list(OPEN_STATES)})`];
    if (filter.connectionIds) where.push(`"connectionId" IN (${sql.list(filter.connectionIds, 'integer')})`);
    if (filter.kinds) where.push(`"kind" IN (${sql.list(filter.kinds)})`);
    const rows = await readRows<WarningRecord>(this.db, `SELECT ${WARNING_COLUMNS} FROM "Warning" WHERE ${where.join(' AND ')} ORDER BY "id" ASC`, sql.values);
    return rows.map(toWarning);
  }

  async listByState(workspaceId: string, state: WarningState, limit = 100): Promise<Warning[]> {
    const rows = await this.db.warning.findMany({ where: { workspaceId, state }, orderBy: { id: 'asc' }, take: limit });
    return rows.map(toWarning);
  }

  async countByState(workspaceId: string): Promise<Partial<Record<WarningState, number>>> {
    const groups = await this.db.warning.groupBy({ by: ['state'], where: { workspaceId }, _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all]));
  }

  /** Failed deliveries go back to `pending` once their cause may be fixed (a new alert channel, the bot invited). */
  async retryFailed(workspaceId: string): Promise<number> {
    const { count } = await this.db.warning.updateMany({
      where: { workspaceId, state: 'failed' },
      data: { state: 'pending', attempts: 0, nextAttemptAt: null },
    });
    return count;
  }

  /** Resolves open rows; rows already resolved are not touched (a double click changes nothing). */
  async resolve(workspaceId: string, ids: number[], by: string, now: Date): Promise<number> {
    let total = 0;
    for (const chunk of chunks(ids, CHUNK)) {
      const { count } = await this.db.warning.updateMany({
        where: { workspaceId, id: { in: chunk }, state: { in: OPEN_STATES } },
        data: { state: 'resolved', resolvedAt: now, resolvedBy: by, claimedBy: null },
      });
      total += count;
    }
    return total;
  }

  /** Resolves the open warnings of a connection (of some kinds, or all); returns the rows resolved. */
  async resolveForConnection(workspaceId: string, connectionId: number, by: string, now: Date, kinds?: FindingKind[]): Promise<Warning[]> {
    const open = await this.listOpen(workspaceId, { connectionIds: [connectionId], kinds });
    await this.resolve(
      workspaceId,
      open.map((w) => w.id),
      by,
      now,
    );
    return open.map((w) => ({ ...w, state: 'resolved' as const, resolvedAt: now, resolvedBy: by }));
  }

  /** Holds open rows back until `until`; the planner reopens them then if the finding still holds. */
  async snooze(workspaceId: string, ids: number[], until: Date, by: string): Promise<number> {
    const { count } = await this.db.warning.updateMany({
      where: { workspaceId, id: { in: ids }, state: { in: OPEN_STATES } },
      data: { state: 'snoozed', snoozedUntil: until, resolvedBy: by, claimedBy: null },
    });
    return count;
  }

  /** Back to `pending` (a resolved finding that holds again, a snooze that ran out). */
  async reopen(workspaceId: string, ids: number[]): Promise<number> {
    let total = 0;
    for (const chunk of chunks(ids, CHUNK)) {
      const { count } = await this.db.warning.updateMany({
        where: { workspaceId, id: { in: chunk }, state: { in: ['resolved', 'snoozed'] } },
        data: { state: 'pending', snoozedUntil: null, resolvedAt: null, resolvedBy: null, attempts: 0, nextAttemptAt: null, lastError: null, ...CLIMB_AFRESH },
      });
      total += count;
    }
    return total;
  }
}

const WARNING_COLUMNS = [
  'id',
  'workspaceId',
  'connectionId',
  'kind',
  'stage',
  'severity',
  'cycle',
  'dedupKey',
  'dueAt',
  'state',
  'attempts',
  'nextAttemptAt',
  'lastError',
  'claimedAt',
  'claimedBy',
  'slackChannel',
  'slackTs',
  'postedAt',
  'snoozedUntil',
  'resolvedAt',
  'resolvedBy',
  'escalationStep',
  'escalatedAt',
  'escalateAt',
  'escalationEnded',
  'acknowledgedBy',
  'acknowledgedAt',
  'createdAt',
  'updatedAt',
]
  .map((column) => `"${column}"`)
  .join(', ');

const OPEN_LIST = OPEN_STATES.map((state) => `'${state}'`).join(', ');
const planningRead = (workspace: string, keys: string) =>
  `SELECT ${WARNING_COLUMNS} FROM "Warning" WHERE "workspaceId" = ${workspace} AND "state" IN (${OPEN_LIST})
   UNION SELECT ${WARNING_COLUMNS} FROM "Warning" WHERE "workspaceId" = ${workspace} AND "dedupKey" IN (${keys}) ORDER BY "id"`;
// SQLite: three plain `?` (the driver takes numbered ones as named), so the workspace goes twice.
const SQLITE_PLANNING_READ = planningRead('?', 'SELECT value FROM json_each(?)');
const POSTGRES_PLANNING_READ = planningRead('$1', 'SELECT jsonb_array_elements_text($2::jsonb)');
/** A warning that returns starts its escalation ladder again (docs/rules.md "Escalation"). */
const CLIMB_AFRESH = { escalationStep: 0, escalatedAt: null, escalateAt: null, escalationEnded: null, acknowledgedBy: null, acknowledgedAt: null };

function dedupeByKey(warnings: NewWarning[]): NewWarning[] {
  return [...new Map(warnings.map((w) => [w.dedupKey, w])).values()];
}
