/**
 * One item per connection and fix, as posted and pressed: a check finds a token about to expire and
 * an overdue refresh on one channel; the alert channel gets one item "refresh before <date>" with
 * both reasons, and its "I'm on it" and "Snooze", pressed as posted, act on both rows.
 */
import type { KnownBlock } from '@slack/types';
import { createDeliveryClient } from '../../../src/bot/delivery/client';
import { singlePort, SlackPortAdapter } from '../../../src/bot/delivery/slack-port';
import { ACTION, CODEC } from '../../../src/bot/interactions';
import { silentLogger } from '../../../src/logger';
import { OutboxWorker } from '../../../src/outbox/worker';
import { runCheck } from '../../../src/runs/check-run';
import { describeEachDatabase } from '../../support/databases';
import { blockActions } from '../support/payloads';
import { NOW, slackPerSuite } from '../support/slack-harness';
import { addChannel, BACKUP, newTeam, OWNER } from '../support/team';

type Element = { type: string; action_id?: string; value?: string; options?: { text: { text: string }; value: string }[] };
type Block = KnownBlock & { block_id?: string; elements?: Element[] };

describeEachDatabase('one item per connection and fix', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  /** Runs the check of `team` and posts what it found through the real Slack adapter to the fake Slack. */
  async function checkAndPost(team: string) {
    const client = createDeliveryClient('xoxb-test', { slackApiUrl: slack().fake.apiUrl, timeoutMs: 2000 });
    const port = new SlackPortAdapter({ client, logger: silentLogger, now: () => NOW, sleep: async () => undefined });
    const worker = new OutboxWorker({ store: store(), slack: singlePort(port), now: () => NOW, logger: silentLogger, holder: 'merged' });
    return runCheck({ store: store(), outbox: { afterRecording: (workspaceId) => worker.drain({ workspaceId }) }, now: () => NOW, logger: silentLogger }, team);
  }

  function press(team: string, user: string, actionId: string, post: { ts: string; blocks: Block[] }, selectedOption?: string) {
    const block = post.blocks.find((b) => b.elements?.some((e) => e.action_id === actionId))!;
    const element = block.elements!.find((e) => e.action_id === actionId)!;
    return slack().interaction(
      blockActions({
        team,
        user,
        actionId,
        value: selectedOption === undefined ? element.value! : '',
        selectedOption,
        blockId: block.block_id,
        responseUrl: slack().fake.responseUrl(),
        message: { channel: 'CALERTS', ts: post.ts, blocks: post.blocks },
      }),
    );
  }

  it('posts one item "refresh before <date>" with both reasons; "I\'m on it" and "Snooze", pressed as posted, act on both rows', async () => {
    const team = await newTeam(store());
    await store().workspaces.updateSettings(team, { alertChannel: 'CALERTS' });
    // 2025-06-20 + 365 days = 2026-06-20, five days after NOW; the refresh has been overdue since 2025-10-18.
    await addChannel(store(), team, { name: 'Acme Careers', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const run = await checkAndPost(team);
    expect(run.warnings.map((w) => w.kind).sort()).toEqual(['expiry', 'refresh_due']);
    const rows = (await store().warnings.listOpen(team)).filter((w) => w.state === 'posted');
    expect(rows).toHaveLength(2);
    const ids = rows.map((w) => w.id).sort((a, b) => a - b);

    const posts = slack()
      .fake.callsTo('chat.postMessage')
      .filter((c) => c.body.channel === 'CALERTS');
    expect(posts).toHaveLength(1);
    const blocks = posts[0]!.body.blocks as Block[];
    const shown = JSON.stringify(blocks);
    expect(shown).toContain(
      'LinkedIn “Acme Careers”: refresh before 2026-06-20. Token expires in 5 days, on 2026-06-20 (predicted from the connection on 2025-06-20).',
    );
    expect(shown).toContain('the refresh has been overdue since 2025-10-18');
    expect(shown.match(/Token expires in 5 days/g)).toHaveLength(1);
    expect(shown).toContain('*Refresh before*\\n2026-06-20');
    // One item: one actions block, one "Mark refreshed".
    expect(blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
    expect(shown.match(new RegExp(ACTION.markRefreshed, 'g'))).toHaveLength(1);
    expect(String(posts[0]!.body.text)).not.toMatch(/at_risk|refresh_due/);
    // The DMs list it once too.
    for (const user of [OWNER, BACKUP]) {
      const dm = slack()
        .fake.callsTo('chat.postMessage')
        .find((c) => c.body.channel === user)!;
      expect(JSON.stringify(dm.body.blocks).match(/Token expires in 5 days/g)).toHaveLength(1);
    }
    const post = { ts: rows[0]!.slackTs!, blocks };

    slack().fake.reset();
    expect((await press(team, BACKUP, ACTION.acknowledge, post)).status).toBe(200);
    const acked = await slack().waitFor((calls) => calls.find((c) => c.method === 'chat.update'));
    expect(JSON.stringify(acked.body.blocks)).toContain(`<@${BACKUP}> is on it`);
    for (const id of ids) expect((await store().warnings.findById(team, id))?.acknowledgedBy).toBe(BACKUP);

    slack().fake.reset();
    const snooze = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.snooze)!;
    const sevenDays = snooze.options!.find((o) => o.text.text === 'Snooze 7 days')!;
    expect(CODEC.snoozeOption.decode(sevenDays.value)?.warningIds.sort((a, b) => a - b)).toEqual(ids);
    expect((await press(team, OWNER, ACTION.snooze, post, sevenDays.value)).status).toBe(200);
    const snoozed = await slack().waitFor((calls) => calls.find((c) => c.method === 'chat.update'));
    const after = JSON.stringify(snoozed.body.blocks);
    // The item says what was done, for both rows, and its buttons are gone: the message is settled.
    expect(after).toContain(`<@${OWNER}> snoozed 2 warnings of *Acme Careers*`);
    expect(after).toContain('✅ Settled');
    expect(after).not.toContain(ACTION.snooze);
    for (const id of ids) expect((await store().warnings.findById(team, id))?.state).toBe('snoozed');
  });
});
