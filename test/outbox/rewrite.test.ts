/**
 * One rewrite for everyone (src/outbox/rewrite.ts): the outbox worker (a warning settled
 * elsewhere) and a button press (src/bot/acted-message.ts) rebuild a stored message through the
 * same function, and write the same message when nothing else differs.
 */
import { updateActedMessage } from '../../src/bot/acted-message';
import { createDeliveryClient } from '../../src/bot/delivery/client';
import * as policy from '../../src/rules/policy';
import { silentLogger } from '../../src/logger';
import * as rewrite from '../../src/outbox/rewrite';
import { describeEachDatabase } from '../support/databases';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, workerFor } from '../bot/delivery/harness';

const slack = fakeSlackForFile();

describeEachDatabase('rewriting a stored message', (db) => {
  afterEach(() => jest.restoreAllMocks());

  it('is the same rewrite for the worker and for a button press', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CSAME', connections: [{ ownerId: null }], warningsPer: 2 });
    const worker = workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => NOW);
    await worker.drain({ workspaceId: workspace.id });
    const [message] = slack.posted.filter((p) => p.channel === 'CSAME');
    const [first] = await store.warnings.listOpen(workspace.id);
    const spy = jest.spyOn(rewrite, 'rewriteMessage');

    // Settled elsewhere (a command): the worker rewrites the message.
    await store.warnings.resolve(workspace.id, [first!.id], 'UCMD', NOW);
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(1);
    const byWorker = slack.fake.callsTo('chat.update').at(-1)!.body;
    expect(spy).toHaveBeenCalledTimes(1);
    const messageId = spy.mock.calls[0]![2];

    // A button press on that message, with nothing new to show: the same function, the same message.
    const client = createDeliveryClient('xoxb-test-token', { slackApiUrl: slack.fake.apiUrl });
    await updateActedMessage({ store, logger: silentLogger, now: () => NOW }, client, workspace, { channel: message!.channel, ts: message!.ts }, 'noted', {
      markActed: false,
    });
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[1]![2]).toBe(messageId);
    const byButton = slack.fake.callsTo('chat.update').at(-1)!.body;
    expect(byButton).toEqual(byWorker);
    expect(JSON.stringify(byButton.blocks)).toContain('Resolved by <@UCMD>');
  });

  it('rewrites a digest of a big run from its most urgent rows only, keeping the totals of all', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CBIG', connections: Array.from({ length: 120 }, () => ({ ownerId: null })) });
    const worker = workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => NOW);
    await worker.drain({ workspaceId: workspace.id });
    const [digest] = slack.posted.filter((p) => p.channel === 'CBIG');
    const [first] = await store.warnings.listOpen(workspace.id);
    await store.warnings.resolve(workspace.id, [first!.id], 'UCMD', NOW);
    const worded = jest.spyOn(policy, 'resolvePolicy');
    const read = jest.spyOn(store.connections, 'findById');
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(1);
    // Only what the message can show is worded again, and only those connections are read.
    expect(worded.mock.calls.length).toBeLessThanOrEqual(50);
    expect(read.mock.calls.length).toBeLessThanOrEqual(50);
    const update = slack.fake.callsTo('chat.update').at(-1)!.body;
    expect(update.ts).toBe(digest!.ts);
    const blocks = update.blocks as unknown[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ 120 channel warnings' } });
    expect(JSON.stringify(blocks[1])).toContain('🟡 120 attention · ✅ 1 settled');
    expect(JSON.stringify(blocks)).toContain('Resolved by <@UCMD>');
  });

  it("resolves the policy of a rebuilt warning with its connection's tool, as the first post did", async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CTOOL', connections: [{ ownerId: null, network: 'facebook', kind: 'page', tool: 'agorapulse' }] });
    const worker = workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => NOW);
    await worker.drain({ workspaceId: workspace.id });
    const [row] = await store.warnings.listOpen(workspace.id);
    await store.warnings.snooze(workspace.id, [row!.id], new Date(NOW.getTime() + 86_400_000), 'USNOOZE');
    const spy = jest.spyOn(policy, 'resolvePolicy');
    expect((await worker.drain({ workspaceId: workspace.id })).updated).toBe(1);
    expect(spy.mock.calls.map((call) => [call[0], call[2]])).toEqual([['facebook', 'agorapulse']]);
  });
});
