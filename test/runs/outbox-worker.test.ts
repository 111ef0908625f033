/**
 * The outbox worker with the real Slack delivery against the fake Slack: fair claims across
 * workspaces, everything due drained in one pass, backoff per attempt, a fixed cause retried at
 * once, messages that follow their warnings, and a post whose answer was lost, or that a killed
 * replica made but never marked, not posted twice.
 */
import { MAX_RETRY_MS, retryDelayMs } from '../../src/outbox/backoff';
import type { OutboxWorker } from '../../src/outbox/worker';
import type { Outgoing, SlackPort } from '../../src/outbox/slack-port';
import type { Warning } from '../../src/domain';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, warningIdsIn, workerFor, type TestDelivery } from '../bot/delivery/harness';

const slack = fakeSlackForFile();
const channelPosts = (channel = 'CALERT') => slack.posted.filter((p) => p.channel === channel);

function workerOf(store: Store, delivery: TestDelivery, now: () => Date = () => NOW, intervalMs?: number): OutboxWorker {
  return workerFor({ ...delivery, store }, now, { intervalMs });
}

describe('backoff (src/outbox/backoff)', () => {
  it('doubles the wait with each attempt, from 30 seconds, capped at an hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
    expect(retryDelayMs(50)).toBe(MAX_RETRY_MS);
  });
});

describeEachDatabase('outbox worker', (db) => {
  it('claims due rows across workspaces in turns, so a big backlog does not hold a small workspace back', async () => {
    const { store } = db();
    const big = await seed(store, { connections: [{}], warningsPer: 30 });
    const small = await seed(store, { alertChannel: 'CSMALL' });
    // Scoped to these two: other suites' workspaces may share the database.
    const claimed = await store.outbox.claimDue({ limit: 2, holder: 'fair', now: NOW, workspaceIds: [big.workspace.id, small.workspace.id] });
    const byWorkspace = new Map<string, number>();
    for (const row of claimed) byWorkspace.set(row.workspaceId, (byWorkspace.get(row.workspaceId) ?? 0) + 1);
    expect(byWorkspace.get(small.workspace.id)).toBe(1);
    expect(byWorkspace.get(big.workspace.id)).toBe(1);
    // The earliest deadline of a workspace comes first.
    const bigRows = claimed.filter((w) => w.workspaceId === big.workspace.id);
    const allBig = (await store.warnings.listOpen(big.workspace.id)).map((w) => w.dueAt).sort();
    expect(bigRows[0]!.dueAt).toBe(allBig[0]);
    // Out of the way of the other tests.
    for (const ws of [big, small])
      await store.warnings.resolve(
        ws.workspace.id,
        (await store.warnings.listOpen(ws.workspace.id)).map((w) => w.id),
        'system',
        NOW,
      );
  });

  it('drains more than 1,000 due warnings in one pass: no cap leaves work behind', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { connections: Array.from({ length: 220 }, () => ({ ownerId: null })), warningsPer: 5 });
    const report = await workerOf(store, makeDelivery(store, slack.fake, new FakeClock())).drain({ workspaceId: workspace.id });
    expect(report).toMatchObject({ posted: 1100, failed: 0, pending: 0 });
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 1100 });
  }, 120_000);

  it('puts a row that failed for a moment back with a next attempt that follows its attempt count', async () => {
    // Every time here is injected: the worker's clock, the adapter's waits, and a request timeout
    // (10 s) no loaded machine reaches, so only the fake's 500s make a post fail.
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CBACKOFF' });
    const delivery = makeDelivery(store, slack.fake, new FakeClock(), { retry: { attempts: 1 } });
    slack.fake.fail('chat.postMessage', { status: 500, times: 2 });
    await workerOf(store, delivery).drain({ workspaceId: workspace.id });
    const [once] = await store.warnings.listByState(workspace.id, 'pending');
    expect(once).toMatchObject({ attempts: 1, nextAttemptAt: new Date(NOW.getTime() + 30_000) });
    // Not due yet: nothing is tried.
    expect(await workerOf(store, delivery, () => new Date(NOW.getTime() + 29_000)).drain({ workspaceId: workspace.id })).toMatchObject({
      posted: 0,
      waiting: 1,
    });
    const later = new Date(NOW.getTime() + 30_000);
    await workerOf(store, delivery, () => later).drain({ workspaceId: workspace.id });
    const [twice] = await store.warnings.listByState(workspace.id, 'pending');
    expect(twice).toMatchObject({ attempts: 2, nextAttemptAt: new Date(later.getTime() + 60_000) });
    expect(await workerOf(store, delivery, () => new Date(later.getTime() + 60_000)).drain({ workspaceId: workspace.id })).toMatchObject({ posted: 1 });
  });

  it('posts a warning kept back for want of an alert channel within one interval of the channel being set, without a new check', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: null });
    await store.members.upsert(workspace.id, 'U_ADMIN', { role: 'admin' });
    const worker = workerOf(store, makeDelivery(store, slack.fake, new FakeClock()), () => NOW, 50);
    await worker.drain({ workspaceId: workspace.id });
    expect(await store.warnings.countByState(workspace.id)).toEqual({ failed: 1 });
    worker.start();
    try {
      // What saving the settings does: the failed rows go back, and the worker is woken.
      await store.workspaces.updateSettings(workspace.id, { alertChannel: 'CNEWALERT' });
      await store.warnings.retryFailed(workspace.id);
      worker.wake();
      for (let i = 0; i < 400 && !channelPosts('CNEWALERT').length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await worker.stop();
    }
    expect(channelPosts('CNEWALERT')).toHaveLength(1);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 1 });
  });

  it('updates the channel message and the DMs carrying a warning once it is resolved, and says who did it', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CFOLLOW', connections: [{ ownerId: 'UOWNER', backups: ['UBACKUP'] }], warningsPer: 2 });
    const worker = workerOf(store, makeDelivery(store, slack.fake, new FakeClock()));
    await worker.drain({ workspaceId: workspace.id });
    const [message] = channelPosts('CFOLLOW');
    expect(message).toBeDefined();
    const rows = await store.warnings.listOpen(workspace.id);
    expect(warningIdsIn(message!).sort()).toEqual(rows.map((w) => w.id).sort());

    // One resolved (as a command or the CLI would): both messages carrying it change, the item loses its buttons.
    await store.warnings.resolve(workspace.id, [rows[0]!.id], 'UOWNER', NOW);
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(3);
    const updates = slack.fake.callsTo('chat.update');
    expect(updates.map((u) => u.body.channel).sort()).toEqual(['CFOLLOW', 'UBACKUP', 'UOWNER']);
    const channelUpdate = updates.find((u) => u.body.channel === 'CFOLLOW')!;
    expect(channelUpdate.body.ts).toBe(message!.ts);
    expect(JSON.stringify(channelUpdate.body.blocks)).toContain('Resolved by <@UOWNER>');
    expect(warningIdsIn({ blocks: channelUpdate.body.blocks as never })).toEqual([rows[1]!.id]);
    // Nothing changed since: nothing is rewritten again.
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(0);

    // The other snoozed: every item settled, and the first line says so.
    await store.warnings.snooze(workspace.id, [rows[1]!.id], new Date(NOW.getTime() + 86_400_000), 'UBACKUP');
    slack.fake.reset();
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(3);
    const settled = slack.fake.callsTo('chat.update').find((u) => u.body.channel === 'CFOLLOW')!;
    const [header] = settled.body.blocks as { type: string; text: { text: string } }[];
    expect(header!.text.text).toMatch(/^✅ Settled/);
    expect(JSON.stringify(settled.body.blocks)).toContain('Snoozed by <@UBACKUP>');
    expect(warningIdsIn({ blocks: settled.body.blocks as never })).toEqual([]);
  });

  it('does not post again a message Slack accepted whose answer was lost: it finds it by its metadata first', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CLOST', connections: [{ ownerId: null }] });
    // Accepted by the fake, but answered after the client's 300 ms timeout.
    slack.fake.fail('chat.postMessage', { delayMs: 600, times: 1 });
    // Real waits here (at most half a second each): the lookup must come after the fake has taken the post.
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 500)));
    const report = await workerOf(store, makeDelivery(store, slack.fake, new FakeClock(), { sleep, timeoutMs: 300 })).drain({ workspaceId: workspace.id });
    expect(report).toMatchObject({ posted: 1, pending: 0 });
    expect(channelPosts('CLOST')).toHaveLength(1);
    expect(slack.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    const [row] = await store.warnings.listOpen(workspace.id);
    expect(row).toMatchObject({ state: 'posted', slackTs: channelPosts('CLOST')[0]!.ts });
  });

  /** A replica that dies right after its posts: Slack takes them, but none of its writes reach the database. */
  function dyingReplica(store: Store): Store {
    const outbox = Object.create(store.outbox) as Store['outbox'];
    for (const method of ['markPosted', 'markManyPosted', 'releaseManyForRetry', 'markManyFailed', 'resolveManyGone'] as const) {
      Object.defineProperty(outbox, method, { value: () => Promise.resolve() });
    }
    const postedMessages = Object.create(store.postedMessages) as Store['postedMessages'];
    Object.defineProperty(postedMessages, 'recordMessage', { value: () => Promise.resolve(0) });
    const dying = Object.create(store) as Store;
    Object.defineProperty(dying, 'outbox', { value: outbox });
    Object.defineProperty(dying, 'postedMessages', { value: postedMessages });
    return dying;
  }

  it('does not post again what a killed replica posted (channel messages and DM) but never marked: the history says so first', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CKILLED', connections: [{ ownerId: 'UKILLED', backups: [] }, { ownerId: null }], warningsPer: 2 });
    const dying = dyingReplica(store);
    await workerOf(dying, makeDelivery(dying, slack.fake, new FakeClock())).drain({ workspaceId: workspace.id });
    expect(channelPosts('CKILLED')).toHaveLength(2); // one per connection
    expect(channelPosts('UKILLED')).toHaveLength(1); // the owner's DM
    expect(await store.warnings.countByState(workspace.id)).toEqual({ sending: 4 });

    // Another replica, once the lease has run out: takes the rows back and finds each one's message.
    const later = new Date(NOW.getTime() + 91_000);
    const report = await workerOf(store, makeDelivery(store, slack.fake, new FakeClock()), () => later).drain({ workspaceId: workspace.id });
    expect(report).toMatchObject({ reclaimed: 4, posted: 4, failed: 0, pending: 0 });
    expect(slack.posted).toHaveLength(3); // nothing posted again
    expect(slack.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['UKILLED']);
    const rows = await store.warnings.listOpen(workspace.id);
    for (const row of rows) {
      const message = channelPosts('CKILLED').find((m) => m.ts === row.slackTs);
      expect(message && warningIdsIn(message)).toContain(row.id);
      expect(row).toMatchObject({ state: 'posted', slackChannel: 'CKILLED', attempts: 2 });
    }
    // Both messages found are remembered, so they follow their warnings: the channel one and the DM.
    const owned = rows.find((w) => channelPosts('CKILLED').find((m) => m.ts === w.slackTs && JSON.stringify(m.blocks).includes('UKILLED')))!;
    await store.warnings.resolve(workspace.id, [owned.id], 'UKILLED', later);
    expect((await workerOf(store, makeDelivery(store, slack.fake, new FakeClock()), () => later).drain({ workspaceId: workspace.id })).updated).toBe(2);
    expect(
      slack.fake
        .callsTo('chat.update')
        .map((u) => u.body.channel)
        .sort(),
    ).toEqual(['CKILLED', 'DUKILLED']);
  });

  it('posts rows claimed before when the history cannot be read (missing_scope, not_in_channel) or does not have them', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CNOSCOPE', connections: [{ ownerId: 'UNOSCOPE', backups: [] }] });
    // Claimed by a replica that died before posting anything.
    expect(await store.outbox.claimDue({ limit: 10, holder: 'killed', now: NOW, workspaceId: workspace.id })).toHaveLength(1);
    slack.fake.fail('conversations.history', { error: 'missing_scope', times: 1 });
    slack.fake.fail('conversations.open', { error: 'not_in_channel', times: 1 });
    const later = new Date(NOW.getTime() + 91_000);
    expect(await workerOf(store, makeDelivery(store, slack.fake, new FakeClock()), () => later).drain({ workspaceId: workspace.id })).toMatchObject({
      reclaimed: 1,
      posted: 1,
    });
    expect(slack.fake.callsTo('conversations.history')).toHaveLength(1); // looked, could not read, posted
    expect(channelPosts('CNOSCOPE')).toHaveLength(1);
    expect(channelPosts('UNOSCOPE')).toHaveLength(1);
  });

  it('does not send again a DM Slack accepted whose answer was lost: it finds it in the DM history', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CDMLOST', connections: [{ ownerId: 'UDMLOST', backups: [] }] });
    // The channel post goes through; the DM is accepted but answered after the client's 300 ms timeout.
    slack.hooks.afterPost = (message) => {
      if (message.channel === 'CDMLOST') slack.fake.fail('chat.postMessage', { delayMs: 600, times: 1 });
    };
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 500)));
    await workerOf(store, makeDelivery(store, slack.fake, new FakeClock(), { sleep, timeoutMs: 300 })).drain({ workspaceId: workspace.id });
    expect(channelPosts('UDMLOST')).toHaveLength(1);
    expect(slack.fake.callsTo('conversations.open').map((c) => c.body.users)).toEqual(['UDMLOST']);
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'UDMLOST')).toHaveLength(1);
  });

  it('puts back, untouched, the rows of a workspace whose delivery could not start soon after the claim, and claims them again', async () => {
    const { store } = db();
    const workspaces = [];
    for (let i = 0; i < 6; i++) workspaces.push((await seed(store, { alertChannel: `CQUEUE${i}`, connections: [{ ownerId: null }] })).workspace.id);
    let t = NOW.getTime();
    const delivered: { id: number; attempts: number; claim: string }[] = [];
    // Four workspaces are delivered at once, each post taking 30 s: the other two would start after
    // a quarter of the lease, so they go back and are claimed afresh.
    const slow: SlackPort = {
      window: () => ({ deadline: new Date(t + 45_000) }),
      async post(channel, message: Outgoing) {
        const rows = 'items' in message ? message.items.flatMap((i) => (i.warning ? [i.warning] : [])) : [];
        for (const row of rows as Warning[]) delivered.push({ id: row.id, attempts: row.attempts, claim: row.claimedBy! });
        t += 30_000;
        return { ok: true, channel, ts: `${rows[0]?.id ?? 0}.000001` };
      },
      update: async (channel, ts) => ({ ok: true, channel, ts }),
      findPosts: async () => new Map(),
    };
    const worker = workerFor({ store, slack: { forWorkspace: () => slow } }, () => new Date(t), { holder: 'queue' });
    expect(await worker.drain({ workspaceIds: workspaces })).toMatchObject({ posted: 6, pending: 0 });
    const rows = (await Promise.all(workspaces.map((id) => store.warnings.listOpen(id)))).flat();
    expect(delivered.map((d) => d.id).sort()).toEqual(rows.map((w) => w.id).sort()); // each once
    const claims = [...new Set(delivered.map((d) => d.claim))];
    expect(claims.map((claim) => delivered.filter((d) => d.claim === claim).length)).toEqual([4, 2]);
    // The attempt of a claim that never started is not counted.
    expect(delivered.every((d) => d.attempts === 1)).toBe(true);
    expect(rows.every((w) => w.state === 'posted' && w.attempts === 1)).toBe(true);
  });
});
