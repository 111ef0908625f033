/**
 * "I'm on it" (docs/rules.md "Escalation"), pressed exactly as the delivery's builder made it,
 * through signed requests against the real Bolt app: it stops the climb, keeps the warning open
 * with its other buttons, and the message says who took it.
 */
import type { KnownBlock } from '@slack/types';
import { toWarningItem } from '../../../src/outbox/warning-item';
import { buildConnectionMessage } from '../../../src/bot/blocks/warning-message';
import { ACTION } from '../../../src/bot/interactions';
import { resolvePolicy } from '../../../src/rules/policy';
import type { Connection } from '../../../src/domain';
import { silentLogger } from '../../../src/logger';
import { OutboxWorker } from '../../../src/outbox/worker';
import { createDeliveryClient } from '../../../src/bot/delivery/client';
import { SlackPortAdapter } from '../../../src/bot/delivery/slack-port';
import type { Outgoing, SlackPort } from '../../../src/outbox/slack-port';
import type { EscalationRung, Warning } from '../../../src/domain';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { blockActions } from '../support/payloads';
import { NOW, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, BACKUP, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

type Element = { action_id?: string; value?: string };
type Block = KnownBlock & { block_id?: string; elements?: Element[] };

const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

describeEachDatabase('"I\'m on it" button', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  let tsCount = 500;

  /** A critical warning posted five hours ago, stored and built as the delivery does. */
  async function posted(team: string, c: Connection) {
    const [made] = await store().warnings.upsertMany([newWarning(team, c.id, { stage: '3d', severity: 'critical', dueAt: '2026-06-18' })]);
    const [claimed] = await store().outbox.claimDue({ limit: 1, holder: 'test', now: NOW, workspaceIds: [team] });
    expect(claimed?.id).toBe(made!.id);
    const ts = `1700000000.${String(++tsCount).padStart(6, '0')}`;
    await store().outbox.markPosted(claimed!.id, { channel: 'CALERTS', ts, now: hoursFromNow(-5) }, claimed!.claimedBy!);
    const warning = (await store().warnings.findById(team, made!.id))!;
    await store().postedMessages.recordMessage({ workspaceId: team, channel: 'CALERTS', ts, kind: 'alert', warnings: [warning] });
    const workspace = (await store().workspaces.findById(team))!;
    const item = toWarningItem(warning, c, { today: TODAY, policy: resolvePolicy(c.network, workspace.policyOverrides) });
    return { warning, ts, blocks: buildConnectionMessage([item]).blocks };
  }

  function press(team: string, user: string, blocks: KnownBlock[], ts: string) {
    const block = (blocks as Block[]).find((b) => b.elements?.some((e) => e.action_id === ACTION.acknowledge));
    const element = block!.elements!.find((e) => e.action_id === ACTION.acknowledge)!;
    return slack().interaction(
      blockActions({
        team,
        user,
        actionId: ACTION.acknowledge,
        value: element.value!,
        blockId: block!.block_id,
        responseUrl: slack().fake.responseUrl(),
        message: { channel: 'CALERTS', ts, blocks },
      }),
    );
  }

  /** Runs the climb of `team` at `now` (other suites share the database), recording the steps' messages instead of sending them. */
  async function climb(team: string, now: Date): Promise<{ warning: Warning; rung: EscalationRung }[]> {
    const sent: { warning: Warning; rung: EscalationRung }[] = [];
    const port: SlackPort = {
      window: () => ({ deadline: now }),
      async post(to, message: Outgoing) {
        if (message.kind === 'escalation_dm' || message.kind === 'escalation_post')
          for (const { item, rung } of message.escalated) if (item.warning) sent.push({ warning: item.warning, rung });
        return { ok: true, channel: to, ts: `${now.getTime() / 1000}` };
      },
      update: async (channel, ts) => ({ ok: true, channel, ts }),
      findPosts: async () => new Map(),
    };
    // The worker's own pass: the steps due are taken, and their messages sent through the port.
    const worker = new OutboxWorker({ store: store(), slack: { forWorkspace: () => port }, now: () => now, logger: silentLogger, holder: 'climb' });
    await worker.drain({ workspaceId: team });
    return sent;
  }

  it('stops the climb, keeps the warning open with its fix buttons, and the message says who took it', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, blocks, ts } = await posted(team, c);
    // Five hours without an action: the owner has been told.
    expect((await climb(team, NOW)).map((s) => [s.warning.id, s.rung.to])).toEqual([[warning.id, 'owner']]);

    expect((await press(team, BACKUP, blocks, ts)).status).toBe(200);
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(update.body).toMatchObject({ channel: 'CALERTS', ts });
    const shown = JSON.stringify(update.body.blocks);
    expect(shown).toContain(`<@${BACKUP}> is on it`);
    expect(shown).toContain('Escalated to the owner');
    expect(shown).toContain(ACTION.markRefreshed);
    expect(shown).not.toContain(ACTION.acknowledge);

    expect(await store().warnings.findById(team, warning.id)).toMatchObject({ state: 'posted', acknowledgedBy: BACKUP, acknowledgedAt: NOW });
    const events = (await store().audit.list(team, { connectionId: c.id })).filter((e) => e.action.startsWith('warning.'));
    expect(events.map((e) => [e.action, e.actorId])).toEqual([
      ['warning.acknowledge', BACKUP],
      ['warning.escalate', 'system'],
    ]);
    expect(events[0]!.details).toEqual({ warnings: [warning.id] });
    // No step after it, however long nobody fixes it.
    expect(await climb(team, hoursFromNow(200))).toEqual([]);
  });

  it('"I’m on it" in a batched channel post’s item menu, pressed as posted, takes that warning only', async () => {
    const team = await newTeam(store());
    await store().workspaces.updateSettings(team, { alertChannel: 'CALERTS', escalation: { critical: [{ to: 'channel', afterHours: 2 }] } });
    const taken = await posted(team, await addChannel(store(), team, { name: 'Acme Taken' }));
    const other = await posted(team, await addChannel(store(), team, { name: 'Acme Other' }));
    // The worker's own pass through the real Slack adapter, to the harness's Slack; what Slack answered is kept.
    const client = createDeliveryClient('xoxb-test', { slackApiUrl: slack().fake.apiUrl, timeoutMs: 10_000 });
    const adapter = new SlackPortAdapter({ client, logger: silentLogger, now: () => NOW });
    const answers: { channel: string; ts: string }[] = [];
    const port: SlackPort = {
      window: () => adapter.window(),
      async post(to, message, options) {
        const result = await adapter.post(to, message, options);
        if (result.ok && message.kind === 'escalation_post') answers.push(result);
        return result;
      },
      update: (channel, ts, message) => adapter.update(channel, ts, message),
      findPosts: (conversation, ids, since, carrying) => adapter.findPosts(conversation, ids, since, carrying),
    };
    await new OutboxWorker({ store: store(), slack: { forWorkspace: () => port }, now: () => NOW, logger: silentLogger, holder: 'batch' }).drain({
      workspaceId: team,
    });
    expect(answers).toHaveLength(1);
    const [{ ts }] = answers as [{ channel: string; ts: string }];
    const call = slack()
      .fake.callsTo('chat.postMessage')
      .find((c) => c.body.channel === 'CALERTS' && String(c.body.text).startsWith('⏫'))!;
    const blocks = (typeof call.body.blocks === 'string' ? JSON.parse(call.body.blocks) : call.body.blocks) as Block[];
    const section = blocks.find((b) => b.block_id === `ck_item_${taken.warning.id}`) as Block & {
      accessory: { options: { text: { text: string }; value: string }[] };
    };
    const option = section.accessory.options.find((o) => o.text.text === 'I’m on it')!;
    slack().fake.reset();

    await slack().interaction(
      blockActions({
        team,
        user: BACKUP,
        actionId: ACTION.itemMenu,
        value: '',
        type: 'overflow',
        blockId: section.block_id,
        responseUrl: slack().fake.responseUrl(),
        selectedOption: option.value,
        message: { channel: 'CALERTS', ts, blocks },
      }),
    );
    const update = await slack().waitFor((calls) => calls.find((c) => c.method === 'chat.update' && c.body.ts === ts));
    expect(update.body.channel).toBe('CALERTS');
    expect(JSON.stringify(update.body.blocks)).toContain(`<@${BACKUP}> is on it`);
    // The other warning keeps its own "I'm on it".
    const rewritten = (typeof update.body.blocks === 'string' ? JSON.parse(update.body.blocks) : update.body.blocks) as Block[];
    expect(JSON.stringify(rewritten.find((b) => b.block_id === `ck_item_${other.warning.id}`))).toContain(ACTION.acknowledge);
    expect(await store().warnings.findById(team, taken.warning.id)).toMatchObject({ state: 'posted', acknowledgedBy: BACKUP });
    expect((await store().warnings.findById(team, other.warning.id))?.acknowledgedBy).toBeNull();
  });

  it('a second press says who took it already and changes nothing', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, blocks, ts } = await posted(team, c);
    await press(team, OWNER, blocks, ts);
    await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    slack().fake.reset();
    await press(team, LEAD, blocks, ts);
    const reply = await slack().response();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(`<@${OWNER}> already took`);
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
    expect((await store().warnings.findById(team, warning.id))?.acknowledgedBy).toBe(OWNER);
  });

  it('is refused to someone who does not look after the channel, and the climb goes on', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, blocks, ts } = await posted(team, c);
    await press(team, MEMBER, blocks, ts);
    expect((await slack().response()).text).toContain("Only the channel's owner");
    expect((await store().warnings.findById(team, warning.id))?.acknowledgedBy).toBeNull();
    expect((await climb(team, NOW)).map((s) => s.rung.to)).toEqual(['owner']);
  });

  it('a value that names no warning is not ours', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await slack().interaction(
      blockActions({
        team,
        user: OWNER,
        actionId: ACTION.acknowledge,
        value: JSON.stringify({ connectionId: c.id, warningIds: [] }),
        responseUrl: slack().fake.responseUrl(),
      }),
    );
    expect((await slack().response()).text).toContain('does not name a channel');
  });
});
