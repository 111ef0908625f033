/** When the weekly report fires: its cron expression, the latest missed fire, and the scheduler's report tasks. */
import type { ScheduledTask } from 'node-cron';
import type { WeeklyReport } from '../../src/rules/weekly-report';
import { validateReportDay, validateReportTime } from '../../src/rules/weekly-report';
import type { Workspace } from '../../src/domain';
import { silentLogger } from '../../src/logger';
import { fireKey, RunCoordinator } from '../../src/runs/coordinator';
import { CheckScheduler, type CronSchedule } from '../../src/runs/scheduler';
import { latestWeeklyFireTime, reportCronExpression, sendWeeklyReport, type ReportDelivery, type ReportPosted } from '../../src/runs/weekly-report-run';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { newWorkspace } from '../support/factories';

describe('the weekly report schedule', () => {
  it('fires on the report day at the report time, or at the check time; off: never', () => {
    expect(reportCronExpression({ reportDay: 'monday', reportTime: null, checkTime: '09:00' })).toBe('0 9 * * 1');
    expect(reportCronExpression({ reportDay: 'friday', reportTime: '16:30', checkTime: '09:00' })).toBe('30 16 * * 5');
    expect(reportCronExpression({ reportDay: 'sunday', reportTime: null, checkTime: '07:05' })).toBe('5 7 * * 0');
    expect(reportCronExpression({ reportDay: 'off', reportTime: '16:30', checkTime: '09:00' })).toBeNull();
  });

  it('finds the latest fire at or before now, in the zone', () => {
    // Wednesday 2 Dec 2026: the last Monday 09:00 in Berlin was 30 Nov, 08:00 UTC.
    expect(latestWeeklyFireTime('0 9 * * 1', 'Europe/Berlin', new Date('2026-12-02T12:00:00Z'))).toEqual(new Date('2026-11-30T08:00:00Z'));
    // Monday before 09:00 Berlin: a week earlier; just after: that day.
    expect(latestWeeklyFireTime('0 9 * * 1', 'Europe/Berlin', new Date('2026-11-30T07:59:00Z'))).toEqual(new Date('2026-11-23T08:00:00Z'));
    expect(latestWeeklyFireTime('0 9 * * 1', 'Europe/Berlin', new Date('2026-11-30T08:00:00Z'))).toEqual(new Date('2026-11-30T08:00:00Z'));
    expect(latestWeeklyFireTime('5 7 * * 0', 'UTC', new Date('2026-12-06T07:05:00Z'))).toEqual(new Date('2026-12-06T07:05:00Z'));
  });

  it('reads the settings as people type them', () => {
    expect(validateReportDay('Fri')).toEqual({ ok: true, value: 'friday' });
    expect(validateReportDay('OFF')).toEqual({ ok: true, value: 'off' });
    expect(validateReportDay('fr').ok).toBe(false);
    expect(validateReportTime('check')).toEqual({ ok: true, value: null });
    expect(validateReportTime('7:05')).toEqual({ ok: true, value: '07:05' });
    expect(validateReportTime('24:00').ok).toBe(false);
  });
});

class RecordingDelivery implements ReportDelivery {
  readonly posted: { workspace: string; channel: string; at: Date }[] = [];
  calls = 0;
  /** Resolved by the test: each post waits for it (a long post caught in flight). */
  gate: Promise<void> = Promise.resolve();
  async postReport(workspace: Workspace, report: WeeklyReport, chart: Buffer, channel: string): Promise<ReportPosted> {
    expect(chart.subarray(1, 4).toString()).toBe('PNG');
    this.calls += 1;
    await this.gate;
    this.posted.push({ workspace: workspace.id, channel, at: report.at });
    return { ok: true, channel, ts: '1.0', fileId: 'F1' };
  }
}

describeEachDatabase('the scheduler and the weekly report', (db) => {
  function stubSchedule() {
    const tasks: { name: string; expression: string; timezone?: string; destroyed: boolean }[] = [];
    const schedule: CronSchedule = (expression, _fn, options) => {
      const entry = { name: options.name!, expression, timezone: options.timezone, destroyed: false };
      tasks.push(entry);
      return { destroy: () => void (entry.destroyed = true), getNextRun: () => null } as unknown as ScheduledTask;
    };
    return { tasks, schedule };
  }

  it('schedules a report task per workspace beside its check, moves it when the settings change, drops it when off', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.workspaces.updateSettings(ws, { timeZone: 'Europe/Berlin', checkTime: '08:00', reportDay: 'friday', reportTime: '16:00' });
    const { tasks, schedule } = stubSchedule();
    const s = new CheckScheduler({
      store,
      now: () => new Date(),
      schedule,
      catchUp: false,
      refreshEveryMs: 0,
      logger: silentLogger,
      weeklyReport: { delivery: new RecordingDelivery() },
    });
    await s.reschedule(ws);
    const live = () =>
      tasks
        .filter((t) => t.name.endsWith(ws) && !t.destroyed)
        .map((t) => [t.name, t.expression, t.timezone])
        .sort(([a], [b]) => String(b).localeCompare(String(a)));
    expect(live()).toEqual([
      [`report:${ws}`, '0 16 * * 5', 'Europe/Berlin'],
      [`check:${ws}`, '0 8 * * *', 'Europe/Berlin'],
    ]);
    // A new check time moves the check, not the report (it has its own time).
    await store.workspaces.updateSettings(ws, { checkTime: '09:00' });
    await s.reschedule(ws);
    expect(live()).toEqual([
      [`report:${ws}`, '0 16 * * 5', 'Europe/Berlin'],
      [`check:${ws}`, '0 9 * * *', 'Europe/Berlin'],
    ]);
    await store.workspaces.updateSettings(ws, { reportDay: 'off' });
    await s.reschedule(ws);
    expect(live()).toEqual([[`check:${ws}`, '0 9 * * *', 'Europe/Berlin']]);
    await s.stop();
  });

  it('catches up on a report missed within the day, once across replicas and restarts', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.workspaces.updateSettings(ws, { alertChannel: 'CALERTS', reportDay: 'monday', reportTime: '09:00' });
    const delivery = new RecordingDelivery();
    // Monday, two hours late; years ahead, so the workspace (stamped with the real time) existed by then.
    const now = () => new Date('2036-12-01T11:00:00Z');
    const start = () =>
      new CheckScheduler({
        store,
        now,
        schedule: stubSchedule().schedule,
        catchUp: false,
        refreshEveryMs: 0,
        logger: silentLogger,
        weeklyReport: { delivery },
      });
    // Each replica knows only this workspace (reschedule, not refresh): other suites' workspaces share the database.
    const [a, b] = [start(), start()];
    await Promise.all([a.reschedule(ws), b.reschedule(ws)]);
    await Promise.all([a.catchUp(), b.catchUp()]);
    // A restart later the same day finds the fire's key and posts nothing again.
    const third = start();
    await third.reschedule(ws);
    await third.catchUp();
    expect(delivery.posted.filter((p) => p.workspace === ws)).toEqual([{ workspace: ws, channel: 'CALERTS', at: new Date('2036-12-01T09:00:00Z') }]);
    await Promise.all([a.stop(), b.stop(), third.stop()]);
  });

  describe('a replica that dies while running the report', () => {
    // Monday 1 Dec 2036, 09:00 UTC: years ahead, so the workspace (stamped with the real time) existed by then.
    const fireTime = new Date('2036-12-01T09:00:00Z');

    async function reportWorkspace(store: Store): Promise<string> {
      const ws = await newWorkspace(store);
      await store.workspaces.updateSettings(ws, { alertChannel: 'CALERTS', reportDay: 'monday', reportTime: '09:00' });
      return ws;
    }

    function replica(store: Store, holder: string, now: () => Date, delivery: ReportDelivery, fireLeaseMs = 60_000): CheckScheduler {
      return new CheckScheduler({
        store,
        holder,
        now,
        fireLeaseMs,
        schedule: stubSchedule().schedule,
        catchUp: false,
        refreshEveryMs: 0,
        logger: silentLogger,
        weeklyReport: { delivery },
      });
    }

    it('before posting: its fire is taken over by one of two replicas once the heartbeat stops, and posted once', async () => {
      const { store } = db();
      const ws = await reportWorkspace(store);
      const key = fireKey(`report:${ws}`, fireTime);
      // Replica A claims the fire and dies while assembling the report: no heartbeat, no note, no outcome.
      expect(await new RunCoordinator({ store, holder: 'replica-a', now: () => fireTime }).tryAcquire(`report:${ws}`, fireTime)).toBe(true);
      let t = fireTime.getTime() + 30_000;
      const delivery = new RecordingDelivery();
      const [b, c] = [replica(store, 'replica-b', () => new Date(t), delivery), replica(store, 'replica-c', () => new Date(t), delivery)];
      await Promise.all([b.reschedule(ws), c.reschedule(ws)]);
      // Within the lease the fire still counts as running.
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect((await b.catchUp()).filter((r) => r.key === key)).toEqual([]);

      t = fireTime.getTime() + 61_000;
      const taken = (await Promise.all([b.takeOverAbandoned(), c.takeOverAbandoned()])).flat().filter((r) => r.key === key);
      expect(taken.filter((r) => r.status === 'ran')).toHaveLength(1);
      expect(delivery.posted).toEqual([{ workspace: ws, channel: 'CALERTS', at: fireTime }]);
      const fire = await store.scheduler.findFire(key);
      expect(fire?.holder).toMatch(/^replica-[bc]$/);
      expect(fire?.outcome).toBe('ok: posted to CALERTS at 1.0 with chart F1');
      expect(fire?.finishedAt).not.toBeNull();
      // Finished: neither a later sweep nor a restart posts it again.
      t += 10 * 60_000;
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect((await c.catchUp()).filter((r) => r.key === key)).toEqual([]);
      expect(delivery.posted).toHaveLength(1);
      await Promise.all([b.stop(), c.stop()]);
    });

    it('after it began posting: the fire is taken over and finished, but the report is not posted a second time', async () => {
      const { store } = db();
      const ws = await reportWorkspace(store);
      const key = fireKey(`report:${ws}`, fireTime);
      const dead = new RunCoordinator({ store, holder: 'replica-a', now: () => fireTime });
      expect(await dead.tryAcquire(`report:${ws}`, fireTime)).toBe(true);
      // What the run notes just before it posts; then the replica dies (was it posted? Slack may have it).
      expect(await dead.note(key, 'posting to CALERTS')).toBe(true);
      const delivery = new RecordingDelivery();
      const b = replica(store, 'replica-b', () => new Date(fireTime.getTime() + 61_000), delivery);
      await b.reschedule(ws);
      const [taken] = (await b.takeOverAbandoned()).filter((r) => r.key === key);
      expect(taken).toMatchObject({ status: 'ran', outcome: { status: 'skipped' } });
      expect(delivery.calls).toBe(0);
      expect(await store.scheduler.findFire(key)).toMatchObject({
        holder: 'replica-b',
        outcome: 'skipped: the replica that ran this fire stopped while posting to CALERTS; not posted again',
        finishedAt: expect.any(Date),
      });
      await b.stop();
    });

    it('that was only slow does not post once another replica has taken its fire over', async () => {
      const { store } = db();
      const ws = await reportWorkspace(store);
      const key = fireKey(`report:${ws}`, fireTime);
      let t = fireTime.getTime();
      const slow = new RunCoordinator({ store, holder: 'replica-a', now: () => new Date(t), leaseMs: 60_000 });
      expect(await slow.tryAcquire(`report:${ws}`, fireTime)).toBe(true);
      t += 61_000;
      expect(await new RunCoordinator({ store, holder: 'replica-b', now: () => new Date(t), leaseMs: 60_000 }).tryAcquire(`report:${ws}`, fireTime)).toBe(true);
      // The slow replica's run reaches the post: its note is refused, so it does not post.
      const delivery = new RecordingDelivery();
      const outcome = await sendWeeklyReport({ store, delivery }, ws, fireTime, { previousNote: null, notePosting: (note) => slow.note(key, note) });
      expect(outcome).toEqual({ status: 'skipped', detail: 'another replica took this fire over' });
      expect(delivery.calls).toBe(0);
    });

    it('keeps a long report run of a live replica: its heartbeat holds the fire past the lease', async () => {
      const { store } = db();
      const ws = await reportWorkspace(store);
      const key = fireKey(`report:${ws}`, fireTime);
      let t = fireTime.getTime();
      let release: () => void = () => undefined;
      const delivery = new RecordingDelivery();
      delivery.gate = new Promise((resolve) => {
        release = resolve;
      });
      const a = replica(store, 'replica-a', () => new Date(t), delivery, 200);
      const b = replica(store, 'replica-b', () => new Date(t), new RecordingDelivery(), 200);
      await Promise.all([a.reschedule(ws), b.reschedule(ws)]);
      const running = a.fireReport(ws, fireTime);
      while (delivery.calls === 0) await new Promise((r) => setImmediate(r));
      t += 10 * 60_000; // the post has lasted far longer than the lease…
      // …but its replica renews the heartbeat (every quarter lease) while it runs.
      while ((await store.scheduler.findFire(key))?.heartbeatAt?.getTime() !== t) await new Promise((r) => setTimeout(r, 20));
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect(await b.fireReport(ws, fireTime)).toMatchObject({ status: 'skipped', reason: 'claimed elsewhere' });
      release();
      expect((await running).status).toBe('ran');
      expect(await store.scheduler.findFire(key)).toMatchObject({ holder: 'replica-a', outcome: 'ok: posted to CALERTS at 1.0 with chart F1' });
      expect(delivery.posted).toHaveLength(1);
      await Promise.all([a.stop(), b.stop()]);
    });
  });
});
