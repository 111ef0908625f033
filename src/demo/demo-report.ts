/**
 * `channel-keeper demo --report`: the sample channels live through one week in a throwaway
 * database (a check a week ago, a refresh, a reconnection, a disconnection, an escalation step, a
 * check today), then the weekly report is printed and its chart drawn, as the scheduler would post
 * them on Monday. The example report in docs/guide.md and docs/weekly-report.png come from here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deadlineChartPng } from '../chart/deadline-chart';
import { addDays, todayIn } from '../rules/calendar';
import { dueChecks } from '../rules/check-history';
import { reportLines, type WeeklyReport } from '../rules/weekly-report';
import { ESCALATED_ACTION, SYSTEM_ACTOR } from '../domain';
import { runCheck } from '../runs/check-run';
import { fireKey, outcomeText, taskName } from '../runs/coordinator';
import { writeRefresh } from '../services/caretaking';
import { writeAdded, writeDisconnected, writeReconnected } from '../services/channels';
import { weeklyReportOf } from '../services/weekly-report';
import { parseDatabaseUrl } from '../store/database-url';
import { migrate } from '../store/migrate';
import { openStore } from '../store/store';
import { DEMO_TIME_ZONE, DEMO_WORKSPACE } from './run-demo';
import { DEMO_NAMES, DEMO_USERS, sampleChannels } from './sample-channels';

export interface DemoReport {
  text: string;
  report: WeeklyReport;
  png: Buffer;
}

export async function runDemoReport(now: Date): Promise<DemoReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-keeper-demo-'));
  const target = parseDatabaseUrl(`file:${path.join(dir, 'demo.db')}`);
  const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
  try {
    await migrate(target);
    const store = openStore(target);
    try {
      await store.workspaces.ensure(DEMO_WORKSPACE, 'Acme Social (demo)');
      await store.workspaces.updateSettings(DEMO_WORKSPACE, { timeZone: DEMO_TIME_ZONE, alertChannel: 'C0DEMOALERTS' });
      for (const userId of Object.values(DEMO_USERS))
        await store.members.upsert(DEMO_WORKSPACE, userId, { role: 'team_leader', name: DEMO_NAMES[userId] ?? null });
      // The channels as they stood a week ago, checked then.
      const weekAgo = todayIn(day(7), DEMO_TIME_ZONE);
      const byState = new Map<string, number>();
      for (const sample of sampleChannels(weekAgo)) byState.set(sample.state, (await writeAdded(store, DEMO_WORKSPACE, sample.input, 'demo')).id);
      // A few more pages whose tokens run out over the coming weeks, so the chart has a shape.
      const { maya, jonas, priya, leo } = DEMO_USERS;
      // Facebook and Instagram tokens live 60 days: ages (a week ago) from 48 to 5 days spread their ends over the coming weeks.
      const more: [string, 'facebook' | 'instagram', number, string][] = [
        ['Acme Events', 'facebook', 48, priya],
        ['Acme Support', 'facebook', 40, leo],
        ['Acme Partners', 'instagram', 33, maya],
        ['Acme Foundation', 'facebook', 26, jonas],
        ['Acme Research', 'instagram', 19, priya],
        ['Acme Store', 'instagram', 12, leo],
        ['Acme Kids', 'facebook', 5, jonas],
      ];
      for (const [name, network, age, ownerId] of more) {
        const kind = network === 'facebook' ? 'page' : 'business_account';
        const backups = [ownerId === maya ? jonas : maya];
        await writeAdded(store, DEMO_WORKSPACE, { network, kind, name, ownerId, connectedAt: addDays(weekAgo, -age), backups }, 'demo');
      }
      await runCheck({ store, now: () => day(7) }, DEMO_WORKSPACE);
      const on = (n: number) => todayIn(day(n), DEMO_TIME_ZONE);
      const change = (state: string, actorId: string, at: Date) => ({ workspaceId: DEMO_WORKSPACE, connectionId: byState.get(state)!, actorId, at });
      await writeRefresh(store, change('3 days left', maya, day(5)), on(5));
      await writeReconnected(store, change('disconnected', jonas, day(4)), on(4));
      await writeDisconnected(store, change('inactive owner', maya, day(3)), 'inactivity', on(3));
      await store.audit.append({
        workspaceId: DEMO_WORKSPACE,
        connectionId: byState.get('expired')!,
        actorId: SYSTEM_ACTOR,
        action: ESCALATED_ACTION,
        details: { step: 'team_leaders' },
        at: day(2),
      });
      await runCheck({ store, now: () => now }, DEMO_WORKSPACE);
      // The scheduler's record of the week: every daily check ran (the report's "Checks ran" line).
      const { checkTime } = await store.workspaces.getById(DEMO_WORKSPACE);
      for (const at of dueChecks({ checkTime, timeZone: DEMO_TIME_ZONE, since: day(8) }, day(8), now)) {
        const key = fireKey(taskName('check', DEMO_WORKSPACE), at);
        await store.scheduler.claimFire(key, 'demo', at);
        await store.scheduler.finishFire(key, outcomeText({ status: 'ok', detail: 'demo' }), at);
      }
      const report = await weeklyReportOf({ store }, await store.workspaces.getById(DEMO_WORKSPACE), now);
      return { text: reportLines(report).join('\n'), report, png: deadlineChartPng(report) };
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
