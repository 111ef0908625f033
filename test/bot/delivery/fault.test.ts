/**
 * Exactly once under faults: 500 warnings, 30% of chat.postMessage calls failing (429 and 5xx
 * mixed), delivery run again and again until nothing is pending; and runs that die half-way.
 */
import type { Store } from '../../../src/store/store';
import { describeEachDatabase } from '../../support/databases';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, warningIdsIn, type Seeded, type TestDelivery, drain, workerFor } from './harness';

const slack = fakeSlackForFile();

describeEachDatabase('Slack delivery under faults', (db) => {
  /** Runs every workspace's delivery until no row is pending or sending; returns the rounds it took. */
  async function deliverUntilDone(store: Store, delivery: TestDelivery, workspaces: Seeded[]): Promise<number> {
    for (let round = 1; round <= 30; round++) {
      // Each round after every backoff has run out (at most an hour).
      const now = new Date(NOW.getTime() + round * 2 * 3_600_000);
      for (const ws of workspaces) await drain(delivery, { ...ws, now });
      const counts = await Promise.all(workspaces.map((ws) => store.warnings.countByState(ws.workspace.id)));
      if (counts.every((c) => !c.pending && !c.sending)) return round;
    }
    throw new Error('warnings still pending after 30 rounds');
  }

  it('posts each of 500 warnings exactly once while 30% of posts fail with 429 or 5xx', async () => {
    const { store } = db();
    // 96 workspaces with 5 warnings of one connection (one message each) and one with 20 over 10 connections (a digest): 500 in all.
    const workspaces: Seeded[] = [];
    for (let i = 0; i < 97; i++) {
      const big = i === 96;
      workspaces.push(
        await seed(store, { alertChannel: `CWS${i}`, connections: big ? Array.from({ length: 10 }, () => ({})) : [{}], warningsPer: big ? 2 : 5 }),
      );
    }
    const clock = new FakeClock();
    const faults = [
      { status: 429, retryAfterSeconds: 1, rate: 0.3, times: Infinity },
      { status: 500, rate: 0.3, times: Infinity },
      { status: 503, rate: 0.3, times: Infinity },
    ];
    let next = 0;
    slack.fake.fail('chat.postMessage', faults[0]!);
    // Every wait follows a failure: switch the kind of fault there, so runs see them mixed.
    const sleep = async (ms: number) => {
      await clock.sleep(ms);
      slack.fake.fail('chat.postMessage', faults[++next % faults.length]!);
    };
    // Few retries per run, so that some rows do go back to pending and later runs must finish them.
    const delivery = makeDelivery(store, slack.fake, clock, { sleep, retry: { attempts: 2, rateLimitWaits: 1 } });

    const rounds = await deliverUntilDone(store, delivery, workspaces);

    const rows = (await Promise.all(workspaces.map((ws) => store.warnings.listOpen(ws.workspace.id)))).flat();
    expect(rows).toHaveLength(500);
    expect(rows.filter((w) => w.state !== 'posted')).toEqual([]);
    const channelMessages = slack.posted.filter((p) => p.channel.startsWith('CWS'));
    const mentions = new Map<number, number>();
    for (const message of channelMessages) for (const id of warningIdsIn(message)) mentions.set(id, (mentions.get(id) ?? 0) + 1);
    for (const row of rows) {
      expect({ id: row.id, messages: mentions.get(row.id) ?? 0 }).toEqual({ id: row.id, messages: 1 });
      const message = channelMessages.find((m) => m.ts === row.slackTs && m.channel === row.slackChannel);
      expect(message && warningIdsIn(message)).toContain(row.id);
    }
    expect(channelMessages.filter((m) => m.channel === 'CWS96')).toHaveLength(1); // the digest, once
    const failedCalls = slack.fake.callsTo('chat.postMessage').length - slack.posted.length;
    expect(failedCalls).toBeGreaterThan(15); // the faults really happened (about 30% of some 100 messages)
    expect(rounds).toBeGreaterThan(1); // and some rows really went back to pending
    expect(clock.sleeps).toContain(1000); // Retry-After honoured
  }, 120_000);

  it('delivers, in the next run, rows a killed run left in sending once the lease has run out', async () => {
    const { store } = db();
    const ws = await seed(store, { connections: [{ ownerId: null }], warningsPer: 3 });
    // A replica claims them (the worker's own claim) and dies before posting.
    const crashed = await store.outbox.claimDue({ limit: 10, holder: 'killed-replica', now: NOW, workspaceId: ws.workspace.id });
    expect(crashed).toHaveLength(3);
    const delivery = makeDelivery(store, slack.fake, new FakeClock());

    expect(await drain(delivery, { ...ws, now: new Date(NOW.getTime() + 60_000) })).toEqual({ posted: 0, failed: 0, pending: 0 }); // still leased: untouched
    expect(slack.posted).toEqual([]);
    const later = new Date(NOW.getTime() + 10 * 60_000);
    expect(await workerFor(delivery, () => later).drain({ workspaceId: ws.workspace.id })).toMatchObject({ reclaimed: 3, posted: 3, failed: 0, pending: 0 });
    expect(slack.posted.flatMap(warningIdsIn).sort()).toEqual(crashed.map((w) => w.id).sort());
  });

  it('puts claimed rows straight back to pending when the run fails before posting', async () => {
    const { store } = db();
    const ws = await seed(store, { connections: [{ ownerId: null }], warningsPer: 2 });
    // The pass reads no connection, and the database read for the connection fails.
    const broken = Object.create(store) as Store;
    Object.defineProperty(broken, 'connections', {
      value: { list: () => Promise.resolve([]), findById: () => Promise.reject(new Error('database went away')) },
    });
    expect(await drain(makeDelivery(broken, slack.fake, new FakeClock()), { ...ws, now: NOW })).toEqual({ posted: 0, failed: 0, pending: 2 });
    const rows = await store.warnings.listByState(ws.workspace.id, 'pending');
    expect(rows.map((w) => w.lastError)).toEqual(['delivery interrupted', 'delivery interrupted']);
    expect(slack.posted).toEqual([]);
  });
});
