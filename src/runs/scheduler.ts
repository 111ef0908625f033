/**
 * One node-cron task per workspace and fire kind: the daily check at its check time, the weekly
 * report at its report day and time, in the workspace's zone. Each fire is claimed through the
 * database (`RunCoordinator`, node-cron's distributed hook), so with several replicas exactly one
 * runs it; the check run itself is `runCheck`, the same as `channel-keeper check`. Every kind's run
 * renews a heartbeat, and a fire of any kind whose replica died mid-run is taken over by another
 * once its lease runs out (see coordinator.ts); each kind's runner says what running it again does.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import nodeCron, { type ScheduledTask, type TaskOptions } from 'node-cron';
import type { Workspace } from '../domain';
import { silentLogger, type Logger } from '../logger';
import { validateCheckTime, validateTimeZone } from '../rules/policy-validation';
import type { Store } from '../store/store';
import { runCheck, type CheckRunDeps, type CheckSummary } from './check-run';
import { warmChannelLists } from '../services/channel-lists';
import type { JudgingQueue } from '../services/judging';
import {
  FIRE_KINDS,
  fireKey,
  fireMinute,
  outcomeText,
  parseFireKey,
  parseTaskName,
  RunCoordinator,
  taskName,
  type FireKind,
  type FireOutcome,
} from './coordinator';
import type { Outbox } from '../outbox/report';
import type { CheckRunEnd } from './heartbeat';
import { latestWeeklyFireTime, reportCronExpression, sendWeeklyReport, type WeeklyReportDeps } from './weekly-report-run';
import { count } from '../words';

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
  /** Shared with the bot: the lists' judging after a check waits for (or is waited on by) a list being asked for. */
  judging?: JudgingQueue;
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
  /** Told after each scheduled check this replica ran, once its outcome is recorded (`serve`: the heartbeat). */
  afterCheck?: (end: CheckRunEnd) => unknown;
}

export interface ScheduledCheckInfo {
  workspaceId: string;
  name: string;
  expression: string;
  timeZone: string;
  nextRun: Date | null;
}

export type FireResult =
  | { status: 'ran'; key: string; outcome: FireOutcome; summary: CheckSummary | null }
  | { status: 'skipped'; key: string; reason: 'claimed elsewhere' | 'stopped' | 'not scheduled here' }
  | { status: 'failed'; key: string; error: Error };

interface Entry {
  name: string;
  expression: string;
  timeZone: string;
  task: ScheduledTask;
  /** When the workspace was first seen: a fire before that was never missed. */
  since: Date;
}

/** What a run may read and tell its fire: the previous holder's note (after a takeover), and its own. */
interface FireContext {
  key: string;
  previousNote: string | null;
  note(note: string): Promise<boolean>;
}

/** How one kind of fire is scheduled, caught up and run. Every kind is claimed, kept alive and taken over alike. */
interface FireKindRunner {
  /** In log lines: `check`, `weekly report`. */
  label: string;
  /** False: this process runs no fire of this kind (no report delivery configured). */
  enabled: boolean;
  /** Its cron expression for the workspace; null: not scheduled (turned off). Throws on a bad setting. */
  expression(workspace: Workspace): string | null;
  /** The latest fire to catch up on at start (null: none, e.g. stale news); `since`: when the workspace was first seen. */
  missedFire(expression: string, zone: string, now: Date, since: Date): Date | null;
  /** Runs the fire already claimed; what it returns is recorded as the fire's outcome. */
  run(workspaceId: string, scheduledAt: Date, fire: FireContext): Promise<{ outcome: FireOutcome; summary: CheckSummary | null }>;
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

export class CheckScheduler {
  readonly coordinator: RunCoordinator;
  /** Each kind's tasks, by workspace. */
  private readonly entries: Record<FireKind, Map<string, Entry>> = { check: new Map(), report: new Map() };
  /** A runner for every kind: the type makes a kind added later bring its own. */
  private readonly runners: Record<FireKind, FireKindRunner>;
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
    this.runners = {
      check: {
        label: 'check',
        enabled: true,
        expression: (workspace) => cronExpressionFor(workspace.checkTime),
        missedFire: (expression, zone, now) => latestFireTime(expression, zone, now),
        // Idempotent (the outbox's dedup keys), so a fire taken over is simply run again.
        run: async (workspaceId) => {
          const summary = await runCheck(this.runDeps(), workspaceId);
          // The day's health for the lists, judged now rather than by the first person who asks.
          // Tracked like a run, so stopping waits for it instead of closing the database under it.
          const warming = warmChannelLists({ store: options.store, now: this.now, judging: options.judging }, workspaceId).catch((error: unknown) =>
            this.logger.warn({ workspace: workspaceId, err: error }, 'channel lists not prepared'),
          );
          this.inFlight.add(warming);
          void warming.finally(() => this.inFlight.delete(warming));
          const c = summary.counts;
          return { outcome: { status: 'ok', detail: `${c.created} created, ${c.resolved} resolved, ${count(summary.problems.length, 'problem')}` }, summary };
        },
      },
      report: {
        label: 'weekly report',
        enabled: options.weeklyReport !== undefined,
        expression: (workspace) => reportCronExpression(workspace),
        missedFire: (expression, zone, now, since) => {
          const scheduledAt = latestWeeklyFireTime(expression, zone, now);
          // A report missed by more than a day is stale news (the next week's will come), and one due
          // before the workspace existed was never missed.
          return now.getTime() - scheduledAt.getTime() > 86_400_000 || since > scheduledAt ? null : scheduledAt;
        },
        // Not idempotent: see sendWeeklyReport for how a fire taken over avoids a second post.
        run: async (workspaceId, scheduledAt, fire) => {
          const outcome = await sendWeeklyReport({ store: options.store, ...options.weeklyReport! }, workspaceId, scheduledAt, {
            previousNote: fire.previousNote,
            notePosting: (note) => fire.note(note),
          });
          this.logger.info({ workspace: workspaceId, key: fire.key, outcome: outcomeText(outcome) }, 'weekly report');
          return { outcome, summary: null };
        },
      },
    };
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
   * Runs the latest scheduled fire of each scheduled task that no replica has run, or whose run
   * died: a deploy or crash over the check minute must not silently skip a day. The fire's key
   * makes this safe however many replicas start at once.
   */
  async catchUp(): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (const kind of FIRE_KINDS) {
      for (const [workspaceId, entry] of [...this.entries[kind]]) {
        if (this.stopped) return results;
        const scheduledAt = this.runners[kind].missedFire(entry.expression, entry.timeZone, this.now(), entry.since);
        if (!scheduledAt) continue;
        const done = await this.options.store.scheduler.findFire(fireKey(entry.name, scheduledAt));
        if (done && !this.coordinator.isAbandoned(done)) continue;
        this.logger.info({ workspace: workspaceId, scheduledAt }, `catching up on a missed ${this.runners[kind].label}`);
        results.push(await this.fireKind(kind, workspaceId, scheduledAt));
      }
    }
    return results;
  }

  /**
   * Runs again the fires of the last day, of every kind, whose replica died mid-run (unfinished, no
   * heartbeat for a lease), for the workspaces scheduled here. The claim is a conditional update:
   * one replica wins.
   */
  async takeOverAbandoned(): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (const key of await this.coordinator.abandonedFires()) {
      if (this.stopped) break;
      const fire = parseFireKey(key);
      const task = fire && parseTaskName(fire.name);
      if (!fire || !task) continue;
      if (!this.entries[task.kind].has(task.workspaceId)) {
        results.push({ status: 'skipped', key, reason: 'not scheduled here' });
        continue;
      }
      this.logger.warn({ workspace: task.workspaceId, key }, `taking over a ${this.runners[task.kind].label} whose replica stopped mid-run`);
      results.push(await this.fireKind(task.kind, task.workspaceId, fire.fireTime));
    }
    return results;
  }

  /** Re-reads every workspace: adds new ones, replaces tasks whose time or zone changed, drops removed ones. */
  async refresh(): Promise<void> {
    const workspaces = await this.options.store.workspaces.list();
    const seen = new Set(workspaces.map((w) => w.id));
    for (const kind of FIRE_KINDS) for (const workspaceId of [...this.entries[kind].keys()]) if (!seen.has(workspaceId)) this.unschedule(kind, workspaceId);
    for (const workspace of workspaces) this.apply(workspace);
  }

  /** Re-reads one workspace's settings (after `/channels settings` changed them). */
  async reschedule(workspaceId: string): Promise<void> {
    const workspace = await this.options.store.workspaces.findById(workspaceId);
    // An uninstalled workspace (multi-workspace mode) is not checked until it is reinstalled.
    if (workspace && !workspace.uninstalledAt) this.apply(workspace);
    else for (const kind of FIRE_KINDS) this.unschedule(kind, workspaceId);
  }

  /** The check tasks. */
  list(): ScheduledCheckInfo[] {
    return [...this.entries.check].map(([workspaceId, e]) => ({
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
    return this.fireKind('check', workspaceId, scheduledAt);
  }

  /** The weekly report's fire: claims `report:<workspace>:<minute>` and posts the report if this caller won. */
  async fireReport(workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    return this.fireKind('report', workspaceId, scheduledAt);
  }

  /** Stops every task and waits (bounded) for runs in flight to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refresher);
    clearInterval(this.sweeper);
    for (const kind of FIRE_KINDS) for (const workspaceId of [...this.entries[kind].keys()]) this.unschedule(kind, workspaceId);
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
    const run = runCheck(this.runDeps(), workspaceId);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  /** Claims the fire of one kind and runs it if this caller won. */
  private async fireKind(kind: FireKind, workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const name = taskName(kind, workspaceId);
    const key = fireKey(name, scheduledAt);
    if (this.stopped || !this.runners[kind].enabled) return { status: 'skipped', key, reason: 'stopped' };
    if (!(await this.coordinator.tryAcquire(name, scheduledAt))) {
      this.logger.debug({ workspace: workspaceId, key }, 'fire claimed by another replica; skipped');
      return { status: 'skipped', key, reason: 'claimed elsewhere' };
    }
    return this.runFire(kind, workspaceId, scheduledAt);
  }

  /** Runs a fire already claimed, of any kind, and records its outcome next to its key. Never throws. */
  private runFire(kind: FireKind, workspaceId: string, scheduledAt: Date): Promise<FireResult> {
    const key = fireKey(taskName(kind, workspaceId), scheduledAt);
    const { label } = this.runners[kind];
    // The lease is renewed while the run lasts, so no other replica takes over a live run.
    const heartbeat = setInterval(() => {
      this.coordinator.heartbeat(key).then(
        (held) => held || this.logger.warn({ workspace: workspaceId, key }, `another replica took this ${label} over`),
        (error: unknown) => this.logger.warn({ workspace: workspaceId, key, err: error }, `could not renew the ${label} lease`),
      );
    }, this.coordinator.leaseMs / 4);
    heartbeat.unref();
    const run = (async (): Promise<FireResult> => {
      try {
        // A fire taken over may carry its previous holder's note on how far it got.
        const previousNote = await this.coordinator.noteOf(key);
        const { outcome, summary } = await this.runners[kind].run(workspaceId, scheduledAt, {
          key,
          previousNote,
          note: (note) => this.coordinator.note(key, note),
        });
        await this.recordOutcome(key, outcome);
        if (kind === 'check') this.tellAfterCheck({ workspaceId, ok: true });
        return { status: 'ran', key, outcome, summary };
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        this.logger.error({ workspace: workspaceId, key, err }, `scheduled ${label} failed`);
        await this.recordOutcome(key, { status: 'failed', detail: err.message });
        if (kind === 'check') this.tellAfterCheck({ workspaceId, ok: false, error: err });
        return { status: 'failed', key, error: err };
      } finally {
        clearInterval(heartbeat);
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** The hook is the caller's: its failure is logged, never the run's. */
  private tellAfterCheck(end: CheckRunEnd): void {
    try {
      void Promise.resolve(this.options.afterCheck?.(end)).catch((error: unknown) => this.logger.warn({ err: error }, 'after-check hook failed'));
    } catch (error) {
      this.logger.warn({ err: error }, 'after-check hook failed');
    }
  }

  private async recordOutcome(key: string, outcome: FireOutcome): Promise<void> {
    try {
      await this.coordinator.finish(key, outcome);
    } catch (error) {
      this.logger.warn({ key, err: error }, 'could not record the fire outcome');
    }
  }

  private runDeps(): CheckRunDeps {
    const { store, outbox, metrics } = this.options;
    return { store, outbox, now: this.now, logger: this.logger, metrics };
  }

  private apply(workspace: Workspace): void {
    for (const kind of FIRE_KINDS) this.applyKind(kind, workspace);
  }

  /** Schedules, moves or drops one kind of task of the workspace. */
  private applyKind(kind: FireKind, workspace: Workspace): void {
    const { label, enabled } = this.runners[kind];
    if (!enabled) return;
    const current = this.entries[kind].get(workspace.id);
    let expression: string | null;
    const zone = validateTimeZone(workspace.timeZone);
    try {
      if (!zone.ok) throw new RangeError(zone.errors.map((e) => e.message).join('; '));
      expression = this.runners[kind].expression(workspace);
    } catch (error) {
      // A bad setting stops this workspace's task only; its old task, if any, keeps running.
      this.logger.error({ workspace: workspace.id, err: error }, `cannot schedule the ${label}: bad time or zone setting`);
      return;
    }
    if (current && current.expression === expression && current.timeZone === workspace.timeZone) return;
    if (current) this.unschedule(kind, workspace.id);
    if (this.stopped || expression === null) return;
    const name = taskName(kind, workspace.id);
    const task = this.schedule(expression, (context) => this.runFire(kind, workspace.id, fireMinute(context.date)), {
      name,
      timezone: workspace.timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: this.coordinator,
    });
    this.entries[kind].set(workspace.id, { name, expression, timeZone: workspace.timeZone, task, since: workspace.createdAt });
    this.logger.info({ workspace: workspace.id, expression, timeZone: workspace.timeZone }, `${label} ${current ? 'rescheduled' : 'scheduled'}`);
  }

  private unschedule(kind: FireKind, workspaceId: string): void {
    const entry = this.entries[kind].get(workspaceId);
    if (!entry) return;
    this.entries[kind].delete(workspaceId);
    void entry.task.destroy();
  }
}
