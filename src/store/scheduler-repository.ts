import { isUniqueViolation, type Db, type Tx } from './client';

/**
 * Coordination between replicas. A cron fire is taken by inserting its key (`name:fireTime`):
 * the key is unique and kept, so a replica that fires late still finds it taken.
 */
export class SchedulerRepository {
  constructor(private readonly db: Db | Tx) {}

  /** True for the one caller that recorded the fire first. */
  async claimFire(key: string, holder: string, now: Date): Promise<boolean> {
    try {
      await this.db.schedulerRun.create({ data: { key, holder, startedAt: now } });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async finishFire(key: string, outcome: string, now: Date): Promise<void> {
    await this.db.schedulerRun.updateMany({ where: { key }, data: { finishedAt: now, outcome } });
  }

  async findFire(key: string): Promise<{ key: string; holder: string; startedAt: Date; finishedAt: Date | null; outcome: string | null } | null> {
    return this.db.schedulerRun.findUnique({ where: { key } });
  }
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
