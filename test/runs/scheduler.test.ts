import nodeCron from 'node-cron';
import { DateTime } from 'luxon';
import type { DeliveryReport, Outbox } from '../../src/outbox/report';
import { FIRE_KINDS, fireKey, normalizeKey, parseTaskName, RunCoordinator, taskName } from '../../src/runs/coordinator';
import { CheckScheduler, cronExpressionFor, latestFireTime, type CheckSchedulerOptions, type CronSchedule } from '../../src/runs/scheduler';
import { silentLogger } from '../../src/logger';
import { LogReportDelivery } from '../../src/runs/weekly-report-run';
import { openStore, type Store } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { connectionInput, newWorkspace } from '../support/factories';

const NOW = new Date('2026-11-28T08:00:00Z');

/** Posts like the Slack delivery would (claim → mark posted), counting how often each warning is delivered. */
class CountingDelivery implements Outbox {
  constructor(
    private readonly store: Store,
    readonly deliveries: Map<number, number>,
  ) {}

  async afterRecording(workspaceId: string): Promise<DeliveryReport> {
    let posted = 0;
    const now = NOW;
    for (;;) {
      const batch = await this.store.outbox.claimDue({ limit: 2, holder: 'test', now, workspaceId });
      if (!batch.length) return { posted, failed: 0, pending: 0 };
      for (const w of batch) {
        this.deliveries.set(w.id, (this.deliveries.get(w.id) ?? 0) + 1);
        await this.store.outbox.markPosted(w.id, { channel: 'C1', ts: `${w.id}.000`, now }, w.claimedBy!);
        posted += 1;
      }
    }
  }
}

/** A delivery that waits until released, to catch a run in flight. */
class GateDelivery implements Outbox {
  calls = 0;
  release: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  async afterRecording(): Promise<DeliveryReport> {
    this.calls += 1;
    await this.gate;
    return { posted: 0, failed: 0, pending: 0 };
  }
}

async function seedWorkspace(store: Store, settings: { timeZone?: string; checkTime?: string } = {}): Promise<string> {
  const ws = await newWorkspace(store);
  if (settings.timeZone || settings.checkTime) await store.workspaces.updateSettings(ws, settings);
  for (const [name, connectedAt] of [
    ['Soon', '2025-12-05'],
    ['Expired', '2025-11-01'],
    ['Fine', '2026-10-01'],
  ] as const) {
    await store.connections.create(ws, connectionInput({ name, connectedAt, ownerLastActiveAt: '2026-11-20', backups: ['UB'] }), 'U1');
  }
  return ws;
}

describe('cron expression', () => {
  it('fires once a day at the check time', () => {
    expect(cronExpressionFor('09:00')).toBe('0 9 * * *');
    expect(cronExpressionFor('7:05')).toBe('5 7 * * *');
    expect(() => cronExpressionFor('25:00')).toThrow(RangeError);
  });

  it('finds the latest fire at or before now, in the zone', () => {
    expect(latestFireTime('30 9 * * *', 'Europe/Berlin', new Date('2026-11-28T10:00:00Z')).toISOString()).toBe('2026-11-28T08:30:00.000Z');
    expect(latestFireTime('30 9 * * *', 'Europe/Berlin', new Date('2026-11-28T08:30:00Z')).toISOString()).toBe('2026-11-28T08:30:00.000Z');
    expect(latestFireTime('30 9 * * *', 'Europe/Berlin', new Date('2026-11-28T08:29:59Z')).toISOString()).toBe('2026-11-27T08:30:00.000Z');
    // Across the spring-forward night, yesterday's 09:30 CET is an hour further from today's 09:30 CEST.
    expect(latestFireTime('30 9 * * *', 'Europe/Berlin', new Date('2026-03-29T07:00:00Z')).toISOString()).toBe('2026-03-28T08:30:00.000Z');
  });
});

describeEachDatabase('scheduler and run coordination', (db) => {
  const schedulers: CheckScheduler[] = [];
  const replicas: Store[] = [];
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await Promise.all(replicas.splice(0).map((r) => r.close()));
  });

  function replica(): Store {
    const store = openStore(db().target);
    replicas.push(store);
    return store;
  }

  function scheduler(options: Partial<CheckSchedulerOptions> & Pick<CheckSchedulerOptions, 'store'>): CheckScheduler {
    const s = new CheckScheduler({ outbox: new CountingDelivery(options.store, new Map()), logger: silentLogger, now: () => NOW, ...options });
    schedulers.push(s);
    return s;
  }

  describe('RunCoordinator', () => {
    it('lets exactly one claimer take a fire, keeps the key, and keys by the scheduled minute', async () => {
      const name = `check:${uniqueId('T')}`;
      const at = new Date('2026-11-28T08:00:00.000Z');
      const coordinators = [replica(), replica(), replica()].map((store, i) => new RunCoordinator({ store, holder: `r${i}`, now: () => NOW }));
      const results = await Promise.all(coordinators.map((c, i) => c.tryAcquire(name, new Date(at.getTime() + i * 7))));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = coordinators[results.indexOf(true)]!;

      // Kept, not released: after the run ends, a late replica still finds it taken.
      await winner.finish(fireKey(name, at), { status: 'ok', detail: '2 created' });
      expect(await coordinators[0]!.tryAcquire(name, new Date('2026-11-28T08:00:59.999Z'))).toBe(false);
      expect(await coordinators[1]!.shouldRun(`${name}:2026-11-28T08:00:00.000Z`)).toBe(false);
      const fire = await db().store.scheduler.findFire(`${name}:2026-11-28T08:00:00.000Z`);
      expect(fire).toMatchObject({ holder: winner.holder, outcome: 'ok: 2 created' });

      // The next minute (tomorrow's fire, in practice) and another workspace's task are new keys.
      expect(await coordinators[2]!.tryAcquire(name, new Date('2026-11-28T08:01:00.000Z'))).toBe(true);
      expect(await coordinators[2]!.tryAcquire(`${name}X`, at)).toBe(true);
    });

    it('lets another replica take over a fire whose replica died mid-run, once its lease has run out, and only one', async () => {
      const name = `check:${uniqueId('T')}`;
      const at = new Date('2026-11-28T08:00:00.000Z');
      const key = fireKey(name, at);
      let t = NOW.getTime();
      const clock = () => new Date(t);
      const [dying, b, c] = [replica(), replica(), replica()].map((store, i) => new RunCoordinator({ store, holder: `r${i}`, now: clock, leaseMs: 60_000 }));
      expect(await dying!.tryAcquire(name, at)).toBe(true);
      t += 30_000;
      expect(await dying!.heartbeat(key)).toBe(true);
      t += 45_000; // 75 s after the start, but 45 s after the last heartbeat: still held
      expect(await b!.tryAcquire(name, at)).toBe(false);
      expect(await b!.abandonedFires()).not.toContain(key);
      t += 20_000; // no heartbeat for 65 s: the replica is taken for dead
      expect(await b!.abandonedFires()).toContain(key);
      const results = await Promise.all([b!.tryAcquire(name, at), c!.tryAcquire(name, at)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? b! : c!;
      expect(await db().store.scheduler.findFire(key)).toMatchObject({ holder: winner.holder, startedAt: new Date(t), finishedAt: null });
      // The replica that was taken for dead learns it has lost the fire.
      expect(await dying!.heartbeat(key)).toBe(false);
      // A finished fire is never taken over, however old.
      await winner.finish(key, { status: 'ok', detail: '' });
      t += 10 * 60_000;
      expect(await dying!.tryAcquire(name, at)).toBe(false);
      expect(await b!.abandonedFires()).not.toContain(key);
    });

    it('reads the kind and workspace back from a task name, for every kind', () => {
      for (const kind of FIRE_KINDS) expect(parseTaskName(taskName(kind, 'T1'))).toEqual({ kind, workspaceId: 'T1' });
      expect(parseTaskName('purge:T1')).toBeNull();
      expect(parseTaskName('check:')).toBeNull();
      expect(parseTaskName('check')).toBeNull();
    });

    it('builds the same key as node-cron does for a fire', () => {
      expect(fireKey('check:T1', new Date('2026-11-28T08:00:42.123Z'))).toBe('check:T1:2026-11-28T08:00:00.000Z');
      expect(normalizeKey('check:T1:2026-11-28T08:00:07.000Z')).toBe('check:T1:2026-11-28T08:00:00.000Z');
      expect(normalizeKey('not a fire key')).toBe('not a fire key');
    });
  });

  it('runs a fire once across two replicas: each warning recorded once and delivered once', async () => {
    const ws = await seedWorkspace(db().store);
    const deliveries = new Map<number, number>();
    const [storeA, storeB] = [replica(), replica()];
    const a = scheduler({ store: storeA, holder: 'replica-a', outbox: new CountingDelivery(storeA, deliveries) });
    const b = scheduler({ store: storeB, holder: 'replica-b', outbox: new CountingDelivery(storeB, deliveries) });

    const at = new Date('2026-11-28T09:00:00.000Z');
    const results = await Promise.all([a.fire(ws, at), b.fire(ws, new Date(at.getTime() + 250))]);
    expect(results.map((r) => r.status).sort()).toEqual(['ran', 'skipped']);
    expect(results[0]!.key).toBe(results[1]!.key);

    const rows = await db().store.warnings.listOpen(ws);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((w) => w.state === 'posted')).toBe(true);
    expect([...deliveries.keys()].sort()).toEqual(rows.map((w) => w.id).sort());
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect((await db().store.scheduler.findFire(results[0]!.key))?.outcome).toMatch(/^ok: \d+ created/);
  });

  it('records and delivers each warning once even when two runs overlap (a manual check during a fire)', async () => {
    const ws = await seedWorkspace(db().store);
    const deliveries = new Map<number, number>();
    const [storeA, storeB] = [replica(), replica()];
    const a = scheduler({ store: storeA, outbox: new CountingDelivery(storeA, deliveries) });
    const b = scheduler({ store: storeB, outbox: new CountingDelivery(storeB, deliveries) });
    const results = await Promise.all([a.fire(ws, new Date('2026-11-28T09:00:00Z')), b.fire(ws, new Date('2026-11-28T09:01:00Z'))]);
    expect(results.map((r) => (r.status === 'failed' ? r.error.message : r.status))).toEqual(['ran', 'ran']);
    const rows = await db().store.warnings.listOpen(ws);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((w) => w.dedupKey)).size).toBe(rows.length);
    expect([...deliveries.keys()].sort()).toEqual(rows.map((w) => w.id).sort());
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
  });

  it('records a failed run next to its key and does not throw', async () => {
    const ws = await seedWorkspace(db().store);
    const failing: Outbox = { afterRecording: () => Promise.reject(new Error('slack down')) };
    const s = scheduler({ store: db().store, outbox: failing });
    const result = await s.fire(ws, NOW);
    expect(result.status).toBe('failed');
    expect((await db().store.scheduler.findFire(result.key))?.outcome).toBe('failed: slack down');
  });

  describe('node-cron wiring', () => {
    /** Real node-cron, with the arguments of every call kept. */
    function recordingSchedule() {
      const calls: { expression: string; options: Parameters<CronSchedule>[2] }[] = [];
      const schedule: CronSchedule = (expression, fn, options) => {
        calls.push({ expression, options });
        return nodeCron.schedule(expression, fn, options);
      };
      return { calls, schedule };
    }

    it('schedules one distributed task per workspace at its check time in its zone', async () => {
      const ws = await seedWorkspace(db().store, { timeZone: 'Europe/Berlin', checkTime: '09:30' });
      const { calls, schedule } = recordingSchedule();
      const s = scheduler({ store: db().store, schedule, catchUp: false });
      await s.start();
      const call = calls.find((c) => c.options.name === `check:${ws}`);
      expect(call).toMatchObject({ expression: '30 9 * * *', options: { timezone: 'Europe/Berlin', distributed: true, noOverlap: true } });
      expect(call?.options.runCoordinator).toBe(s.coordinator);
      const info = s.list().find((t) => t.workspaceId === ws);
      expect(info).toMatchObject({ expression: '30 9 * * *', timeZone: 'Europe/Berlin' });
      const local = DateTime.fromJSDate(info!.nextRun!, { zone: 'Europe/Berlin' });
      expect([local.hour, local.minute]).toEqual([9, 30]);
    });

    it('reschedules a workspace whose check time or zone changed, and only then', async () => {
      const { store } = db();
      const ws = await seedWorkspace(store, { timeZone: 'Europe/Berlin', checkTime: '09:30' });
      const { calls, schedule } = recordingSchedule();
      const s = scheduler({ store, schedule });
      await s.reschedule(ws);
      expect(calls).toHaveLength(1);
      await s.reschedule(ws); // unchanged: the task stays
      expect(calls).toHaveLength(1);

      await store.workspaces.updateSettings(ws, { checkTime: '07:15', timeZone: 'America/New_York' });
      await s.reschedule(ws);
      expect(calls.map((c) => `${c.expression} ${c.options.timezone}`)).toEqual(['30 9 * * * Europe/Berlin', '15 7 * * * America/New_York']);
      const info = s.list().filter((t) => t.workspaceId === ws);
      expect(info).toHaveLength(1);
      const local = DateTime.fromJSDate(info[0]!.nextRun!, { zone: 'America/New_York' });
      expect([local.hour, local.minute]).toEqual([7, 15]);

      await store.workspaces.updateSettings(ws, { timeZone: 'Asia/Tokyo' });
      const other = await seedWorkspace(store, { checkTime: '06:00' });
      await s.refresh(); // zone change and a new workspace, both picked up
      expect(s.list().find((t) => t.workspaceId === ws)).toMatchObject({ expression: '15 7 * * *', timeZone: 'Asia/Tokyo' });
      expect(s.list().find((t) => t.workspaceId === other)).toMatchObject({ expression: '0 6 * * *', timeZone: 'UTC' });
    });

    it('re-reads settings on its own, so a change made by another replica or the CLI is picked up', async () => {
      const { store } = db();
      const ws = await seedWorkspace(store, { timeZone: 'UTC', checkTime: '09:30' });
      const { schedule } = recordingSchedule();
      const s = scheduler({ store, schedule, catchUp: false, refreshEveryMs: 50 });
      await s.start();
      try {
        await store.workspaces.updateSettings(ws, { checkTime: '11:45' }); // nobody tells this scheduler
        const deadline = Date.now() + 5000;
        while (s.list().find((t) => t.workspaceId === ws)?.expression !== '45 11 * * *' && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(s.list().find((t) => t.workspaceId === ws)?.expression).toBe('45 11 * * *');
      } finally {
        await s.stop();
      }
    });

    it('keeps scheduling the others when one workspace has a bad zone', async () => {
      const { store } = db();
      const bad = await seedWorkspace(store, { timeZone: 'Mars/Olympus' });
      const good = await seedWorkspace(store, { checkTime: '10:00' });
      const s = scheduler({ store, schedule: recordingSchedule().schedule, catchUp: false });
      await s.start();
      expect(s.list().some((t) => t.workspaceId === bad)).toBe(false);
      expect(s.list().some((t) => t.workspaceId === good)).toBe(true);
    });

    it('fires through node-cron: claims the scheduled minute, runs the check, records the outcome', async () => {
      const { store } = db();
      const ws = await seedWorkspace(store, { timeZone: 'Europe/Berlin', checkTime: '09:30' });
      const deliveries = new Map<number, number>();
      jest.useFakeTimers({ now: new Date('2026-11-28T08:29:58.500Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        const s = new CheckScheduler({
          store,
          outbox: new CountingDelivery(store, deliveries),
          logger: silentLogger,
          now: () => new Date(),
          holder: 'cron-test',
        });
        schedulers.push(s);
        await s.reschedule(ws);
        await jest.advanceTimersByTimeAsync(2_000);
        const key = `check:${ws}:2026-11-28T08:30:00.000Z`;
        for (let i = 0; i < 20_000 && !(await store.scheduler.findFire(key))?.outcome; i++) await new Promise((r) => setImmediate(r));
        expect(await store.scheduler.findFire(key)).toMatchObject({ holder: 'cron-test', outcome: expect.stringMatching(/^ok:/) });
        expect(deliveries.size).toBeGreaterThan(0);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  it('catches up on a fire missed while no replica ran, once across replicas', async () => {
    const ws = await seedWorkspace(db().store, { checkTime: '07:45' });
    const deliveries = new Map<number, number>();
    const [storeA, storeB] = [replica(), replica()];
    const a = scheduler({ store: storeA, outbox: new CountingDelivery(storeA, deliveries) });
    const b = scheduler({ store: storeB, outbox: new CountingDelivery(storeB, deliveries) });
    // Only this workspace: the PostgreSQL database is shared with other suites' workspaces.
    await Promise.all([a.reschedule(ws), b.reschedule(ws)]);
    const [fromA, fromB] = await Promise.all([a.catchUp(), b.catchUp()]);
    const results = [...fromA, ...fromB];
    expect(results.filter((r) => r.status === 'ran').map((r) => r.key)).toEqual([`check:${ws}:2026-11-28T07:45:00.000Z`]);
    expect(await a.catchUp()).toEqual([]);
    const rows = await db().store.warnings.listOpen(ws);
    expect(rows.length).toBeGreaterThan(0);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect(deliveries.size).toBe(rows.length);
  });

  describe('a replica that dies mid-run', () => {
    it('has its fire taken over by another replica, which records and delivers each warning once', async () => {
      const ws = await seedWorkspace(db().store, { checkTime: '07:45' });
      const deliveries = new Map<number, number>();
      const [storeA, storeB] = [replica(), replica()];
      const fireTime = new Date('2026-11-28T07:45:00.000Z');
      const key = `check:${ws}:2026-11-28T07:45:00.000Z`;
      // Replica A claims the fire and dies before finishing (no heartbeat, no outcome).
      const dead = new RunCoordinator({ store: storeA, holder: 'replica-a', now: () => fireTime });
      expect(await dead.tryAcquire(`check:${ws}`, fireTime)).toBe(true);

      let t = fireTime.getTime() + 30_000;
      const b = scheduler({
        store: storeB,
        holder: 'replica-b',
        now: () => new Date(t),
        fireLeaseMs: 60_000,
        outbox: new CountingDelivery(storeB, deliveries),
      });
      await b.reschedule(ws);
      // Within the lease the fire still counts as running: neither the sweep nor a catch-up runs it.
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect(await b.catchUp()).toEqual([]);
      expect(await db().store.warnings.listOpen(ws)).toEqual([]);

      t = fireTime.getTime() + 61_000;
      const taken = (await b.takeOverAbandoned()).filter((r) => r.key === key);
      expect(taken.map((r) => r.status)).toEqual(['ran']);
      const fire = await db().store.scheduler.findFire(key);
      expect(fire).toMatchObject({ holder: 'replica-b', outcome: expect.stringMatching(/^ok: \d+ created/) });
      expect(fire?.finishedAt).not.toBeNull();
      const rows = await db().store.warnings.listOpen(ws);
      expect(rows.length).toBeGreaterThan(0);
      expect(deliveries.size).toBe(rows.length);
      expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
      // Finished now: nothing left to take over, and a restarted replica's catch-up skips it.
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect(await b.catchUp()).toEqual([]);
    });

    it.each(FIRE_KINDS)('is taken over whatever its kind: %s', async (kind) => {
      const ws = await seedWorkspace(db().store, { checkTime: '07:45' });
      const fireTime = new Date('2026-11-28T07:45:00.000Z');
      const key = fireKey(taskName(kind, ws), fireTime);
      expect(await new RunCoordinator({ store: replica(), holder: 'replica-a', now: () => fireTime }).tryAcquire(taskName(kind, ws), fireTime)).toBe(true);
      const b = scheduler({
        store: replica(),
        holder: 'replica-b',
        now: () => new Date(fireTime.getTime() + 61_000),
        fireLeaseMs: 60_000,
        weeklyReport: { delivery: new LogReportDelivery(silentLogger) },
      });
      await b.reschedule(ws);
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key).map((r) => r.status)).toEqual(['ran']);
      expect(await db().store.scheduler.findFire(key)).toMatchObject({ holder: 'replica-b', finishedAt: expect.any(Date) });
    });

    it('is caught up at start by a replica that finds the fire abandoned', async () => {
      const ws = await seedWorkspace(db().store, { checkTime: '07:45' });
      const fireTime = new Date('2026-11-28T07:45:00.000Z');
      const dead = new RunCoordinator({ store: replica(), holder: 'replica-a', now: () => fireTime });
      expect(await dead.tryAcquire(`check:${ws}`, fireTime)).toBe(true);
      const b = scheduler({ store: replica(), holder: 'replica-b', fireLeaseMs: 60_000 });
      await b.reschedule(ws);
      expect((await b.catchUp()).map((r) => [r.key, r.status])).toEqual([[`check:${ws}:2026-11-28T07:45:00.000Z`, 'ran']]);
      expect((await db().store.warnings.listOpen(ws)).length).toBeGreaterThan(0);
    });

    it('keeps a long run of a live replica: its heartbeat holds the fire past the lease', async () => {
      const ws = await seedWorkspace(db().store);
      let t = NOW.getTime();
      const gate = new GateDelivery();
      const a = scheduler({ store: replica(), holder: 'replica-a', now: () => new Date(t), fireLeaseMs: 200, outbox: gate });
      const b = scheduler({ store: replica(), holder: 'replica-b', now: () => new Date(t), fireLeaseMs: 200 });
      await b.reschedule(ws);
      const running = a.fire(ws, NOW);
      while (gate.calls === 0) await new Promise((r) => setImmediate(r));
      const key = fireKey(`check:${ws}`, NOW);
      t += 10 * 60_000; // the run has lasted far longer than the lease…
      // …but its replica renews the heartbeat (every quarter lease) while it runs.
      const heartbeat = new Date(t).getTime();
      while ((await db().store.scheduler.findFire(key))?.heartbeatAt?.getTime() !== heartbeat) await new Promise((r) => setTimeout(r, 20));
      expect((await b.takeOverAbandoned()).filter((r) => r.key === key)).toEqual([]);
      expect(await b.fire(ws, NOW)).toMatchObject({ status: 'skipped', reason: 'claimed elsewhere' });
      gate.release();
      expect((await running).status).toBe('ran');
      expect(await db().store.scheduler.findFire(key)).toMatchObject({ holder: 'replica-a', outcome: expect.stringMatching(/^ok/) });
    });
  });

  describe('stop', () => {
    it('waits for a run in flight, and fires nothing afterwards', async () => {
      const ws = await seedWorkspace(db().store);
      const gate = new GateDelivery();
      const s = scheduler({ store: db().store, outbox: gate });
      const running = s.fire(ws, NOW);
      while (gate.calls === 0) await new Promise((r) => setImmediate(r));
      let stopped = false;
      const stopping = s.stop().then(() => {
        stopped = true;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(stopped).toBe(false);
      gate.release();
      await stopping;
      expect((await running).status).toBe('ran');
      expect(await s.fire(ws, new Date(NOW.getTime() + 86_400_000))).toMatchObject({ status: 'skipped', reason: 'stopped' });
    });

    it('gives up waiting after its timeout', async () => {
      const ws = await seedWorkspace(db().store);
      const gate = new GateDelivery();
      const s = scheduler({ store: db().store, outbox: gate, stopTimeoutMs: 50 });
      const running = s.fire(ws, NOW);
      while (gate.calls === 0) await new Promise((r) => setImmediate(r));
      await s.stop();
      expect(s.list()).toEqual([]);
      gate.release();
      await running;
    });
  });
});
