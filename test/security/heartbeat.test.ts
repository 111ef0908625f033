/**
 * Issue 25, items 11 and 12: a bot that stops is no longer silent. A fake healthchecks.io on
 * loopback receives the pings of a real scheduler's check runs and their `/fail`; App Home (through
 * a real app_home_opened event) and the weekly report say how many days the checks ran; a `serve`
 * started after days of nothing tells the admins once, however many times it starts.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { HomeView } from '@slack/types';
import { buildWeeklyReportMessage } from '../../src/bot/blocks/weekly-report';
import { buildMissedChecksMessage } from '../../src/bot/blocks/missed-checks';
import { createServeCommand } from '../../src/cli/serve';
import { checkHistory, type MissedChecks } from '../../src/rules/check-history';
import { reportLines } from '../../src/rules/weekly-report';
import { loadConfig } from '../../src/config';
import { createLogger, silentLogger } from '../../src/logger';
import { Heartbeat, serveWatch } from '../../src/runs/heartbeat';
import { CheckScheduler } from '../../src/runs/scheduler';
import { LogReportDelivery } from '../../src/runs/weekly-report-run';
import { weeklyReport } from '../../src/services/weekly-report';
import type { Store } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { eventually, NOW, slackPerSuite } from '../bot/support/slack-harness';
import { ADMIN, MEMBER, newTeam } from '../bot/support/team';

const TOKEN = 'a1b2c3d4-secret-ping-token';

/** healthchecks.io on loopback: records every request; answers `status`. */
async function fakeHealthchecks(status = 200) {
  const requests: { method: string; path: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(state.status).end('OK');
    });
  });
  const state = { status };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    state,
    url: `http://127.0.0.1:${port}/ping/${TOKEN}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8')), done()) });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Records a scheduled check fire as the scheduler does: claimed at `startedAt`, finished with `outcome`. */
async function recordCheck(store: Store, team: string, scheduledAt: string, outcome: string, finishedAt = scheduledAt) {
  const key = `check:${team}:${new Date(scheduledAt).toISOString()}`;
  await store.scheduler.claimFire(key, 'test-replica', new Date(scheduledAt));
  await store.scheduler.finishFire(key, outcome, new Date(finishedAt));
}

/** The week to NOW (2026-06-15 12:00 UTC), checks at 09:00 UTC: 7 due, 5 finished ok, 2 failed. */
async function fiveOfSeven(store: Store, team: string) {
  await recordCheck(store, team, '2026-06-09T09:00:00Z', 'failed: database unreachable');
  for (const day of ['10', '11', '12', '13', '14']) await recordCheck(store, team, `2026-06-${day}T09:00:00Z`, 'ok: 0 created', `2026-06-${day}T09:00:30Z`);
  await recordCheck(store, team, '2026-06-15T09:00:00Z', 'failed: database unreachable');
}

describeEachDatabase('security: the heartbeat', (db) => {
  const store = () => db().store;
  const slack = slackPerSuite(db);

  it('a scheduled check pings HEARTBEAT_URL, a failed one posts a one-line reason to <url>/fail; the token is never logged', async () => {
    const hc = await fakeHealthchecks();
    const { logger, lines } = capturingLogger();
    const now = () => NOW;
    const watch = serveWatch({ url: hc.url, store: store(), logger, now, holder: 'replica-a', workerHealthy: () => true });
    const scheduler = new CheckScheduler({ store: store(), now, logger, afterCheck: watch.afterCheck, catchUp: false, refreshEveryMs: 0, takeOverEveryMs: 0 });
    try {
      const team = await newTeam(store());
      expect(await scheduler.fire(team, new Date('2026-06-15T09:00:00Z'))).toMatchObject({ status: 'ran' });
      await eventually(async () => hc.requests.length === 1);
      expect(hc.requests[0]).toEqual({ method: 'GET', path: `/ping/${TOKEN}`, body: '' });

      // A workspace that is not there makes the run fail.
      const missing = uniqueId('T');
      expect(await scheduler.fire(missing, new Date('2026-06-15T09:00:00Z'))).toMatchObject({ status: 'failed' });
      await eventually(async () => hc.requests.length === 2);
      expect(hc.requests[1]).toMatchObject({ method: 'POST', path: `/ping/${TOKEN}/fail` });
      expect(hc.requests[1]!.body).toContain(`scheduled check of workspace ${missing} failed`);
      expect(hc.requests[1]!.body).not.toMatch(/[\r\n]/);

      // The endpoint down: logged once, by host only, and nothing throws.
      hc.state.status = 503;
      const heartbeat = new Heartbeat({ url: hc.url, logger, now, workerHealthy: () => true });
      await heartbeat.ping();
      await heartbeat.ping();
      await heartbeat.fail('scheduled check failed');
      const failures = lines.filter((l) => l.includes('heartbeat ping failed'));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toContain(new URL(hc.url).host);
      await new Heartbeat({ url: 'http://127.0.0.1:1/ping/' + TOKEN, logger, now, workerHealthy: () => true }).ping();
      expect(lines.join('\n')).not.toContain(TOKEN);
    } finally {
      await scheduler.stop();
      watch.stop();
      await hc.stop();
    }
  });

  it('a weekly report fire is not a check: it neither pings nor fails the heartbeat', async () => {
    const ends: unknown[] = [];
    const scheduler = new CheckScheduler({
      store: store(),
      now: () => NOW,
      afterCheck: (end) => ends.push(end),
      catchUp: false,
      refreshEveryMs: 0,
      takeOverEveryMs: 0,
      weeklyReport: { delivery: new LogReportDelivery(silentLogger), alertChannelFallback: 'C0ALERTS' },
    });
    try {
      const team = await newTeam(store());
      expect(await scheduler.fireReport(team, new Date('2026-06-15T09:00:00Z'))).toMatchObject({ status: 'ran' });
      expect(ends).toEqual([]);
      await scheduler.fire(team, new Date('2026-06-15T09:00:00Z'));
      expect(ends).toEqual([{ workspaceId: team, ok: true }]);
    } finally {
      await scheduler.stop();
    }
  });

  it('pings every 15 minutes while the outbox worker is healthy, and not while its last pass failed', async () => {
    const hc = await fakeHealthchecks();
    let clock = NOW.getTime();
    let healthy = true;
    const heartbeat = new Heartbeat({ url: hc.url, logger: silentLogger, now: () => new Date(clock), workerHealthy: () => healthy });
    try {
      await heartbeat.tick();
      expect(hc.requests).toHaveLength(1);
      clock += 14 * 60_000;
      await heartbeat.tick();
      expect(hc.requests).toHaveLength(1);
      clock += 60_000;
      healthy = false;
      await heartbeat.tick();
      expect(hc.requests).toHaveLength(1);
      healthy = true;
      await heartbeat.tick();
      expect(hc.requests).toHaveLength(2);
      expect(hc.requests.every((r) => r.method === 'GET' && r.path === `/ping/${TOKEN}`)).toBe(true);
    } finally {
      await hc.stop();
    }
  });

  it('App Home shows admins "checks ran N of N days; last check <time>" in their own zone, members not', async () => {
    const team = await newTeam(store());
    await fiveOfSeven(store(), team);
    const homeFor = async (user: string) => {
      slack().fake.reset();
      await slack().event(team, { type: 'app_home_opened', user, channel: 'D1', tab: 'home', event_ts: '1' });
      const publish = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.publish'));
      return JSON.stringify((publish.body.view as HomeView).blocks);
    };
    const last = Date.parse('2026-06-14T09:00:30Z') / 1000;
    const admin = await homeFor(ADMIN);
    expect(admin).toContain(`Checks ran 5 of 7 days; last check <!date^${last}^{date_short_pretty} at {time}|2026-06-14 09:00 UTC>`);
    expect(await homeFor(MEMBER)).not.toContain('Checks ran');
  });

  it('the weekly report (CLI text and Slack message) says how many days the checks ran', async () => {
    const team = await newTeam(store());
    await fiveOfSeven(store(), team);
    const { report } = await weeklyReport({ store: store(), now: () => NOW }, team);
    expect(reportLines(report)[1]).toBe('Checks ran 5 of 7 days; last check 2026-06-14 09:00 UTC');
    const message = JSON.stringify(buildWeeklyReportMessage(report).blocks);
    expect(message).toContain(`last check <!date^${Date.parse('2026-06-14T09:00:30Z') / 1000}^`);
    // Every day checked: 7 of 7.
    const full = uniqueId('T');
    await store().workspaces.ensure(full, 'Full week');
    for (let d = 9; d <= 15; d++) await recordCheck(store(), full, `2026-06-${String(d).padStart(2, '0')}T09:00:00Z`, 'ok: 0 created');
    expect(reportLines((await weeklyReport({ store: store(), now: () => NOW }, full)).report)[1]).toBe(
      'Checks ran 7 of 7 days; last check 2026-06-15 09:00 UTC',
    );
  });

  it('a serve started after days without checks tells the admins once, across restarts and replicas; a one-day gap is not news', async () => {
    const team = await newTeam(store());
    await recordCheck(store(), team, '2026-06-10T09:00:00Z', 'ok: 0 created');
    const quiet = uniqueId('T');
    await store().workspaces.ensure(quiet, 'Down one night');
    await recordCheck(store(), quiet, '2026-06-14T09:00:00Z', 'ok: 0 created');
    const told: { workspaceId: string; missed: MissedChecks }[] = [];
    const tellAdmins = async (workspace: { id: string }, missed: MissedChecks) => void told.push({ workspaceId: workspace.id, missed });
    const start = (holder: string) => {
      const watch = serveWatch({ url: null, store: store(), logger: silentLogger, now: () => NOW, holder, workerHealthy: () => true, tellAdmins });
      watch.start();
      return watch;
    };
    start('replica-a');
    await eventually(async () => told.some((t) => t.workspaceId === team));
    // A restart, and a second replica starting, later the same day.
    start('replica-a');
    start('replica-b');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const mine = told.filter((t) => t.workspaceId === team || t.workspaceId === quiet);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.missed).toEqual({ days: 5, since: new Date('2026-06-11T09:00:00Z'), after: new Date('2026-06-10T09:00:00Z') });
    const text = JSON.stringify(buildMissedChecksMessage(mine[0]!.missed));
    expect(text).toContain('5 daily checks were missed');
    expect(text).toContain(`<!date^${Date.parse('2026-06-11T09:00:00Z') / 1000}^`);
    // Recorded as told, finished: no replica mistakes it for a fire whose run died.
    expect(await store().scheduler.staleFires(NOW, new Date(0))).not.toContainEqual(expect.stringContaining(`missed:${team}`));
  });
});

// A fresh SQLite file: `serve`'s outbox worker must not post the rows of other suites sharing PostgreSQL.
describe('security: serve wires the heartbeat', () => {
  it('`serve` with HEARTBEAT_URL pings once it runs', async () => {
    const hc = await fakeHealthchecks();
    const fake = await new FakeSlack().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-heartbeat-'));
    let stop!: (signal: string) => void;
    let listening!: (port: number | null) => void;
    const ready = new Promise<number | null>((resolve) => (listening = resolve));
    const command = createServeCommand({
      config: () =>
        loadConfig({
          DATABASE_URL: `file:${path.join(dir, 'ck.db')}`,
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: fake.apiUrl,
          PORT: '0',
          METRICS_PORT: '0',
          HEARTBEAT_URL: hc.url,
        }),
      logger: () => silentLogger,
      scheduler: () => ({ start: async () => undefined, stop: async () => undefined, reschedule: async () => undefined, runNow: async () => null }),
      stopSignal: () => new Promise((resolve) => (stop = resolve)),
      onListening: listening,
    });
    const exit = command.run([], { out: () => undefined, err: () => undefined });
    try {
      await ready;
      await eventually(async () => hc.requests.some((r) => r.method === 'GET' && r.path === `/ping/${TOKEN}`));
    } finally {
      stop('SIGTERM');
      expect(await exit).toBe(0);
      await hc.stop();
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checks ran N of N days: the rule', () => {
  const schedule = { checkTime: '09:00', timeZone: 'Europe/Berlin', since: new Date('2026-01-01T00:00:00Z') };
  const at = new Date('2026-06-15T12:00:00Z');

  it('counts a caught-up check on its own day, a failed one not, and a new workspace only from its creation', () => {
    const fire = (scheduledAt: string, outcome: string, finishedAt: string) => ({
      scheduledAt: new Date(scheduledAt),
      outcome,
      finishedAt: new Date(finishedAt),
    });
    const fires = [
      fire('2026-06-14T07:00:00Z', 'ok: 1 created', '2026-06-14T15:00:00Z'), // caught up that afternoon
      fire('2026-06-13T07:00:00Z', 'failed: boom', '2026-06-13T07:01:00Z'),
      fire('2026-06-12T07:00:00Z', 'ok: 0 created', '2026-06-12T07:00:10Z'),
    ];
    expect(checkHistory(fires, schedule, at)).toEqual({ ran: 2, expected: 7, lastCheck: new Date('2026-06-14T15:00:00Z') });
    expect(checkHistory([], { ...schedule, since: new Date('2026-06-13T12:00:00Z') }, at)).toEqual({ ran: 0, expected: 2, lastCheck: null });
    // A weekly report at the check's own minute: today's check still running leaves the week ending yesterday.
    const okAt = (d: number) => fire(`2026-06-${String(d).padStart(2, '0')}T07:00:00Z`, 'ok: 0 created', `2026-06-${String(d).padStart(2, '0')}T07:00:20Z`);
    const week = [8, 9, 10, 11, 12, 13, 14].map(okAt);
    expect(checkHistory(week, schedule, new Date('2026-06-15T07:00:00Z'))).toMatchObject({ ran: 7, expected: 7 });
    expect(checkHistory([...week, okAt(15)], schedule, new Date('2026-06-15T07:00:30Z'))).toMatchObject({ ran: 7, expected: 7 });
    expect(checkHistory(week, schedule, new Date('2026-06-15T08:00:00Z'))).toMatchObject({ ran: 6, expected: 7 });
    // A malformed setting read from an old row: nothing due, and no endless loop.
    expect(checkHistory([], { ...schedule, checkTime: 'soon' }, at)).toEqual({ ran: 0, expected: 0, lastCheck: null });
    expect(checkHistory([], { ...schedule, timeZone: 'Mars/Olympus_Mons' }, at)).toEqual({ ran: 0, expected: 0, lastCheck: null });
  });
});

describe('HEARTBEAT_URL', () => {
  it('is optional, must be http(s), and a refusal does not echo its secret path', () => {
    expect(loadConfig({}).heartbeatUrl).toBeNull();
    expect(loadConfig({ HEARTBEAT_URL: `https://hc-ping.com/${TOKEN}` }).heartbeatUrl).toBe(`https://hc-ping.com/${TOKEN}`);
    expect(() => loadConfig({ HEARTBEAT_URL: `javascript:${TOKEN}` })).toThrow(/^HEARTBEAT_URL must be an http\(s\) URL$/);
  });
});
