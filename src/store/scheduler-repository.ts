import { isUniqueViolation, type Db, type Tx } from './client';

/**
 * Coordination between replicas. A cron fire is taken by inserting its key (`name:fireTime`):
 * the key is unique and kept, so a replica that fires late still finds it taken. A run in progress
 * renews its heartbeat; an unfinished fire whose heartbeat is older than the lease belonged to a
 * replica that died mid-run, and another may take it over (a conditional update: one winner).
 */
export class SchedulerRepository {
  constructor(private readonly db: Db | Tx) {}

  /**
   * True for the one caller that recorded the fire first, or, given `staleBefore`, that took over a
   * fire left unfinished with no heartbeat since then.
   */
  async claimFire(key: string, holder: string, now: Date, staleBefore?: Date): Promise<boolean> {
    try {
      await this.db.schedulerRun.create({ data: { key, holder, startedAt: now, heartbeatAt: now } });
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    if (!staleBefore) return false;
    // `outcome` is left as it is: the note the dead holder left is for the new holder to read.
    const { count } = await this.db.schedulerRun.updateMany({
      where: { key, ...staleWhere(staleBefore) },
      data: { holder, startedAt: now, heartbeatAt: now },
    });
    return count === 1;
  }

  /** Renews the holder's lease on a fire in progress; false when it is no longer its own (taken over). */
  async heartbeat(key: string, holder: string, now: Date): Promise<boolean> {
    const { count } = await this.db.schedulerRun.updateMany({ where: { key, holder, finishedAt: null }, data: { heartbeatAt: now } });
    return count === 1;
  }

  /**
   * While a fire is unfinished its `outcome` holds the holder's note on how far the run got, for a
   * replica that may take it over; renews the lease too. False when the fire is not the holder's.
   */
  async noteFire(key: string, holder: string, note: string, now: Date): Promise<boolean> {
    const { count } = await this.db.schedulerRun.updateMany({ where: { key, holder, finishedAt: null }, data: { outcome: note, heartbeatAt: now } });
    return count === 1;
  }

  /** Deletes the finished fires whose key starts with `prefix` and that finished before `before`; how many. */
  async pruneFinished(prefix: string, before: Date): Promise<number> {
    const { count } = await this.db.schedulerRun.deleteMany({ where: { key: { startsWith: prefix }, finishedAt: { lt: before } } });
    return count;
  }

  async finishFire(key: string, outcome: string, now: Date): Promise<void> {
    await this.db.schedulerRun.updateMany({ where: { key }, data: { finishedAt: now, outcome } });
  }

  async findFire(
    key: string,
  ): Promise<{ key: string; holder: string; startedAt: Date; heartbeatAt: Date | null; finishedAt: Date | null; outcome: string | null } | null> {
    return this.db.schedulerRun.findUnique({ where: { key } });
  }

  /** The scheduled check fires of a workspace started since `since` (catch-ups start after their minute, never before). */
  async checkFires(workspaceId: string, since: Date): Promise<CheckFireRow[]> {
    const rows = await this.db.schedulerRun.findMany({
      where: { key: { startsWith: checkPrefix(workspaceId) }, startedAt: { gte: since } },
      orderBy: { startedAt: 'asc' },
      select: { key: true, finishedAt: true, outcome: true },
    });
    return rows.flatMap((row) => checkFireOf(workspaceId, row) ?? []);
  }

  /** The latest scheduled check fire of a workspace started before `before`; `ok`: only one that finished ok. */
  async latestCheckFire(workspaceId: string, before: Date, { ok = false }: { ok?: boolean } = {}): Promise<CheckFireRow | null> {
    const row = await this.db.schedulerRun.findFirst({
      where: {
        key: { startsWith: checkPrefix(workspaceId) },
        startedAt: { lt: before },
        ...(ok ? { outcome: { startsWith: 'ok' }, finishedAt: { not: null } } : {}),
      },
      orderBy: { startedAt: 'desc' },
      select: { key: true, finishedAt: true, outcome: true },
    });
    return row ? checkFireOf(workspaceId, row) : null;
  }

  /** Keys of fires started since `since`, unfinished, with no heartbeat since `staleBefore`: their replica died. */
  async staleFires(staleBefore: Date, since: Date, limit = 100): Promise<string[]> {
    const rows = await this.db.schedulerRun.findMany({
      where: { ...staleWhere(staleBefore), startedAt: { gte: since } },
      orderBy: { startedAt: 'asc' },
      take: limit,
      select: { key: true },
    });
    return rows.map((r) => r.key);
  }
}

/** A scheduled check fire: its key's minute, and how it ended (`ok: …`, `failed: …`; null while running). */
export interface CheckFireRow {
  scheduledAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
}

/** Check fires are keyed `check:<workspace>:<scheduled minute, ISO>` (src/runs/coordinator.ts). */
function checkPrefix(workspaceId: string): string {
  return `check:${workspaceId}:`;
}

function checkFireOf(workspaceId: string, row: { key: string; finishedAt: Date | null; outcome: string | null }): CheckFireRow | null {
  const scheduledAt = new Date(row.key.slice(checkPrefix(workspaceId).length));
  return Number.isNaN(scheduledAt.getTime()) ? null : { scheduledAt, finishedAt: row.finishedAt, outcome: row.outcome };
}

/** Unfinished, and no sign of life since `staleBefore` (rows from before heartbeats: their start). */
function staleWhere(staleBefore: Date) {
  return {
    finishedAt: null,
    OR: [{ heartbeatAt: { lt: staleBefore } }, { heartbeatAt: null, startedAt: { lt: staleBefore } }],
  };
}

/** Slack event ids already handled, so an Events API retry is not processed twice. */
export class ProcessedEventRepository {
  constructor(private readonly db: Db | Tx) {}

  /** True the first time an event id is seen. */
  async markProcessed(eventId: string, workspaceId: string, now: Date): Promise<boolean> {
    try {
      await this.db.processedEvent.create({ data: { eventId, workspaceId, receivedAt: now } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Lets a claimed id be processed again (a modal submission that was refused and will be corrected). */
  async forget(eventId: string): Promise<void> {
    await this.db.processedEvent.deleteMany({ where: { eventId } });
  }
}
