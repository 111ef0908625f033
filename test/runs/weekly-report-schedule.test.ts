/** When the weekly report fires: its cron expression, the latest missed fire, and the scheduler's report tasks. */
import type { ScheduledTask } from 'node-cron';
import type { WeeklyReport } from '../../src/checks';
import { validateReportDay, validateReportTime } from '../../src/checks';
import type { Workspace } from '../../src/domain';
import { silentLogger } from '../../src/logger';
import { CheckScheduler, type CronSchedule } from '../../src/runs/scheduler';
import { latestWeeklyFireTime, reportCronExpression, type ReportDelivery, type ReportPosted } from '../../src/runs/weekly-report-run';
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
  async postReport(workspace: Workspace, report: WeeklyReport, chart: Buffer, channel: string): Promise<ReportPosted> {
    expect(chart.subarray(1, 4).toString()).toBe('PNG');
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
    const live = () => tasks.filter((t) => t.name.endsWith(ws) && !t.destroyed).map((t) => [t.name, t.expression, t.timezone]);
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
});
