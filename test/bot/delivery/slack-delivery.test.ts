/** Delivery end to end: real WebClient → fake Slack on loopback; rows through the store. */
import { ACTION } from '../../../src/bot/interactions';
import type { Store } from '../../../src/store/store';
import { newWarning } from '../../support/factories';
import { describeEachDatabase } from '../../support/databases';
import { checkMessageLimits } from '../support/block-kit-limits';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, warningIdsIn, drain } from './harness';

const slack = fakeSlackForFile();
const channelPosts = () => slack.posted.filter((p) => p.channel.startsWith('C'));
const dms = () => slack.posted.filter((p) => p.channel.startsWith('U'));

/** The rows recorded as posted in one alert-channel message. */
async function rowsOfMessage(store: Store, workspaceId: string, ts: string) {
  const posted = await store.warnings.listByState(workspaceId, 'posted', 1_000);
  return posted.filter((w) => w.slackChannel === 'CALERT' && w.slackTs === ts);
}

describeEachDatabase('Slack delivery', (db) => {
  it('posts one message per connection carrying all its findings, records channel + ts, and DMs each owner and backup once', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, {
      connections: [
        { ownerId: 'U_A', backups: ['U_B'] },
        { ownerId: 'U_A', backups: ['U_C'] },
      ],
      warningsPer: 2,
    });
    const report = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections, now: NOW });

    expect(report).toEqual({ posted: 4, failed: 0, pending: 0 });
    // Two findings of one connection form one message: two connections, two messages.
    expect(channelPosts()).toHaveLength(2);
    for (const message of slack.posted) expect(checkMessageLimits(message)).toEqual([]);
    const rows = await store.warnings.listOpen(workspace.id);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'posted', slackChannel: 'CALERT' });
      const message = channelPosts().find((p) => p.ts === row.slackTs)!;
      const siblings = rows.filter((r) => r.connectionId === row.connectionId).map((r) => r.id);
      expect(warningIdsIn(message).sort()).toEqual(siblings.sort());
      expect(JSON.stringify(message.blocks)).toContain(`"action_id":"${ACTION.markRefreshed}"`);
      expect((await rowsOfMessage(store, workspace.id, row.slackTs!)).map((w) => w.id).sort()).toEqual(siblings.sort());
    }
    expect(
      dms()
        .map((d) => d.channel)
        .sort(),
    ).toEqual(['U_A', 'U_B', 'U_C']);
    expect(dms().find((d) => d.channel === 'U_A')!.text).toMatch(/^4 warnings/);
    expect(dms().find((d) => d.channel === 'U_B')!.text).toMatch(/^2 warnings/);
  });

  it('holds back expired and disconnected warnings of a network in outage, even ones recorded before it, until it is lifted', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, {
      connections: [{ network: 'linkedin' }, { network: 'facebook', kind: 'page' }],
      warning: { stage: 'expired', severity: 'critical' },
    });
    const inOutage = await store.workspaces.setOutage(workspace.id, 'linkedin', NOW);
    const held = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace: inOutage, connections, now: NOW });
    expect(held).toEqual({ posted: 1, failed: 0, pending: 1 });
    const [linkedin] = [...connections.values()].filter((c) => c.network === 'linkedin');
    const waiting = (await store.warnings.listOpen(workspace.id)).find((w) => w.connectionId === linkedin!.id)!;
    expect(waiting).toMatchObject({ state: 'pending', lastError: 'held back during a network outage' });
    const lifted = await store.workspaces.setOutage(workspace.id, 'linkedin', null);
    // A held row is looked at again a quarter of an hour later.
    const after = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace: lifted, connections, now: new Date(NOW.getTime() + 16 * 60_000) });
    expect(after.posted).toBe(1);
    expect((await store.warnings.findById(workspace.id, waiting.id))?.state).toBe('posted');
  });

  it('posts one digest instead of messages about more than 5 connections, every row marked with its ts', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, { connections: [{}, {}, {}, {}, {}, {}], warningsPer: 1 });
    const report = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections, now: NOW });

    expect(report.posted).toBe(6);
    expect(channelPosts()).toHaveLength(1);
    const digest = channelPosts()[0]!;
    expect(checkMessageLimits(digest)).toEqual([]);
    const rows = await rowsOfMessage(store, workspace.id, digest.ts);
    expect(rows.map((w) => w.id).sort()).toEqual(warningIdsIn(digest).sort());
    expect(rows).toHaveLength(6);
    expect(JSON.stringify(digest.blocks)).toContain(`"action_id":"${ACTION.itemMenu}"`);
  });

  it('fits a digest of 70 warnings in 50 blocks and counts the rest; all 70 belong to that message', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, { connections: Array.from({ length: 7 }, () => ({})), warningsPer: 10 });
    await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections, now: NOW });

    const [digest, ...others] = channelPosts();
    expect(others).toEqual([]);
    expect(digest!.blocks).toHaveLength(50);
    expect(checkMessageLimits(digest!)).toEqual([]);
    const shown = warningIdsIn(digest!).length;
    expect(JSON.stringify(digest!.blocks[1])).toContain(`and ${70 - shown} more`);
    expect(JSON.stringify(digest!.blocks[1])).toContain(ACTION.fullList);
    expect(await rowsOfMessage(store, workspace.id, digest!.ts)).toHaveLength(70);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 70 });
  });

  it('without an alert channel marks rows failed with why, tells each admin once, and posts them once a channel is chosen', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, { alertChannel: null, warningsPer: 8 });
    await store.members.upsert(workspace.id, 'U_ADMIN1', { role: 'admin' });
    await store.members.upsert(workspace.id, 'U_ADMIN2', { role: 'admin' });
    await store.members.upsert(workspace.id, 'U_MEMBER', { role: 'member' });
    const report = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections, now: NOW });

    expect(report).toMatchObject({ posted: 0, failed: 8, pending: 0 });
    expect(report.note).toMatch(/\/channels settings.*SLACK_ALERT_CHANNEL/);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ failed: 8 });
    expect((await store.warnings.listByState(workspace.id, 'failed')).map((w) => w.lastError)).toEqual(
      Array(8).fill(expect.stringContaining('no alert channel')),
    );
    expect(channelPosts()).toEqual([]);
    expect(dms().map((d) => d.channel)).toEqual(['U_ADMIN1', 'U_ADMIN2']);
    expect(dms()[0]!.text).toContain('/channels settings');

    // The same problem again (a new warning, still no channel): failed too, and no second notice.
    const [c] = [...connections.values()];
    await store.warnings.upsertMany([newWarning(workspace.id, c!.id, { stage: '1d' })]);
    expect(await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections, now: NOW })).toMatchObject({ failed: 1 });
    expect(dms()).toHaveLength(2);

    // Fixed (settings saved retries the failed rows): the next pass posts them all.
    const fixed = await store.workspaces.updateSettings(workspace.id, { alertChannel: 'CALERT' });
    expect(await store.warnings.retryFailed(workspace.id)).toBe(9);
    expect(await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace: fixed, connections, now: NOW })).toMatchObject({ posted: 9, failed: 0 });
    expect(channelPosts()).toHaveLength(1);
  });

  it('uses SLACK_ALERT_CHANNEL when the workspace has not chosen a channel', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store, { alertChannel: null });
    const delivery = makeDelivery(store, slack.fake, new FakeClock(), { alertChannelFallback: 'CFALLBACK' });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({ posted: 1, failed: 0, pending: 0 });
    expect(channelPosts().map((p) => p.channel)).toEqual(['CFALLBACK']);
  });

  it('paces a channel to one message per second, across runs, but not other channels', async () => {
    const { store } = db();
    const clock = new FakeClock();
    const delivery = makeDelivery(store, slack.fake, clock);
    const first = await seed(store, { connections: Array.from({ length: 5 }, () => ({ ownerId: null })) });
    await drain(delivery, { ...first, now: NOW });
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000]);

    const other = await seed(store, { alertChannel: 'COTHER', connections: [{ ownerId: null }] });
    await drain(delivery, { ...other, now: NOW }); // another channel: no wait
    expect(clock.sleeps).toHaveLength(4);

    const again = await seed(store, { connections: [{ ownerId: null }] }); // CALERT again, right after its last post
    await drain(delivery, { ...again, now: NOW });
    expect(clock.sleeps).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(channelPosts()).toHaveLength(7);
  });

  it('resolves, rather than posts, a warning whose connection was archived', async () => {
    const { store } = db();
    const { workspace, connections } = await seed(store);
    const [c] = [...connections.values()];
    await store.connections.archive(workspace.id, c!.id, NOW);
    await store.warnings.reopen(
      workspace.id,
      (await store.warnings.listByState(workspace.id, 'resolved')).map((w) => w.id),
    );
    const report = await drain(makeDelivery(store, slack.fake, new FakeClock()), { workspace, connections: new Map(), now: NOW });
    expect(report).toEqual({ posted: 0, failed: 0, pending: 0 });
    expect(channelPosts()).toEqual([]);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ resolved: 1 });
  });
});
