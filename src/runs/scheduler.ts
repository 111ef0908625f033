/**
 * One node-cron task per workspace, at its check time in its time zone. Each fire is claimed
 * through the database (`RunCoordinator`, node-cron's distributed hook), so with several replicas
 * exactly one runs it; the run itself is `runCheck`, the same as `channel-keeper check`. A fire whose
 * replica died mid-run is taken over by another once its lease runs out (see coordinator.ts).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import nodeCron, { type ScheduledTask, type TaskOptions } from 'node-cron';
import type { Workspace } from '../domain';
import { silentLogger, type Logger } from '../logger';
import { validateCheckTime, validateTimeZone } from '../checks/policy-validation';
import type { Store } from '../store/store';
import { runCheck, type CheckRunDeps, type CheckSummary } from './check-run';
import { fireKey, fireMinute, parseFireKey, RunCoordinator } from './coordinator';
import type { Outbox } from '../outbox/report';
import { latestWeeklyFireTime, reportCronExpression, reportTaskName, sendWeeklyReport, type WeeklyReportDeps } from './weekly-report-run';

/** The part of node-cron the scheduler uses (tests may wrap it to see the options given). */
export type CronSchedule = (expression: string, fn: (context: { date: Date }) => unknown, options: TaskOptions) => ScheduledTask;

export interface CheckSchedulerOptions {
  store: Store;
  /** Told when a run has recorded its warnings (`serve`: wakes the outbox worker). */
  outbox?: Outbox;
  logger?: Logger;
  /** The clock for runs and claims. */
  now: () => Date;
  /** This replica's name in the scheduler_run table. */
  holder?: string;
  /** Given to every check run (GET /metrics). */
  metrics?: CheckRunDeps['metrics'];
  /** How long `stop()` waits for a run in flight. */
  stopTimeoutMs?: number;
  schedule?: CronSchedule;
  /** Run missed fires on `start()` (default true). */
  catchUp?: boolean;
  /**
   * How often every workspace's settings are re-read (default 5 minutes; 0 = never). Another
   * replica, or `channel-keeper settings`, may have changed a check time this process never heard of.
   */
  refreshEveryMs?: number;
  /**
   * A fire whose run has sent no heartbeat for this long is taken over (default
   * DEFAULT_FIRE_LEASE_MS); every replica looks for such fires every half lease (0 = never).
   */
  fireLeaseMs?: number;
  takeOverEveryMs?: number;
  /** Posts each workspace's weekly report at its report day and time; without it, no report is scheduled. */
  weeklyReport?: Omit<WeeklyReportDeps, 'store'>;
}

export interface ScheduledCheckInfo {
  workspaceId: string;
  name: string;
  expression: string;
  timeZone: string;
  nextRun: Date | null;
}

export type FireResult =
  | { status: 'ran'; key: string; summary: CheckSummary | null }
  | { status: 'skipped'; key: string; reason: 'claimed elsewhere' | 'stopped' | 'not scheduled here' }
  | { status: 'failed'; key: string; error: Error };

interface Entry {
  name: string;
  expression: string;
  timeZone: string;
  task: ScheduledTask;
  /** When the workspace was first seen (report tasks): a fire before that was never missed. */
  since?: Date;
}

/** `HH:mm` → a five-field cron expression firing once a day at that minute. */
export function cronExpressionFor(checkTime: string): string {
  const valid = validateCheckTime(checkTime);
  if (!valid.ok) throw new RangeError(valid.errors.map((e) => e.message).join('; '));
  const [hours, minutes] = valid.value.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}

/** The latest instant, at or before `now`, that a daily `M H * * *` expression fires at in `zone`. */
export function latestFireTime(expression: string, zone: string, now: Date): Date {
  const [minute, hour] = expression.split(' ').map(Number);
  const local = DateTime.fromJSDate(now, { zone });
  let fire = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (fire > local) fire = fire.minus({ days: 1 }).set({ hour, minute });
  return fire.toJSDate();
}

export function taskNameFor(workspaceId: string): string {
  return `check:${workspaceId}`;
}

export class CheckScheduler {
  readonly coordinator: RunCoordinator;
  private readonly entries = new Map<string, Entry>();
  /** The weekly report tasks, by workspace (separate from the checks: another day, another time). */
  private readonly reportEntries = new Map<string, Entry>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly schedule: CronSchedule;
  private stopped = false;
  private refresher: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: CheckSchedulerOptions) {
    this.logger = (options.logger ?? silentLogger).child({ component: 'scheduler' });
    this.now = options.now;
    this.schedule = options.schedule ?? ((expression, fn, taskOptions) => nodeCron.schedule(expression, fn, taskOptions));
    this.coordinator = new RunCoordinator({
      store: options.store,
      holder: options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      now: this.now,
      leaseMs: options.fireLeaseMs,
    });
  }

  /**
   * Schedules every workspace (call `reschedule` after settings change), then, in the background,
   * catches up on fires missed while no replica was running.
   */
  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
    const every = this.options.refreshEveryMs ?? 5 * 60_000;
    if (every > 0) {
      this.refresher = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.error({ err: error }, 'settings refresh failed')), every);
      this.refresher.unref();
    }
    const sweepEvery = this.options.takeOverEveryMs ?? this.coordinator.leaseMs / 2;
    if (sweepEvery > 0) {
      this.sweeper = setInterval(
        () => void this.takeOverAbandoned().catch((error: unknown) => this.logger.error({ err: error }, 'looking for abandoned fires failed')),
        sweepEvery,
      );
      this.sweeper.unref();
    }
    if (this.options.catchUp !== false) {
      const catchingUp = this.catchUp().catch((error: unknown) => this.logger.error({ err: error }, 'catch-up failed'));
      this.inFlight.add(catchingUp);
      void catchingUp.finally(() => this.inFlight.delete(catchingUp));
    }
  }

  /**
   * Runs the latest scheduled fire (within the last day) of each scheduled workspace that no replica
   * has run: a deploy or crash over the check minute must not silently skip a day. The fire's key
   * makes this safe however many replicas start at once.
   */
  async catchUp(): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (const [workspaceId, entry] of [...this.entries]) {
      if (this.stopped) break;
      const scheduledAt = latestFireTime(entry.expression, entry.timeZone, this.now());
      const done = await this.options.store.scheduler.findFire(fireKey(entry.name, scheduledAt));
      if (done && !this.coordinator.isAbandoned(done)) continue;
      this.logger.info({ workspace: workspaceId, scheduledAt }, 'catching up on a missed check');
      results.push(await this.fire(workspaceId, scheduledAt));
    }
    for (const [workspaceId, entry] of [...this.reportEntries]) {
      const scheduledAt = latestWeeklyFireTime(entry.expression, entry.timeZone, this.now());
      // A report missed by more than a day is stale news (the next week's will come), and one due
      // before the workspace existed was never missed.
      if (this.stopped || this.now().getTime() - scheduledAt.getTime() > 86_400_000 || (entry.since && entry.since > scheduledAt)) continue;
      if (await this.options.store.scheduler.findFire(fireKey(entry.name, scheduledAt))) continue;
      results.push(await this.fireReport(workspaceId, scheduledAt));
    }
    return results;
  }

  /**
   * Runs again the fires of the last day whose replica died mid-run (unfinished, no heartbeat for a
   * lease), for the workspaces scheduled here. The claim is a conditional update: one replica wins.
   */
  async takeOverAbandoned(): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (const key of await this.coordinator.abandonedFires()) {
      if (this.stopped) break;
      const fire = parseFireKey(key);
      const workspaceId = fire?.name.startsWith('check:') ? fire.name.slice('check:'.length) : null;
      if (!fire || !workspaceId || taskNameFor(workspaceId) !== fire.name) continue;
      if (!this.entries.has(workspaceId)) {
        results.push({ status: 'skipped', key, reason: 'not scheduled here' });
        continue;
      }
      this.logger.warn({ workspace: workspaceId, key }, 'taking over a check whose replica stopped mid-run');
      results.push(await this.fire(workspaceId, fire.fireTime));
    }
    return results;
  }

  /** Re-reads every workspace: adds new ones, replaces tasks whose time or zone changed, drops removed ones. */
  async refresh(): Promise<void> {
    const workspaces = await this.options.store.workspaces.list();
    const seen = new Set(workspaces.map((w) => w.id));
    for (const workspaceId of [...this.entries.keys()]) if (!seen.has(workspaceId)) this.unschedule(workspaceId);
    for (const workspaceId of [...this.reportEntries.keys()]) if (!seen.has(workspaceId)) this.unscheduleReport(workspaceId);
    for (const workspace of workspaces) this.apply(workspace);
  }

  /** Re-reads one workspace's settings (after `/channels settings` changed them). */
  async reschedule(workspaceId: string): Promise<void> {
    const workspace = await this.options.store.workspaces.findById(workspaceId);
    // An uninstalled workspace (multi-workspace mode) is not checked until it is reinstalled.
    if (workspace && !workspace.uninstalledAt) this.apply(workspace);
    else {
      this.unschedule(workspaceId);
      this.unscheduleReport(workspaceId);
    }
  }

  list(): ScheduledCheckInfo[] {
    return [...this.entries].map(([workspaceId, e]) => ({
      workspaceId,
      name: e.name,
      expression: e.expression,
      timeZone: e.timeZone,
      nextRun: e.task.getNextRun(),
    }));
  }

  /**
   * One fire: claims `check:<workspace>:<scheduled minute>` and runs the check if this caller won.
   * node-cron's own fires go through the same claim (its coordinator hook) and then `runFire`.
   */
  async fire(workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const key = fireKey(taskNameFor(workspaceId), scheduledAt);
    if (this.stopped) return { status: 'skipped', key, reason: 'stopped' };
    if (!(await this.coordinator.tryAcquire(taskNameFor(workspaceId), scheduledAt))) {
      this.logger.debug({ workspace: workspaceId, key }, 'fire claimed by another replica; skipped');
      return { status: 'skipped', key, reason: 'claimed elsewhere' };
    }
    return this.runFire(workspaceId, scheduledAt);
  }

  /** The weekly report's fire: claims `report:<workspace>:<minute>` and posts the report if this caller won. */
  async fireReport(workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const name = reportTaskName(workspaceId);
    const key = fireKey(name, scheduledAt);
    if (this.stopped || !this.options.weeklyReport) return { status: 'skipped', key, reason: 'stopped' };
    if (!(await this.coordinator.tryAcquire(name, scheduledAt))) return { status: 'skipped', key, reason: 'claimed elsewhere' };
    return this.runReportFire(workspaceId, scheduledAt);
  }

  /** Stops every task and waits (bounded) for runs in flight to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refresher);
    clearInterval(this.sweeper);
    for (const workspaceId of [...this.entries.keys()]) this.unschedule(workspaceId);
    for (const workspaceId of [...this.reportEntries.keys()]) this.unscheduleReport(workspaceId);
    if (!this.inFlight.size) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 30_000);
    });
    const outcome = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.logger.warn({ running: this.inFlight.size }, 'stopped without waiting for runs still in flight');
  }

  /**
   * A check outside the schedule (news that cannot wait for the daily run). Not keyed: the outbox's
   * dedup keys already make a second run, here or on another replica, record and post nothing twice.
   */
  async runNow(workspaceId: string): Promise<CheckSummary | null> {
    if (this.stopped) return null;
    const run = (async () => {
      return runCheck(await this.runDeps(), workspaceId);
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  /** Runs a fire already claimed, and records its outcome next to its key. Never throws. */
  private runFire(workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const key = fireKey(taskNameFor(workspaceId), scheduledAt);
    // The lease is renewed while the run lasts, so no other replica takes over a live run.
    const heartbeat = setInterval(() => {
      this.coordinator.heartbeat(key).then(
        (held) => held || this.logger.warn({ workspace: workspaceId, key }, 'another replica took this check over'),
        (error: unknown) => this.logger.warn({ workspace: workspaceId, key, err: error }, 'could not renew the check lease'),
      );
    }, this.coordinator.leaseMs / 4);
    heartbeat.unref();
    const run = (async (): Promise<FireResult> => {
      try {
        const summary = await runCheck(await this.runDeps(), workspaceId);
        const c = summary.counts;
        await this.recordOutcome(key, `ok: ${c.created} created, ${c.resolved} resolved, ${summary.problems.length} problem(s)`);
        return { status: 'ran', key, summary };
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.logger.error({ workspace: workspaceId, key, err }, 'scheduled check failed');
        await this.recordOutcome(key, `failed: ${err.message}`);
        return { status: 'failed', key, error: err };
      } finally {
        clearInterval(heartbeat);
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private runReportFire(workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const key = fireKey(reportTaskName(workspaceId), scheduledAt);
    const run = (async (): Promise<FireResult> => {
      try {
        const outcome = await sendWeeklyReport({ store: this.options.store, ...this.options.weeklyReport! }, workspaceId, scheduledAt);
        this.logger.info({ workspace: workspaceId, key, outcome }, 'weekly report');
        await this.recordOutcome(key, outcome);
        return { status: 'ran', key, summary: null };
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.logger.error({ workspace: workspaceId, key, err }, 'weekly report failed');
        await this.recordOutcome(key, `failed: ${err.message}`);
        return { status: 'failed', key, error: err };
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async recordOutcome(key: string, outcome: string): Promise<void> {
    try {
      await this.coordinator.finish(key, outcome);
    } catch (error) {
      this.logger.warn({ key, err: error }, 'could not record the fire outcome');
    }
  }

  private async runDeps(): Promise<CheckRunDeps> {
    const { store, outbox, metrics } = this.options;
    return { store, outbox, now: this.now, logger: this.logger, metrics };
  }

  private apply(workspace: Workspace): void {
    if (this.options.weeklyReport) this.applyReport(workspace);
    const current = this.entries.get(workspace.id);
    let expression: string;
    const zone = validateTimeZone(workspace.timeZone);
    try {
      if (!zone.ok) throw new RangeError(zone.errors.map((e) => e.message).join('; '));
      expression = cronExpressionFor(workspace.checkTime);
    } catch (error) {
      // A bad setting stops this workspace's checks only; its old task, if any, keeps running.
      this.logger.error({ workspace: workspace.id, err: error }, 'cannot schedule the check: bad time or zone setting');
      return;
    }
    if (current && current.expression === expression && current.timeZone === workspace.timeZone) return;
    if (current) this.unschedule(workspace.id);
    if (this.stopped) return;
    const name = taskNameFor(workspace.id);
    const task = this.schedule(expression, (context) => this.runFire(workspace.id, fireMinute(context.date)), {
      name,
      timezone: workspace.timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: this.coordinator,
    });
    this.entries.set(workspace.id, { name, expression, timeZone: workspace.timeZone, task });
    this.logger.info({ workspace: workspace.id, expression, timeZone: workspace.timeZone }, current ? 'check rescheduled' : 'check scheduled');
  }

  /** Schedules, moves or drops the workspace's weekly report task. */
  private applyReport(workspace: Workspace): void {
    const current = this.reportEntries.get(workspace.id);
    let expression: string | null;
    try {
      if (!validateTimeZone(workspace.timeZone).ok) throw new RangeError(`bad time zone ${workspace.timeZone}`);
      expression = reportCronExpression(workspace);
    } catch (error) {
      this.logger.error({ workspace: workspace.id, err: error }, 'cannot schedule the weekly report: bad time or zone setting');
      return;
    }
    if (current && current.expression === expression && current.timeZone === workspace.timeZone) return;
    if (current) this.unscheduleReport(workspace.id);
    if (this.stopped || expression === null) return;
    const name = reportTaskName(workspace.id);
    const task = this.schedule(expression, (context) => this.runReportFire(workspace.id, fireMinute(context.date)), {
      name,
      timezone: workspace.timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: this.coordinator,
    });
    this.reportEntries.set(workspace.id, { name, expression, timeZone: workspace.timeZone, task, since: workspace.createdAt });
    this.logger.info({ workspace: workspace.id, expression, timeZone: workspace.timeZone }, 'weekly report scheduled');
  }

  private unscheduleReport(workspaceId: string): void {
    const report = this.reportEntries.get(workspaceId);
    if (!report) return;
    this.reportEntries.delete(workspaceId);
    void report.task.destroy();
  }

  private unschedule(workspaceId: string): void {
    const entry = this.entries.get(workspaceId);
    if (!entry) return;
    this.entries.delete(workspaceId);
    void entry.task.destroy();
  }
}
