import { randomUUID } from 'node:crypto';
import { FindingKind, NewWarning, Warning, WarningState } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toWarning, type WarningRecord } from './mappers';
import { readRows } from './raw-read';

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
 * The outbox. `dedupKey` is unique in the database: that, not timing, is what makes a warning
 * recorded once however many runs or replicas plan it.
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

  // The two reads a check run makes use plain SQL: through the ORM they cost several times more per
  // workspace than the query itself (bench/check.bench.ts). Same filters and order as the ORM query.

  async findByDedupKeys(workspaceId: string, keys: string[]): Promise<Warning[]> {
    const found: Warning[] = [];
    for (const chunk of chunks(keys, CHUNK)) {
      const sql = new SqlParams(this.provider);
      const rows = await readRows<WarningRecord>(
        this.db,
        `SELECT ${WARNING_COLUMNS} FROM "Warning" WHERE "workspaceId" = ${sql.add(workspaceId)} AND "dedupKey" IN (${sql.list(chunk)})`,
        sql.values,
      );
      for (const row of rows) found.push(toWarning(row));
    }
    return found;
  }

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

  /**
   * Atomically moves up to `limit` pending rows to `sending` for one claimer. Each claim gets its
   * own token; the conditional update (`WHERE state = 'pending'`) lets only one claimer win a row.
   */
  async claimPending(workspaceId: string, options: { limit: number; holder: string; now: Date }): Promise<Warning[]> {
    const candidates = await this.db.warning.findMany({
      where: { workspaceId, state: 'pending' },
      orderBy: { id: 'asc' },
      take: options.limit,
      select: { id: true },
    });
    if (!candidates.length) return [];
    const token = `${options.holder}:${randomUUID()}`;
    await this.db.warning.updateMany({
      where: { id: { in: candidates.map((c) => c.id) }, state: 'pending' },
      data: { state: 'sending', claimedAt: options.now, claimedBy: token, attempts: { increment: 1 } },
    });
    const rows = await this.db.warning.findMany({ where: { claimedBy: token, state: 'sending' }, orderBy: { id: 'asc' } });
    return rows.map(toWarning);
  }

  /**
   * The outbox worker's claim: up to `limit` due rows (`pending`, and past their `nextAttemptAt`)
   * across every workspace, taken in turns, one row per workspace per turn, and within a
   * workspace the earliest deadline first, so neither a big workspace nor an old backlog holds the
   * others back. One statement: on PostgreSQL the candidates are locked `FOR UPDATE SKIP LOCKED`,
   * so two replicas claim different rows instead of waiting on each other; SQLite has one writer.
   * Each claim gets its own token and counts one attempt.
   */
  // An uninstalled workspace's rows stay pending: posted if the app is reinstalled, purged otherwise.
  async claimDue(options: { limit: number; holder: string; now: Date; workspaceId?: string; workspaceIds?: string[] }): Promise<Warning[]> {
    const token = `${options.holder}:${randomUUID()}`;
    const postgres = this.provider === 'postgresql';
    const sql = new SqlParams(this.provider);
    // Placeholders are added in the order they appear in the statement (SQLite's `?` are positional).
    const stamp = () => (postgres ? `${sql.add(options.now.toISOString())}::timestamp` : sql.add(sqliteTimestamp(options.now)));
    const dueBy = stamp();
    const scopeIds = options.workspaceIds ?? (options.workspaceId ? [options.workspaceId] : null);
    const scope = scopeIds ? ` AND "workspaceId" IN (${scopeIds.length ? sql.list(scopeIds) : 'NULL'})` : '';
    const limit = sql.add(options.limit, 'integer');
    const ranked = `SELECT "id", ROW_NUMBER() OVER (PARTITION BY "workspaceId" ORDER BY "dueAt", "id") AS turn FROM "Warning"
      WHERE "state" = 'pending' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${dueBy})${scope}
        AND "workspaceId" NOT IN (SELECT "id" FROM "Workspace" WHERE "uninstalledAt" IS NOT NULL)`;
    // A CTE, evaluated once: `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` may be evaluated again
    // per row by PostgreSQL and then claim more than n.
    const picked = `SELECT w."id" FROM "Warning" w JOIN (${ranked}) r ON r."id" = w."id" WHERE w."state" = 'pending'
      ORDER BY r.turn, w."dueAt", w."id" LIMIT ${limit}${postgres ? ' FOR UPDATE OF w SKIP LOCKED' : ''}`;
    const at = stamp();
    const by = sql.add(token);
    const updatedAt = stamp();
    await this.db.$executeRawUnsafe(
      `WITH picked AS (${picked})
       UPDATE "Warning" SET "state" = 'sending', "claimedAt" = ${at}, "claimedBy" = ${by}, "attempts" = "attempts" + 1, "updatedAt" = ${updatedAt}
       WHERE "state" = 'pending' AND "id" IN (SELECT "id" FROM picked)`,
      ...sql.values,
    );
    const rows = await this.db.warning.findMany({ where: { claimedBy: token, state: 'sending' }, orderBy: { id: 'asc' } });
    return rows.map(toWarning);
  }

  /** Rows left in `sending` longer than the lease (a crashed run) go back to `pending`. */
  // Plain SQL: every check run of every workspace asks, and almost always nothing is stuck; through
  // the ORM the question cost about as much as reading the workspace's connections.
  async reclaimStuck(workspaceId: string, claimedBefore: Date): Promise<number> {
    const sql = new SqlParams(this.provider);
    const stamp = (date: Date) => (this.provider === 'postgresql' ? `${sql.add(date.toISOString())}::timestamp` : sql.add(sqliteTimestamp(date)));
    const updatedAt = stamp(new Date());
    const where = `"workspaceId" = ${sql.add(workspaceId)} AND "state" = 'sending' AND "claimedAt" < ${stamp(claimedBefore)}`;
    return this.db.$executeRawUnsafe(`UPDATE "Warning" SET "state" = 'pending', "claimedBy" = NULL, "updatedAt" = ${updatedAt} WHERE ${where}`, ...sql.values);
  }

  /** The worker's reclaim, across every workspace: rows whose claim is older than the lease go back to `pending`. */
  async reclaimExpired(claimedBefore: Date, workspaceId?: string): Promise<number> {
    const { count } = await this.db.warning.updateMany({
      where: { state: 'sending', claimedAt: { lt: claimedBefore }, ...(workspaceId ? { workspaceId } : {}) },
      data: { state: 'pending', claimedBy: null, nextAttemptAt: null },
    });
    return count;
  }

  /** Claimed rows whose delivery never started go back to `pending` as they were: the attempt is not counted. */
  async unclaim(ids: number[], claimedBy: string): Promise<number> {
    if (!ids.length) return 0;
    const { count } = await this.db.warning.updateMany({
      where: { id: { in: ids }, state: 'sending', claimedBy },
      data: { state: 'pending', claimedBy: null, attempts: { decrement: 1 } },
    });
    return count;
  }

  /** How many rows are due now (pending and past their next attempt), and how many wait for a later attempt. */
  async countPending(now: Date, workspaceId?: string): Promise<{ due: number; later: number }> {
    const base = { state: 'pending', ...(workspaceId ? { workspaceId } : {}) };
    const [due, later] = await Promise.all([
      this.db.warning.count({ where: { ...base, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] } }),
      this.db.warning.count({ where: { ...base, nextAttemptAt: { gt: now } } }),
    ]);
    return { due, later };
  }

  /** When the oldest warning due for delivery was recorded, per workspace (none waiting: absent). */
  async oldestDue(now: Date): Promise<Map<string, Date>> {
    const rows = await this.db.warning.groupBy({
      by: ['workspaceId'],
      where: { state: 'pending', OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      _min: { createdAt: true },
    });
    return new Map(rows.flatMap((r) => (r._min.createdAt ? [[r.workspaceId, r._min.createdAt] as const] : [])));
  }

  /** Rows that failed for this reason already (before this batch): one notice per distinct problem. */
  async countFailedWith(workspaceId: string, reason: string): Promise<number> {
    return this.db.warning.count({ where: { workspaceId, state: 'failed', lastError: reason } });
  }

  /** The reasons rows of a workspace failed, with how many: what App Home shows admins. */
  async failedReasons(workspaceId: string): Promise<{ reason: string; count: number }[]> {
    const groups = await this.db.warning.groupBy({ by: ['lastError'], where: { workspaceId, state: 'failed' }, _count: { _all: true } });
    return groups.map((g) => ({ reason: g.lastError ?? 'unknown', count: g._count._all }));
  }

  // The settle methods only touch a row still `sending`, and, given the claim token the row was
  // claimed with, only that claim's row: a run whose lease ran out cannot settle another's claim.

  async markPosted(id: number, post: { channel: string; ts: string; now: Date }, claimedBy?: string | null): Promise<void> {
    await this.db.warning.updateMany({
      where: { id, state: 'sending', ...claimFilter(claimedBy) },
      data: { state: 'posted', slackChannel: post.channel, slackTs: post.ts, postedAt: post.now, lastError: null, claimedBy: null },
    });
  }

  /** A delivery that may succeed later: back to `pending` with the error kept, tried again from `nextAttemptAt` (default: at once). */
  async releaseForRetry(id: number, error: string, claimedBy?: string | null, nextAttemptAt: Date | null = null): Promise<void> {
    await this.db.warning.updateMany({
      where: { id, state: 'sending', ...claimFilter(claimedBy) },
      data: { state: 'pending', lastError: error, claimedBy: null, nextAttemptAt },
    });
  }

  /** A delivery that cannot succeed until someone acts (bot not in channel…): shown to admins. */
  async markFailed(id: number, reason: string, claimedBy?: string | null): Promise<void> {
    await this.db.warning.updateMany({
      where: { id, state: 'sending', ...claimFilter(claimedBy) },
      data: { state: 'failed', lastError: reason, claimedBy: null },
    });
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

  // The messages that carry warnings (docs/architecture.md "Messages follow their warnings").

  /** Remembers a posted message and the warnings it carries, each with the state it was written in. */
  async recordMessage(message: {
    workspaceId: string;
    channel: string;
    ts: string;
    kind: PostedMessageKind;
    recipient?: string | null;
    warnings: RenderedWarning[];
  }): Promise<number> {
    const where = { channel_ts: { channel: message.channel, ts: message.ts } };
    // Slack never gives one (channel, ts) to two messages: a row already there for another workspace
    // is stale (a test Slack restarting its ts), and what it carried no longer belongs to it.
    const existing = await this.db.postedMessage.findUnique({ where, select: { id: true, workspaceId: true } });
    if (existing && existing.workspaceId !== message.workspaceId) await this.db.postedMessageWarning.deleteMany({ where: { messageId: existing.id } });
    const fields = { workspaceId: message.workspaceId, kind: message.kind, recipient: message.recipient ?? null };
    const row = await this.db.postedMessage.upsert({
      where,
      create: { ...fields, channel: message.channel, ts: message.ts },
      update: existing && existing.workspaceId !== message.workspaceId ? fields : {},
      select: { id: true },
    });
    for (const w of message.warnings) {
      await this.db.postedMessageWarning.upsert({
        where: { messageId_warningId: { messageId: row.id, warningId: w.id } },
        create: { messageId: row.id, warningId: w.id, ...renderedColumns(w) },
        update: renderedColumns(w),
      });
    }
    return row.id;
  }

  /**
   * Messages due an update: one of their warnings was settled (resolved or snoozed), escalated or
   * acknowledged since the message was written, and no failed update of it waits for its next attempt.
   */
  async messagesToUpdate(now: Date, limit: number, workspaceId?: string): Promise<number[]> {
    const sql = new SqlParams(this.provider);
    const dueBy = this.provider === 'postgresql' ? `${sql.add(now.toISOString())}::timestamp` : sql.add(sqliteTimestamp(now));
    const scope = workspaceId ? ` AND m."workspaceId" = ${sql.add(workspaceId)}` : '';
    const rows = await this.db.$queryRawUnsafe<{ id: number | bigint }[]>(
      `SELECT DISTINCT m."id" FROM "PostedMessage" m
       JOIN "PostedMessageWarning" l ON l."messageId" = m."id" JOIN "Warning" w ON w."id" = l."warningId"
       WHERE ((w."state" <> l."renderedState" AND w."state" IN ('resolved', 'snoozed'))
           OR w."escalationStep" <> l."renderedStep" OR COALESCE(w."acknowledgedBy", '') <> COALESCE(l."renderedAck", ''))
         AND (m."nextAttemptAt" IS NULL OR m."nextAttemptAt" <= ${dueBy})${scope}
       ORDER BY m."id" LIMIT ${sql.add(limit, 'integer')}`,
      ...sql.values,
    );
    return rows.map((r) => Number(r.id));
  }

  /** A stored message with the warnings it carries, as they are now. */
  async findMessage(id: number): Promise<StoredMessage | null> {
    const row = await this.db.postedMessage.findUnique({ where: { id }, include: { warnings: { include: { warning: true } } } });
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      channel: row.channel,
      ts: row.ts,
      kind: row.kind as PostedMessageKind,
      recipient: row.recipient,
      createdAt: row.createdAt,
      attempts: row.attempts,
      warnings: row.warnings.map((l) => toWarning(l.warning)).sort((a, b) => a.id - b.id),
    };
  }

  /** The stored message at this place in Slack (a pressed message), if the bot posted it. */
  async findMessageAt(channel: string, ts: string): Promise<number | null> {
    const row = await this.db.postedMessage.findUnique({ where: { channel_ts: { channel, ts } }, select: { id: true } });
    return row?.id ?? null;
  }

  /** The stored messages carrying any of these warnings. */
  async messagesCarrying(warningIds: number[]): Promise<number[]> {
    if (!warningIds.length) return [];
    const rows = await this.db.postedMessageWarning.findMany({
      where: { warningId: { in: warningIds } },
      select: { messageId: true },
      distinct: ['messageId'],
    });
    return rows.map((r) => r.messageId);
  }

  /** The message was rewritten with these states: it is not due again until one of them changes. */
  async markMessageWritten(id: number, states: RenderedWarning[]): Promise<void> {
    for (const w of states) {
      await this.db.postedMessageWarning.updateMany({ where: { messageId: id, warningId: w.id }, data: renderedColumns(w) });
    }
    await this.db.postedMessage.update({ where: { id }, data: { attempts: 0, nextAttemptAt: null, lastError: null } });
  }

  /** An update that failed: tried again from `nextAttemptAt`, or never when that is null (a permanent error). */
  async messageUpdateFailed(id: number, error: string, nextAttemptAt: Date | null, states?: RenderedWarning[]): Promise<void> {
    if (!nextAttemptAt && states) {
      // Given up: the states are marked written so the message stops coming back.
      for (const w of states) await this.db.postedMessageWarning.updateMany({ where: { messageId: id, warningId: w.id }, data: renderedColumns(w) });
    }
    await this.db.postedMessage.update({ where: { id }, data: { attempts: { increment: 1 }, nextAttemptAt, lastError: error } });
  }
}

export type PostedMessageKind = 'alert' | 'digest' | 'dm';

/** What a message showed of a warning: its state, and (when given) its escalation step and acknowledger. A `Warning` is one. */
export interface RenderedWarning {
  id: number;
  state: WarningState;
  escalationStep?: number;
  acknowledgedBy?: string | null;
}

function renderedColumns(w: RenderedWarning): { renderedState: string; renderedStep?: number; renderedAck?: string | null } {
  return {
    renderedState: w.state,
    ...(w.escalationStep !== undefined ? { renderedStep: w.escalationStep } : {}),
    ...(w.acknowledgedBy !== undefined ? { renderedAck: w.acknowledgedBy } : {}),
  };
}

export interface StoredMessage {
  id: number;
  workspaceId: string;
  channel: string;
  ts: string;
  kind: PostedMessageKind;
  /** The person a DM went to. */
  recipient: string | null;
  createdAt: Date;
  attempts: number;
  warnings: Warning[];
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

/** Parameters of one raw statement, with the placeholders each database expects (`?` or `$n`). */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly provider: DatabaseProvider) {}

  /** The placeholder of a new parameter; `integer` casts it on PostgreSQL, which types parameters as text otherwise. */
  add(value: unknown, type?: 'integer'): string {
    this.values.push(value);
    if (this.provider !== 'postgresql') return '?';
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`;
  }

  /** Placeholders for the items of an `IN (…)` list (never empty: callers check). */
  list(items: readonly unknown[], type?: 'integer'): string {
    return items.map((item) => this.add(item, type)).join(', ');
  }
}

/** How Prisma's SQLite adapter writes DateTime columns, so raw inserts read back like ORM ones. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

function claimFilter(claimedBy: string | null | undefined): { claimedBy?: string } {
  return claimedBy ? { claimedBy } : {};
}

function dedupeByKey(warnings: NewWarning[]): NewWarning[] {
  return [...new Map(warnings.map((w) => [w.dedupKey, w])).values()];
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
