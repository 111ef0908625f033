/**
 * Escalation batched per recipient (docs/rules.md "Escalation"), with the real Slack delivery against
 * the fake Slack and an injected clock: 400 warnings nobody acts on climb together, and each step
 * gives each person one DM and the alert channel one post, with the true totals; what climbs to
 * someone within the window after their DM waits for the window's end and comes as one more DM; a
 * batch Slack took before its replica died is found by its ids and not sent again.
 */
import { expandIds } from '../../src/bot/delivery/slack-sender';
import type { EscalationSettings, Severity } from '../../src/domain';
import { escalateDue, sendEscalationBatch } from '../../src/outbox/escalate';
import { DEFAULT_LEASE_MS } from '../../src/outbox/worker';
import { silentLogger } from '../../src/logger';
import { acknowledgeWarnings } from '../../src/services/escalation';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { newWarning } from '../support/factories';
import { FakeClock, fakeSlackForFile, makeDelivery, seed, workerFor, type Posted } from '../bot/delivery/harness';

const slack = fakeSlackForFile();
// Later than any audit event the seeding writes with the real clock.
const T0 = new Date('2030-01-07T09:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const minutes = (base: Date, m: number) => new Date(base.getTime() + m * 60_000);
/** The escalation messages Slack took. */
const escalations = () => slack.posted.filter((p) => p.text.startsWith('⏫'));
const idsOf = (post: Posted) => expandIds(String((post.metadata as { event_payload: Record<string, string> }).event_payload.escalation_ids));
const introOf = (post: Posted) => JSON.stringify(post.blocks[0]);

const OWNERS = Array.from({ length: 8 }, (_, i) => `UOWNER${i}`);
const LEADS = ['ULEAD0', 'ULEAD1'];
/** Both severities climb one ladder here (owner, team leaders, alert channel), so every warning takes each step in the same pass. */
const RUNGS: EscalationSettings['critical'] = [
  { to: 'owner', afterHours: 4 },
  { to: 'leaders', afterHours: 4 },
  { to: 'channel', afterHours: 4 },
];
const LADDER: EscalationSettings = { critical: RUNGS, at_risk: RUNGS };
/** Seeding and four hundred warnings' steps take a while on a busy machine. */
const SLOW = 240_000;

/** serve's default grouping window (OUTBOX_GROUP_INTERVAL_MS). */
const FIVE_MINUTES = 5 * 60_000;

function workerAt(store: Store, now: Date, holder = 'w1') {
  return workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => now, { holder, groupIntervalMs: FIVE_MINUTES });
}

describeEachDatabase('escalation batched per recipient', (db) => {
  /**
   * `n` channels, each with one warning (one in five at risk, the rest critical), owned in turn by
   * eight owners, posted at the given times (T0 by default) and left alone.
   */
  async function team(n: number, postedAt: (i: number) => Date = () => T0) {
    const { store } = db();
    const { workspace, connections } = await seed(store, {
      alertChannel: 'CBATCH',
      connections: Array.from({ length: n }, (_, i) => ({ name: `Page ${i}`, ownerId: OWNERS[i % OWNERS.length] })),
      warningsPer: 0,
    });
    for (const lead of LEADS) await store.members.upsert(workspace.id, lead, { role: 'team_leader' });
    await store.workspaces.updateSettings(workspace.id, { escalation: LADDER });
    const severities: Severity[] = [];
    const made = [...connections.values()].map((c, i) => {
      severities.push(i % 5 === 0 ? 'at_risk' : 'critical');
      return newWarning(workspace.id, c.id, { severity: severities[i], stage: '3d', dueAt: '2030-01-10', cycle: '2030-01-01' });
    });
    await store.warnings.upsertMany(made);
    // Posted as a check's delivery leaves them (what that first message looks like is another suite's).
    const claimed = await store.outbox.claimDue({ limit: n, holder: 'seed', now: T0, workspaceId: workspace.id });
    expect(claimed).toHaveLength(n);
    for (const [i, row] of claimed.entries())
      await store.outbox.markPosted(row.id, { channel: 'CBATCH', ts: `1700000000.${String(i).padStart(6, '0')}`, now: postedAt(i) }, row.claimedBy!);
    const list = [...connections.values()].map((c, i) => ({ owner: c.ownerId!, severity: severities[i]! }));
    return { store, workspace, list };
  }

  /** "🔴 320 critical · 🟠 80 at risk", counted from what was seeded. */
  const totals = (list: { severity: Severity }[]) => {
    const critical = list.filter((w) => w.severity === 'critical').length;
    return [...(critical ? [`🔴 ${critical} critical`] : []), ...(list.length - critical ? [`🟠 ${list.length - critical} at risk`] : [])].join(' · ');
  };

  it(
    '400 warnings nobody acts on: each step gives each person one DM and the alert channel one post, with the true totals',
    async () => {
      const { store, workspace, list } = await team(400);
      const steps: [number, string[], (person: string) => typeof list][] = [
        [4, OWNERS, (p) => list.filter((w) => w.owner === p)],
        [8, LEADS, () => list],
        [12, ['CBATCH'], () => list],
      ];
      for (const [hours, recipients, theirs] of steps) {
        const before = escalations().length;
        expect(await workerAt(store, at(hours)).drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 400 });
        const sent = escalations().slice(before);
        expect(sent.map((p) => p.channel).sort()).toEqual([...recipients].sort());
        for (const post of sent) {
          const mine = theirs(post.channel);
          expect(idsOf(post)).toHaveLength(mine.length);
          expect(post.text).toContain(`${mine.length} warnings nobody acted on (${totals(mine)})`);
        }
        // Later passes, within the window and after it, send nothing more for this step.
        await workerAt(store, minutes(at(hours), 1)).drain({ workspaceId: workspace.id });
        await workerAt(store, minutes(at(hours), 10)).drain({ workspaceId: workspace.id });
        expect(escalations()).toHaveLength(before + recipients.length);
      }
      // The channel post names every owner concerned once, and lists the most urgent with their menus.
      const post = escalations().at(-1)!;
      for (const person of OWNERS) expect(introOf(post).split(`<@${person}>`)).toHaveLength(2);
      expect(JSON.stringify(post.blocks)).toContain('ck_acknowledge');
      expect(JSON.stringify(post.blocks)).toMatch(/and \d+ more/);
      expect(await store.escalationMessages.countPending(at(30), workspace.id)).toEqual({ due: 0, later: 0 });
    },
    SLOW,
  );

  it('what climbs to a person within the window after their DM waits for the window’s end, then comes as one DM', async () => {
    // Three of UOWNER0's channels (every eighth), posted a minute apart.
    const { store, workspace } = await team(17, (i) => minutes(T0, Math.floor(i / 8)));
    const ownerDms = () => escalations().filter((p) => p.channel === 'UOWNER0');
    await workerAt(store, at(4)).drain({ workspaceId: workspace.id });
    expect(ownerDms().map((p) => idsOf(p).length)).toEqual([1]);
    expect(await workerAt(store, minutes(at(4), 1)).drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 8 });
    expect(await workerAt(store, minutes(at(4), 2)).drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 1 });
    await workerAt(store, minutes(at(4), 4.9)).drain({ workspaceId: workspace.id });
    expect(ownerDms()).toHaveLength(1);
    await workerAt(store, minutes(at(4), 5.1)).drain({ workspaceId: workspace.id });
    expect(ownerDms().map((p) => idsOf(p).length)).toEqual([1, 2]);
    expect(ownerDms()[1]!.text).toContain('2 warnings nobody acted on');
  });

  it('the window is the worker’s to set (the alert channel grouping’s window)', async () => {
    // UOWNER0's second channel is posted half a minute after the first.
    const { store, workspace } = await team(9, (i) => minutes(T0, i < 8 ? 0 : 0.5));
    const ownerDms = () => escalations().filter((p) => p.channel === 'UOWNER0');
    const worker = (now: Date) => workerFor(makeDelivery(store, slack.fake, new FakeClock()), () => now, { holder: 'w1', groupIntervalMs: 60_000 });
    await worker(at(4)).drain({ workspaceId: workspace.id });
    expect(await worker(minutes(at(4), 0.5)).drain({ workspaceId: workspace.id })).toMatchObject({ escalated: 1 });
    await worker(minutes(at(4), 0.9)).drain({ workspaceId: workspace.id });
    expect(ownerDms()).toHaveLength(1);
    // A minute after the first DM, not five.
    await worker(minutes(at(4), 1.1)).drain({ workspaceId: workspace.id });
    expect(ownerDms()).toHaveLength(2);
  });

  it('a batch Slack took before its replica died is found by its ids, not sent again, and follows its warnings', async () => {
    const { store, workspace } = await team(24);
    await escalateDue({ store, logger: silentLogger, now: () => at(4) }, { workspaceId: workspace.id });
    const conversation = { workspaceId: workspace.id, recipient: 'UOWNER0', channel: null };
    const claimed = await store.escalationMessages.claimConversation(conversation, { limit: 100, holder: 'dead', now: at(4) });
    expect(claimed).toHaveLength(3);
    // What the dying replica did: Slack took the DM; its answer never reached the database.
    const port = makeDelivery(store, slack.fake, new FakeClock()).slack.forWorkspace(workspace.id);
    await sendEscalationBatch({ store, now: () => at(4) }, port, claimed);
    const dm = () => escalations().filter((p) => p.channel === 'UOWNER0');
    expect(dm()).toHaveLength(1);

    await workerAt(store, new Date(at(4).getTime() + DEFAULT_LEASE_MS + 1000), 'w2').drain({ workspaceId: workspace.id });
    expect(dm()).toHaveLength(1);
    expect(slack.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    // Every other owner got their DM in that pass.
    expect(
      escalations()
        .map((p) => p.channel)
        .sort(),
    ).toEqual([...OWNERS].sort());
    // Stored with all three warnings: "I'm on it" on one of them rewrites the DM found in the history.
    const [first] = claimed;
    const warning = (await store.warnings.findById(workspace.id, first!.warningId))!;
    const connection = (await store.connections.findById(workspace.id, warning.connectionId))!;
    await acknowledgeWarnings({ store, now: () => at(5) }, { workspace, actor: { userId: 'UOWNER0', role: 'member' } }, connection, [warning.id]);
    await workerAt(store, at(5)).drain({ workspaceId: workspace.id });
    const update = slack.fake.callsTo('chat.update').find((u) => u.body.ts === dm()[0]!.ts);
    expect(update).toBeDefined();
    expect(JSON.stringify(update!.body.blocks)).toContain('<@UOWNER0> is on it');
  });
  it('a repeat sends in a new DM only what the batch found in the history did not carry', async () => {
    // UOWNER0's channels 0, 8 and 16 climb at 4 h; channel 24, posted a minute later, a minute after.
    const { store, workspace } = await team(25, (i) => minutes(T0, i === 24 ? 1 : 0));
    await escalateDue({ store, logger: silentLogger, now: () => at(4) }, { workspaceId: workspace.id });
    const conversation = { workspaceId: workspace.id, recipient: 'UOWNER0', channel: null };
    const claimed = await store.escalationMessages.claimConversation(conversation, { limit: 100, holder: 'dead', now: at(4) });
    const port = makeDelivery(store, slack.fake, new FakeClock()).slack.forWorkspace(workspace.id);
    await sendEscalationBatch({ store, now: () => at(4) }, port, claimed);

    await workerAt(store, new Date(at(4).getTime() + DEFAULT_LEASE_MS + 1000), 'w2').drain({ workspaceId: workspace.id });
    const dms = escalations().filter((p) => p.channel === 'UOWNER0');
    expect(dms.map((p) => idsOf(p).length)).toEqual([3, 1]);
    expect(idsOf(dms[1]!)).not.toContain(String(claimed[0]!.id));
    expect(await store.escalationMessages.countPending(at(5), workspace.id)).toEqual({ due: 0, later: 0 });
  });
});
