/**
 * Escalation in the delivery worker (docs/rules.md "Escalation"), with the real Slack delivery
 * against the fake Slack and an injected clock: each step at its time, in order, once; a restart
 * (a new worker) neither repeats nor skips a step; any action or "I'm on it" stops the climb; two
 * workers racing take a step once; the messages carrying the warning say how far it climbed.
 */
import type { OutboxWorker } from '../../src/outbox/worker';
import type { EscalationSettings, Warning } from '../../src/domain';
import { recordActivity, recordRefresh, snoozeWarnings } from '../../src/services/caretaking';
import { acknowledgeWarnings } from '../../src/services/escalation';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { FakeClock, fakeSlackForFile, makeDelivery, seed, workerFor } from '../bot/delivery/harness';

const slack = fakeSlackForFile();
// Later than any audit event the seeding writes with the real clock.
const T0 = new Date('2030-01-07T09:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
/** Where each escalation message went (DMs: the person; the channel step: the channel). */
const escalations = () => slack.posted.filter((p) => p.text.startsWith('⏫')).map((p) => p.channel);

/** A fresh worker each time: what a restart (or another replica) is. */
function workerAt(store: Store, now: Date, holder = 'w1'): OutboxWorker {
  return workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => now, { holder });
}

describeEachDatabase('escalation', (db) => {
  /** A critical warning about a channel with an owner, a backup and a team leader, posted at T0. */
  async function posted(settings?: EscalationSettings) {
    const { store } = db();
    const { workspace, connections } = await seed(store, {
      alertChannel: 'CESC',
      connections: [{ ownerId: 'UOWNER', backups: ['UBACKUP'] }],
      warning: { severity: 'critical', stage: '3d', dueAt: '2030-01-10', cycle: '2030-01-01' },
    });
    await store.members.upsert(workspace.id, 'ULEAD', { role: 'team_leader' });
    if (settings) await store.workspaces.updateSettings(workspace.id, { escalation: settings });
    const report = await workerAt(store, T0).drain({ workspaceId: workspace.id });
    expect(report).toMatchObject({ posted: 1, escalated: 0 });
    const [warning] = await store.warnings.listOpen(workspace.id);
    const connection = [...connections.values()][0]!;
    return { store, workspace: (await store.workspaces.findById(workspace.id))!, connection, warning: warning!, channelTs: slack.posted[0]!.ts };
  }

  const escalateEvents = async (store: Store, workspaceId: string) =>
    (await store.audit.list(workspaceId))
      .filter((e) => e.action === 'warning.escalate')
      .reverse()
      .map((e) => ({ to: e.details.to, step: e.details.step, at: e.at.toISOString() }));

  it('with no action, takes each step at its time, in order, once, a restarted worker at every look', async () => {
    const { store, workspace, warning, channelTs } = await posted();
    const seen: Record<string, string[]> = {};
    for (const hours of [1, 3.99, 4, 4, 6, 8, 8, 12, 16, 16, 27.9, 28, 28, 60, 200]) {
      const before = escalations().length;
      await workerAt(store, at(hours)).drain({ workspaceId: workspace.id });
      const now = escalations().slice(before);
      if (now.length) seen[`${hours}h`] = [...(seen[`${hours}h`] ?? []), ...now];
    }
    expect(seen).toEqual({ '4h': ['UOWNER'], '8h': ['UBACKUP'], '16h': ['ULEAD'], '28h': ['CESC'] });
    expect(await escalateEvents(store, workspace.id)).toEqual([
      { to: 'owner', step: 1, at: at(4).toISOString() },
      { to: 'backups', step: 2, at: at(8).toISOString() },
      { to: 'leaders', step: 3, at: at(16).toISOString() },
      { to: 'channel', step: 4, at: at(28).toISOString() },
    ]);
    expect(await store.warnings.findById(workspace.id, warning.id)).toMatchObject({ state: 'posted', escalationStep: 4, escalationEnded: 'top' });

    // The channel step mentions the channel's people (no @here unless switched on) and offers "I'm on it".
    const post = slack.posted.find((p) => p.channel === 'CESC' && p.text.startsWith('⏫'))!;
    const text = JSON.stringify(post.blocks);
    expect(text).toContain('<@UOWNER> <@UBACKUP>');
    expect(text).not.toContain('<!here>');
    expect(text).toContain('ck_acknowledge');
    // The first message followed the climb: its last update says how far it went.
    const updates = slack.fake.callsTo('chat.update').filter((u) => u.body.channel === 'CESC' && u.body.ts === channelTs);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(updates.at(-1)!.body.blocks)).toContain('Escalated to the alert channel');
  });

  it('the first message and the DMs carrying the warning say "escalated to team leaders" once it got there', async () => {
    const { store, workspace, channelTs } = await posted();
    for (const hours of [4, 8, 16]) await workerAt(store, at(hours)).drain({ workspaceId: workspace.id });
    const last = (channel: string) =>
      JSON.stringify(
        slack.fake
          .callsTo('chat.update')
          .filter((u) => u.body.channel === channel)
          .at(-1)?.body.blocks,
      );
    expect(slack.fake.callsTo('chat.update').find((u) => u.body.ts === channelTs)).toBeDefined();
    expect(last('CESC')).toContain('Escalated to team leaders');
    // The owner's first DM and their escalation DM both follow.
    expect(last('UOWNER')).toContain('Escalated to team leaders');
  });

  it('a worker that was down takes the next step only: none is skipped', async () => {
    const { store, workspace } = await posted();
    await workerAt(store, at(30)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER']);
    await workerAt(store, at(33.9)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER']);
    await workerAt(store, at(34)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER', 'UBACKUP']);
  });

  type Act = (
    store: Store,
    w: { workspace: Awaited<ReturnType<typeof posted>>['workspace']; connection: Awaited<ReturnType<typeof posted>>['connection']; warning: Warning },
  ) => Promise<unknown>;
  const owner = { userId: 'UOWNER', role: 'member' as const };
  const acts: [string, Act][] = [
    ['a refresh', (store, { workspace, connection }) => recordRefresh({ store, now: () => at(5) }, { workspace, actor: owner }, connection)],
    ["the owner's activity", (store, { workspace, connection }) => recordActivity({ store, now: () => at(5) }, { workspace, actor: owner }, connection)],
    ['a snooze', (store, { workspace, connection }) => snoozeWarnings({ store, now: () => at(5) }, { workspace, actor: owner }, connection, 1)],
    [
      'an acknowledge',
      (store, { workspace, connection }) =>
        acknowledgeWarnings({ store, now: () => at(5) }, { workspace, actor: { userId: 'UBACKUP', role: 'member' } }, connection),
    ],
  ];

  it.each(acts)('%s after the first step stops the climb', async (_name, act) => {
    const { store, workspace, connection, warning } = await posted();
    await workerAt(store, at(4)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER']);
    await act(store, { workspace, connection, warning });
    for (const hours of [8, 16, 28, 100]) await workerAt(store, at(hours)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER']);
    expect(await escalateEvents(store, workspace.id)).toHaveLength(1);
  });

  it('a snoozed warning that returns climbs again from the first step, at its new posting', async () => {
    const { store, workspace, connection, warning } = await posted();
    await workerAt(store, at(4)).drain({ workspaceId: workspace.id });
    await snoozeWarnings({ store, now: () => at(5) }, { workspace, actor: owner }, connection, 1);
    // What the next check does once the snooze ran out.
    await store.warnings.reopen(workspace.id, [warning.id]);
    await workerAt(store, at(10)).drain({ workspaceId: workspace.id });
    expect(await store.warnings.findById(workspace.id, warning.id)).toMatchObject({ state: 'posted', escalationStep: 0, postedAt: at(10) });
    await workerAt(store, at(13.9)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER']);
    await workerAt(store, at(14)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['UOWNER', 'UOWNER']);
  });

  it('"I\'m on it" is shown on the messages and keeps the warning open', async () => {
    const { store, workspace, connection, warning } = await posted();
    await acknowledgeWarnings({ store, now: () => at(1) }, { workspace, actor: { userId: 'UBACKUP', role: 'member' } }, connection, [warning.id]);
    await workerAt(store, at(1)).drain({ workspaceId: workspace.id });
    const update = slack.fake.callsTo('chat.update').find((u) => u.body.channel === 'CESC')!;
    const text = JSON.stringify(update.body.blocks);
    expect(text).toContain('<@UBACKUP> is on it');
    expect(text).not.toContain('ck_acknowledge');
    expect(text).toContain('ck_mark_refreshed');
    expect(await store.warnings.findById(workspace.id, warning.id)).toMatchObject({
      state: 'posted',
      acknowledgedBy: 'UBACKUP',
      escalationEnded: 'acknowledged',
    });
  });

  it('two workers racing take a step once', async () => {
    const { store, workspace } = await posted();
    const reports = await Promise.all(['a', 'b', 'c'].map((holder) => workerAt(store, at(4), holder).drain({ workspaceId: workspace.id })));
    expect(reports.reduce((sum, r) => sum + r.escalated, 0)).toBe(1);
    expect(escalations()).toEqual(['UOWNER']);
    expect(await escalateEvents(store, workspace.id)).toHaveLength(1);
  });

  it("follows the workspace's ladder, and says @here in the channel only where switched on", async () => {
    const { store, workspace } = await posted({ critical: [{ to: 'channel', afterHours: 2 }], here: true });
    await workerAt(store, at(1.5)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual([]);
    await workerAt(store, at(2)).drain({ workspaceId: workspace.id });
    expect(escalations()).toEqual(['CESC']);
    expect(JSON.stringify(slack.posted.at(-1)!.blocks)).toContain('<!here>');
  });
});
