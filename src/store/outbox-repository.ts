/**
 * The outbox queue's statements (docs/architecture.md "Scheduling and delivery"): claim the due
 * rows, settle a claimed row, take back rows whose claim outlived its lease, and the counts the
 * worker reports. Only the outbox worker (src/outbox/queue.ts) calls them: no other code moves a
 * row between delivery states.
 */
import type { Warning } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toWarning } from './mappers';
import { claimPicked, INSTALLED_ONLY, pendingWhere, type ClaimOptions } from './sql';

/** Why a row failed or waits: a code (what kind of problem) and the text a person reads. */
export interface RowFailure {
  code: string;
  text: string;
}

export class OutboxRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /**
   * The worker's claim: up to `limit` due rows (`pending`, and past their `nextAttemptAt`) across
   * every workspace, taken in turns, one row per workspace per turn, and within a workspace the
   * earliest deadline first, so neither a big workspace nor an old backlog holds the others back.
   * One statement: on PostgreSQL the candidates are locked `FOR UPDATE SKIP LOCKED`, so two
   * replicas claim different rows instead of waiting on each other; SQLite has one writer. Each
   * claim gets its own token and counts one attempt.
   */
  // An uninstalled workspace's rows stay pending: posted if the app is reinstalled, purged otherwise.
  async claimDue(options: ClaimOptions): Promise<Warning[]> {
    const token = await claimPicked(this.db, this.provider, 'Warning', options, ({ due, scope, limit, lock }) => {
      // One workspace (the rest of its rows, claimed for one message): no turns to take, and the
      // (workspaceId, state) index hands its rows over in id order, so nothing is ranked or sorted.
      if (options.workspaceId && !options.workspaceIds)
        return `SELECT "id" FROM "Warning" WHERE "state" = 'pending' AND (${due})${scope} AND ${INSTALLED_ONLY} ORDER BY "id" LIMIT ${limit}${lock()}`;
      const ranked = `SELECT "id", ROW_NUMBER() OVER (PARTITION BY "workspaceId" ORDER BY "dueAt", "id") AS turn FROM "Warning"
        WHERE "state" = 'pending' AND (${due})${scope} AND ${INSTALLED_ONLY}`;
      return `SELECT w."id" FROM "Warning" w JOIN (${ranked}) r ON r."id" = w."id" WHERE w."state" = 'pending'
        ORDER BY r.turn, w."dueAt", w."id" LIMIT ${limit}${lock('w')}`;
    });
    const rows = await this.db.warning.findMany({ where: { claimedBy: token, state: 'sending' }, orderBy: { id: 'asc' } });
    return rows.map(toWarning);
  }

  /** Rows whose claim is older than the lease (a replica killed mid-post) go back to `pending`. */
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

  /**
   * Claimed rows that wait for their alert channel's grouping window go back to `pending`, due at
   * `until`, their attempt not counted: they go out together once the window has passed.
   */
  async defer(ids: number[], claimedBy: string, until: Date): Promise<number> {
    let count = 0;
    for (const chunk of chunks(ids)) {
      const done = await this.db.warning.updateMany({
        where: { id: { in: chunk }, state: 'sending', claimedBy },
        data: { state: 'pending', claimedBy: null, attempts: { decrement: 1 }, nextAttemptAt: until },
      });
      count += done.count;
    }
    return count;
  }

  /** When warnings were last posted to this channel of the workspace (null: never). */
  async lastPostedAt(workspaceId: string, channel: string): Promise<Date | null> {
    const { _max } = await this.db.warning.aggregate({ where: { workspaceId, slackChannel: channel }, _max: { postedAt: true } });
    return _max.postedAt ?? null;
  }

  // The settle statements only touch a row still `sending`, and only the claim it was claimed
  // with: a run whose lease ran out cannot settle another's claim.

  async markPosted(id: number, post: { channel: string; ts: string; now: Date }, claimedBy: string): Promise<void> {
    await this.markManyPosted([id], post, claimedBy);
  }

  /** Every row of one message and one claim, posted with it: a few statements however many rows. */
  async markManyPosted(ids: number[], post: { channel: string; ts: string; now: Date }, claimedBy: string): Promise<number> {
    let count = 0;
    for (const chunk of chunks(ids)) {
      const done = await this.db.warning.updateMany({
        where: { id: { in: chunk }, state: 'sending', claimedBy },
        data: { state: 'posted', slackChannel: post.channel, slackTs: post.ts, postedAt: post.now, lastError: null, lastErrorCode: null, claimedBy: null },
      });
      count += done.count;
    }
    return count;
  }

  /** Deliveries that may succeed later: back to `pending` with the reason kept, tried again from `nextAttemptAt` (null: at once). */
  async releaseManyForRetry(ids: readonly number[], reason: RowFailure, claimedBy: string, nextAttemptAt: Date | null): Promise<void> {
    for (const chunk of chunks(ids))
      await this.db.warning.updateMany({
        where: { id: { in: chunk }, state: 'sending', claimedBy },
        data: { state: 'pending', lastError: reason.text, lastErrorCode: reason.code, claimedBy: null, nextAttemptAt },
      });
  }

  /** Deliveries that cannot succeed until someone acts (bot not in channel…): shown to admins. */
  async markManyFailed(ids: readonly number[], reason: RowFailure, claimedBy: string): Promise<void> {
    for (const chunk of chunks(ids))
      await this.db.warning.updateMany({
        where: { id: { in: chunk }, state: 'sending', claimedBy },
        data: { state: 'failed', lastError: reason.text, lastErrorCode: reason.code, claimedBy: null },
      });
  }

  markFailed(id: number, reason: RowFailure, claimedBy: string): Promise<void> {
    return this.markManyFailed([id], reason, claimedBy);
  }

  /** Claimed rows about connections that no longer exist (or a workspace gone): resolved by the system. */
  async resolveManyGone(ids: readonly number[], claimedBy: string, now: Date): Promise<void> {
    for (const chunk of chunks(ids))
      await this.db.warning.updateMany({
        where: { id: { in: chunk }, state: 'sending', claimedBy },
        data: { state: 'resolved', resolvedAt: now, resolvedBy: 'system', claimedBy: null },
      });
  }

  /** Rows of a workspace waiting out a backoff for one of `codes` become due now; returns how many. */
  async dueNow(workspaceId: string, codes: readonly string[], now: Date): Promise<number> {
    const { count } = await this.db.warning.updateMany({
      where: pendingWhere.backingOff(workspaceId, codes, now),
      data: { nextAttemptAt: now },
    });
    return count;
  }

  /** How many rows are due now (pending and past their next attempt), and how many wait for a later attempt. */
  async countPending(now: Date, workspaceId?: string): Promise<{ due: number; later: number }> {
    const [due, later] = await Promise.all([
      this.db.warning.count({ where: pendingWhere.due(now, workspaceId) }),
      this.db.warning.count({ where: pendingWhere.later(now, workspaceId) }),
    ]);
    return { due, later };
  }

  /** When the oldest warning due for delivery was recorded, per workspace (none waiting: absent). */
  async oldestDue(now: Date): Promise<Map<string, Date>> {
    const rows = await this.db.warning.groupBy({
      by: ['workspaceId'],
      where: pendingWhere.due(now),
      _min: { createdAt: true },
    });
    return new Map(rows.flatMap((r) => (r._min.createdAt ? [[r.workspaceId, r._min.createdAt] as const] : [])));
  }

  /** Rows of a workspace that failed with this code already: one notice per distinct problem. */
  async countFailedWith(workspaceId: string, code: string): Promise<number> {
    return this.db.warning.count({ where: { workspaceId, state: 'failed', lastErrorCode: code } });
  }
}

/** Ids per statement: far below the bound-parameter limits of SQLite (32,766) and PostgreSQL (65,535). */
const CHUNK = 1_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
