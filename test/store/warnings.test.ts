import { openStore } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { connectionInput, newWarning, newWorkspace } from '../support/factories';

const NOW = new Date('2026-11-28T10:00:00Z');

describeEachDatabase('warnings (the outbox)', (db) => {
  async function setup() {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput(), 'U1');
    return { store, ws, c };
  }

  it('records each dedup key once, however often it is planned', async () => {
    const { store, ws, c } = await setup();
    const first = await store.warnings.upsertMany([newWarning(ws, c.id), newWarning(ws, c.id), newWarning(ws, c.id, { stage: '14d' })]);
    expect(first).toHaveLength(2);
    const second = await store.warnings.upsertMany([newWarning(ws, c.id), newWarning(ws, c.id, { stage: '14d' })]);
    expect(second).toEqual([]);
    expect(await store.warnings.listOpen(ws)).toHaveLength(2);
  });

  it('reads raw-inserted rows back like ORM ones, and lets concurrent runs insert overlapping keys', async () => {
    const { store, ws, c } = await setup();
    const before = Date.now();
    const [created] = await store.warnings.upsertMany([newWarning(ws, c.id, { stage: '3d', severity: 'at_risk', dueAt: '2026-12-01' })]);
    const row = await store.warnings.findById(ws, created!.id);
    expect(row).toMatchObject({
      stage: '3d',
      severity: 'at_risk',
      dueAt: '2026-12-01',
      state: 'pending',
      attempts: 0,
      lastError: null,
      dedupKey: created!.dedupKey,
    });
    expect(row!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row!.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const stages = Array.from({ length: 50 }, (_, i) => `c${i}`);
    // Replicas share PostgreSQL; SQLite is the one-process set-up, where runs share one client.
    const replicas = db().provider === 'postgresql' ? [openStore(db().target), openStore(db().target)] : [store, store];
    try {
      const results = await Promise.all(
        replicas.map((replica) => replica.transaction((tx) => tx.warnings.upsertMany(stages.map((stage) => newWarning(ws, c.id, { stage }))))),
      );
      expect(results[0]!.length + results[1]!.length).toBe(50);
    } finally {
      if (db().provider === 'postgresql') await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('claims due rows once, posts, fails with a code and reclaims rows whose claim outlived the lease', async () => {
    const { store, ws, c } = await setup();
    await store.warnings.upsertMany(['30d', '14d', '7d'].map((stage) => newWarning(ws, c.id, { stage })));
    const claim = (holder: string, limit: number) => store.outbox.claimDue({ limit, holder, now: NOW, workspaceId: ws });
    const claimed = await claim('r1', 2);
    expect(claimed.map((w) => w.state)).toEqual(['sending', 'sending']);
    expect(claimed.every((w) => w.attempts === 1)).toBe(true);
    const rest = await claim('r2', 10);
    expect(rest).toHaveLength(1);
    expect(await claim('r3', 10)).toEqual([]);

    await store.outbox.markPosted(claimed[0]!.id, { channel: 'C1', ts: '1.2', now: NOW }, claimed[0]!.claimedBy!);
    await store.outbox.markFailed(claimed[1]!.id, { code: 'not_in_channel', text: 'the bot is not in <#C1>' }, claimed[1]!.claimedBy!);
    expect(await store.outbox.countFailedWith(ws, 'not_in_channel')).toBe(1);
    expect(await store.outbox.countFailedWith(ws, 'the bot is not in <#C1>')).toBe(0); // the code counts, not the words
    expect(await store.outbox.reclaimExpired(new Date(NOW.getTime() - 1), ws)).toBe(0);
    expect(await store.outbox.reclaimExpired(new Date(NOW.getTime() + 1), ws)).toBe(1); // rest[0] was never finished
    const byState = await store.warnings.countByState(ws);
    expect(byState).toEqual({ posted: 1, failed: 1, pending: 1 });
    const posted = await store.warnings.findById(ws, claimed[0]!.id);
    expect(posted).toMatchObject({ state: 'posted', slackChannel: 'C1', slackTs: '1.2' });
    expect(await store.warnings.findById(ws, claimed[1]!.id)).toMatchObject({ state: 'failed', lastError: 'the bot is not in <#C1>' });
    // markPosted only applies to a row being sent: a late duplicate cannot overwrite it.
    await store.outbox.markPosted(claimed[0]!.id, { channel: 'C9', ts: '9.9', now: NOW }, claimed[0]!.claimedBy!);
    expect((await store.warnings.findById(ws, claimed[0]!.id))?.slackTs).toBe('1.2');
  });

  it('resolves, snoozes and reopens; resolving twice changes nothing the second time', async () => {
    const { store, ws, c } = await setup();
    const [a, b] = await store.warnings.upsertMany([newWarning(ws, c.id), newWarning(ws, c.id, { stage: '14d' })]);
    expect(await store.warnings.resolve(ws, [a!.id], 'U1', NOW)).toBe(1);
    expect(await store.warnings.resolve(ws, [a!.id], 'U2', NOW)).toBe(0);
    expect((await store.warnings.findById(ws, a!.id))?.resolvedBy).toBe('U1');
    const until = new Date(NOW.getTime() + 86_400_000);
    expect(await store.warnings.snooze(ws, [b!.id], until, 'U1')).toBe(1);
    expect(await store.warnings.findById(ws, b!.id)).toMatchObject({ state: 'snoozed', snoozedUntil: until });
    expect(await store.warnings.reopen(ws, [a!.id, b!.id])).toBe(2);
    expect((await store.warnings.listByState(ws, 'pending')).map((w) => w.id)).toEqual([a!.id, b!.id]);
  });

  it('lets only the claim that took a row settle it, and retries failed rows on request', async () => {
    const { store, ws, c } = await setup();
    await store.warnings.upsertMany([newWarning(ws, c.id)]);
    const [first] = await store.outbox.claimDue({ limit: 1, holder: 'slow', now: NOW, workspaceId: ws });
    // The slow run's lease runs out; another run reclaims and claims the row again.
    await store.outbox.reclaimExpired(new Date(NOW.getTime() + 1), ws);
    const [second] = await store.outbox.claimDue({ limit: 1, holder: 'fast', now: NOW, workspaceId: ws });
    expect(second!.claimedBy).not.toBe(first!.claimedBy);
    await store.outbox.markPosted(first!.id, { channel: 'C1', ts: 'late', now: NOW }, first!.claimedBy!);
    expect((await store.warnings.findById(ws, first!.id))?.state).toBe('sending');
    await store.outbox.markFailed(second!.id, { code: 'not_in_channel', text: 'not_in_channel' }, second!.claimedBy!);
    expect(await store.warnings.findById(ws, first!.id)).toMatchObject({ state: 'failed', lastError: 'not_in_channel' });
    expect(await store.warnings.retryFailed(ws)).toBe(1);
    expect((await store.warnings.findById(ws, first!.id))?.state).toBe('pending');
  });

  it('gives concurrent claimers (each with its own connection pool, like replicas) disjoint rows', async () => {
    const { store, ws, c } = await setup();
    const stages = Array.from({ length: 200 }, (_, i) => `s${i}`);
    await store.warnings.upsertMany(stages.map((stage) => newWarning(ws, c.id, { stage })));
    const replicas = Array.from({ length: 4 }, () => openStore(db().target));
    const claimers = replicas.map((replica, i) =>
      (async () => {
        const mine: number[] = [];
        for (;;) {
          const batch = await replica.outbox.claimDue({ limit: 7, holder: `r${i}`, now: NOW, workspaceId: ws });
          if (!batch.length) return mine;
          mine.push(...batch.map((w) => w.id));
        }
      })(),
    );
    const results = await Promise.all(claimers).finally(() => Promise.all(replicas.map((r) => r.close())));
    const all = results.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
  });
});

describeEachDatabase('scheduler coordination', (db) => {
  it('lets exactly one holder claim a fire, and keeps the key', async () => {
    const { store } = db();
    const key = `check:${Math.random()}:2026-11-28T09:00:00Z`;
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((holder) => store.scheduler.claimFire(key, holder, NOW)));
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.scheduler.finishFire(key, 'ok', NOW);
    expect(await store.scheduler.claimFire(key, 'late', NOW)).toBe(false);
    expect((await store.scheduler.findFire(key))?.outcome).toBe('ok');
  });

  it('processes a Slack event id once', async () => {
    const { store } = db();
    const id = `Ev${Math.random()}`;
    expect(await store.events.markProcessed(id, 'T1', NOW)).toBe(true);
    expect(await store.events.markProcessed(id, 'T1', NOW)).toBe(false);
  });
});
