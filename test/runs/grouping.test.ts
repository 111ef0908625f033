/**
 * Grouping, as Alertmanager does it, through the real outbox worker and Slack adapter against the
 * fake Slack: a whole run gives the alert channel one message and each person one DM with the true
 * totals; a second pass posts nothing; what comes later waits for the channel's grouping window and
 * then goes out together; a message of a big run is rewritten within Block Kit's limits.
 */
import { expandIds } from '../../src/bot/delivery/slack-sender';
import type { Connection, NewWarning, Severity } from '../../src/domain';
import type { Store } from '../../src/store/store';
import { connectionInput, newWarning, newWorkspace } from '../support/factories';
import { describeEachDatabase } from '../support/databases';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, warningIdsIn, workerFor } from '../bot/delivery/harness';

const slack = fakeSlackForFile();
const channelPosts = (channel: string) => slack.posted.filter((p) => p.channel === channel);
const dms = () => slack.posted.filter((p) => p.channel.startsWith('U'));
const SEVERITY_CYCLE: Severity[] = ['attention', 'at_risk', 'critical', 'disconnected'];
const MINUTE = 60_000;

/** `channels` channels of `owners` owners (no backups), one warning each, the severities in turn. */
async function team(store: Store, alertChannel: string, channels: number, owners: number) {
  const workspaceId = await newWorkspace(store);
  await store.workspaces.updateSettings(workspaceId, { alertChannel });
  const connections: Connection[] = [];
  const rows: NewWarning[] = [];
  for (let i = 0; i < channels; i++) {
    const c = await store.connections.create(workspaceId, connectionInput({ name: `Page ${i + 1}`, ownerId: `UOWNER${i % owners}`, backups: [] }), 'USETUP');
    connections.push(c);
    rows.push(newWarning(workspaceId, c.id, { severity: SEVERITY_CYCLE[i % 4]!, dueAt: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}` }));
  }
  await store.warnings.upsertMany(rows);
  return { workspaceId, connections };
}

describeEachDatabase('grouping', (db) => {
  it('400 channels of 8 owners due at once: one alert channel message and one DM per owner, with the true totals; a second pass posts nothing', async () => {
    const { store } = db();
    const { workspaceId } = await team(store, 'CGROUP', 400, 8);
    const delivery = makeDelivery(store, slack.fake, new FakeClock());
    const report = await workerFor(delivery, () => NOW).drain({ workspaceId });
    expect(report).toMatchObject({ posted: 400, failed: 0, requeued: 0, grouped: 0 });

    const [message, ...others] = channelPosts('CGROUP');
    expect(others).toEqual([]);
    expect(message!.text).toBe('400 channel warnings: ⚫ 100 disconnected · 🔴 100 critical · 🟠 100 at risk · 🟡 100 attention');
    expect(message!.blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ 400 channel warnings' } });
    const shown = warningIdsIn(message!).length;
    expect(JSON.stringify(message!.blocks[1])).toContain(`and ${400 - shown} more`);
    // Every row belongs to that one message, in the database and in the stored message.
    const rows = await store.warnings.listByState(workspaceId, 'posted', 1_000);
    expect(rows).toHaveLength(400);
    expect(new Set(rows.map((r) => `${r.slackChannel} ${r.slackTs}`))).toEqual(new Set([`CGROUP ${message!.ts}`]));
    // Its metadata names all 400 as runs of ids, a few characters however big the run.
    const carried = String((message!.metadata as { event_payload: { warning_ids: string } }).event_payload.warning_ids);
    expect(carried.length).toBeLessThan(40);
    expect(expandIds(carried).sort()).toEqual(rows.map((r) => r.id).sort());
    const stored = await store.postedMessages.findMessage((await store.postedMessages.findMessageAt('CGROUP', message!.ts))!);
    expect(stored!.warnings).toHaveLength(400);

    expect(
      dms()
        .map((d) => d.channel)
        .sort(),
    ).toEqual(Array.from({ length: 8 }, (_, i) => `UOWNER${i}`));
    for (const dm of dms()) {
      expect(dm.text).toBe('50 warnings about channels you look after need attention');
      // 50 channels each, the severities in turn: the owner's own totals.
      expect(JSON.stringify(dm.blocks)).toMatch(/(⚫|🔴|🟠|🟡) \d+ \w+/);
      const counts = [...JSON.stringify(dm.blocks[1]).matchAll(/(\d+) (disconnected|critical|at risk|attention)/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(counts).toBe(50);
    }

    const posts = slack.posted.length;
    const again = await workerFor(delivery, () => new Date(NOW.getTime() + MINUTE)).drain({ workspaceId });
    expect(again).toMatchObject({ posted: 0, failed: 0, grouped: 0, updated: 0 });
    expect(slack.posted).toHaveLength(posts);

    // A settled warning rewrites the big message within Block Kit's limits, keeping its totals.
    const first = warningIdsIn(message!)[0]!;
    await store.warnings.resolve(workspaceId, [first], 'UOWNER0', NOW);
    const later = await workerFor(delivery, () => new Date(NOW.getTime() + 2 * MINUTE)).drain({ workspaceId });
    expect(later.updated).toBe(2); // the channel's message and the owner's DM
    const update = slack.fake.callsTo('chat.update').find((u) => u.body.channel === 'CGROUP')!;
    const blocks = update.body.blocks as unknown[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks[1])).toContain('⚫ 100 disconnected · 🔴 100 critical · 🟠 100 at risk · 🟡 100 attention · ✅ 1 settled');
  }, 120_000);

  it('a new warning a minute after the run waits for the grouping window, then goes out with what came meanwhile as one message', async () => {
    const { store } = db();
    const { workspaceId, connections } = await team(store, 'CWINDOW', 6, 2);
    const delivery = makeDelivery(store, slack.fake, new FakeClock());
    const at = (minutes: number) => () => new Date(NOW.getTime() + minutes * MINUTE);
    const window = { groupIntervalMs: 5 * MINUTE };
    expect(await workerFor(delivery, at(0), window).drain({ workspaceId })).toMatchObject({ posted: 6 });
    expect(channelPosts('CWINDOW')).toHaveLength(1);

    const [c] = connections;
    await store.warnings.upsertMany([newWarning(workspaceId, c!.id, { kind: 'inactivity', stage: '60d', severity: 'at_risk' })]);
    expect(await workerFor(delivery, at(1), window).drain({ workspaceId })).toMatchObject({ posted: 0, grouped: 1 });
    await store.warnings.upsertMany([newWarning(workspaceId, c!.id, { kind: 'no_backup', stage: 'no_backup' })]);
    expect(await workerFor(delivery, at(3), window).drain({ workspaceId })).toMatchObject({ posted: 0, grouped: 1 });
    // Not before the window since the run's post has passed: nothing is claimed, nothing posted.
    expect(await workerFor(delivery, at(4), window).drain({ workspaceId })).toMatchObject({ posted: 0, grouped: 0, waiting: 2 });
    expect(channelPosts('CWINDOW')).toHaveLength(1);
    const waiting = await store.warnings.listByState(workspaceId, 'pending');
    expect(waiting.map((w) => w.attempts)).toEqual([0, 0]); // waiting is not an attempt

    expect(await workerFor(delivery, at(5), window).drain({ workspaceId })).toMatchObject({ posted: 2, grouped: 0 });
    const [, later, ...none] = channelPosts('CWINDOW');
    expect(none).toEqual([]);
    expect(warningIdsIn(later!).sort()).toEqual(waiting.map((w) => w.id).sort());
    expect(dms().filter((d) => d.channel === c!.ownerId)).toHaveLength(2); // the run's DM, then one for the two later

    // Without a window (as `channel-keeper check` runs it), what is due goes out at once.
    await store.warnings.upsertMany([newWarning(workspaceId, connections[1]!.id, { kind: 'no_backup', stage: 'no_backup' })]);
    expect(await workerFor(delivery, at(6)).drain({ workspaceId })).toMatchObject({ posted: 1, grouped: 0 });
    expect(channelPosts('CWINDOW')).toHaveLength(3);
  });
});
