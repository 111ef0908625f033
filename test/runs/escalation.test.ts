/**
 * Escalation in the delivery worker (docs/rules.md "Escalation"), with the real Slack delivery
 * against the fake Slack and an injected clock: each step at its time, in order, once; a restart
 * (a new worker) neither repeats nor skips a step; any action or "I'm on it" stops the climb; two
 * workers racing take a step once; the messages carrying the warning say how far it climbed. A
 * step's messages are outbox rows written with the step: a failed one is tried again and sent
 * once, one left by a replica that died is sent by the next pass, and one already in the DM's
 * history is not sent again.
 */
import type { OutboxWorker } from '../../src/outbox/worker';
import type { EscalationSettings, Warning } from '../../src/domain';
import { recordActivity, recordRefresh, snoozeWarnings } from '../../src/services/caretaking';
import { silentLogger } from '../../src/logger';
import { escalateDue, sendEscalationBatch } from '../../src/outbox/escalate';
import { DEFAULT_LEASE_MS } from '../../src/outbox/worker';
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

  describe('escalation messages in the outbox', () => {
    const seconds = (base: Date, s: number) => new Date(base.getTime() + s * 1000);
    /** What a replica does before it sends: the step and its messages recorded, nothing sent yet. */
    const recordStep = (store: Store, workspaceId: string, now: Date) => escalateDue({ store, logger: silentLogger, now: () => now }, { workspaceId });
    /** The owner's escalation DMs (accepted by Slack). */
    const ownerEscalations = () => slack.posted.filter((p) => p.channel === 'UOWNER' && p.text.startsWith('⏫'));

    it('a failed escalation DM is tried again at a later pass (after its backoff) and sent once', async () => {
      const { store, workspace } = await posted();
      // Slack asks for a wait longer than a worker waits: the DM is not sent in this pass.
      slack.fake.fail('chat.postMessage', { status: 429, retryAfterSeconds: 120, times: 1 });
      expect(await workerAt(store, at(4)).drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 1 });
      expect(escalations()).toEqual([]);
      // Not before its backoff (30 s after the first attempt)…
      await workerAt(store, seconds(at(4), 10)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual([]);
      // …then once, and never again.
      await workerAt(store, seconds(at(4), 31)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      for (const hours of [4.1, 5, 7]) await workerAt(store, at(hours)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      expect(await escalateEvents(store, workspace.id)).toHaveLength(1);
      // Its metadata names its own row, not the warning: a look-up for the warning's first post does not take it.
      expect(JSON.stringify(ownerEscalations()[0]!.metadata)).toContain('escalation_ids');
      expect(JSON.stringify(ownerEscalations()[0]!.metadata)).not.toContain('warning_ids');
    });

    it('a DM Slack refuses for good fails at once and is not tried again', async () => {
      const { store, workspace } = await posted();
      slack.fake.fail('chat.postMessage', { error: 'channel_not_found', times: Infinity });
      await workerAt(store, at(4)).drain({ workspaceId: workspace.id });
      for (const hours of [5, 8, 12]) await workerAt(store, at(hours)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual([]);
      // A permanent error: one attempt, not tried again at each pass.
      const tries = slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'UOWNER' && String(c.body.text).startsWith('⏫'));
      expect(tries).toHaveLength(1);
    });

    it('a step recorded by a replica that died before sending is sent by the next pass, once', async () => {
      const { store, workspace } = await posted();
      expect(await recordStep(store, workspace.id, at(4))).toMatchObject({ escalated: 1 });
      expect(escalations()).toEqual([]);
      // The next pass (another replica, or this one restarted) takes no step again but sends its DM.
      expect(await workerAt(store, at(4.01), 'w2').drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 0 });
      expect(escalations()).toEqual(['UOWNER']);
      await workerAt(store, at(5), 'w3').drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      expect(await escalateEvents(store, workspace.id)).toHaveLength(1);
    });

    it('a DM claimed by a replica that died is taken back after the lease and sent once', async () => {
      const { store, workspace } = await posted();
      await recordStep(store, workspace.id, at(4));
      const claimed = await store.escalationMessages.claimDue({ limit: 10, holder: 'dead', now: at(4), workspaceId: workspace.id });
      expect(claimed).toHaveLength(1);
      // Within the lease the claim is the dead replica's: nothing is sent.
      await workerAt(store, seconds(at(4), 30)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual([]);
      await workerAt(store, new Date(at(4).getTime() + DEFAULT_LEASE_MS + 1000)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      // Looked for in the DM's history first (a claim before this one): not there, so sent.
      expect(slack.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    });

    it('a DM already in the history (the replica died after posting it) is recorded as sent, not sent again, and follows the warning', async () => {
      const { store, workspace, connection } = await posted();
      await recordStep(store, workspace.id, at(4));
      const [message] = await store.escalationMessages.claimDue({ limit: 10, holder: 'dead', now: at(4), workspaceId: workspace.id });
      // What the dying replica did: Slack took the DM; its answer never reached the database.
      const port = makeDelivery(store, slack.fake, new FakeClock()).slack.forWorkspace(workspace.id);
      expect((await sendEscalationBatch({ store, now: () => at(4) }, port, [message!])).get(message!.id)).toMatchObject({ outcome: 'sent' });
      expect(ownerEscalations()).toHaveLength(1);
      const [sent] = ownerEscalations();

      await workerAt(store, new Date(at(4).getTime() + DEFAULT_LEASE_MS + 1000)).drain({ workspaceId: workspace.id });
      expect(ownerEscalations()).toHaveLength(1);
      // Stored with its warning: "I'm on it" rewrites the DM found in the history.
      await acknowledgeWarnings({ store, now: () => at(5) }, { workspace, actor: { userId: 'UBACKUP', role: 'member' } }, connection);
      await workerAt(store, at(5)).drain({ workspaceId: workspace.id });
      const update = slack.fake.callsTo('chat.update').find((u) => u.body.ts === sent!.ts);
      expect(update).toBeDefined();
      expect(JSON.stringify(update!.body.blocks)).toContain('<@UBACKUP> is on it');
    });

    it('a DM Slack took whose answer was lost is found by its own metadata, not sent again', async () => {
      const { store, workspace } = await posted();
      // Accepted by the fake, but answered after the client's 300 ms timeout.
      slack.fake.fail('chat.postMessage', { delayMs: 600, times: 1 });
      // Real waits (at most half a second each): the look-up must come after the fake has taken the post.
      const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 500)));
      const delivery = makeDelivery(store, slack.fake, new FakeClock(), { sleep, timeoutMs: 300 });
      await workerFor(delivery, () => at(4)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      await workerAt(store, at(5)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
      expect(slack.fake.callsTo('chat.postMessage').filter((c) => String(c.body.text).startsWith('⏫'))).toHaveLength(1);
    });

    it('the channel step is one post in the alert channel, tried again like a DM', async () => {
      const { store, workspace } = await posted({ critical: [{ to: 'channel', afterHours: 2 }] });
      slack.fake.fail('chat.postMessage', { status: 429, retryAfterSeconds: 120, times: 1 });
      await workerAt(store, at(2)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual([]);
      await workerAt(store, at(3)).drain({ workspaceId: workspace.id });
      await workerAt(store, at(4)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['CESC']);
      expect(JSON.stringify(slack.posted.at(-1)!.blocks)).toContain('<@UOWNER> <@UBACKUP>');
    });

    it("an uninstalled workspace's messages wait: sent once it is installed again", async () => {
      const { store, workspace } = await posted();
      await recordStep(store, workspace.id, at(4));
      await store.workspaces.setUninstalled(workspace.id, at(4));
      await workerAt(store, at(4.5)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual([]);
      await store.workspaces.setUninstalled(workspace.id, null);
      await workerAt(store, at(5)).drain({ workspaceId: workspace.id });
      expect(escalations()).toEqual(['UOWNER']);
    });
  });
});
