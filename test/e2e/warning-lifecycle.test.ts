/**
 * A warning's whole life through the real pieces: a check run records it and the Slack delivery
 * posts it (fake Slack on loopback); "Mark refreshed" is pressed with a signed block_actions
 * payload; the database, the audit trail and the message change; the next run posts nothing. A
 * warning resolved from a command has every message carrying it rewritten (channel and DMs); a
 * delivery Slack refuses fails, tells the admins once, and is tried again when the bot is invited.
 */
import { ACTION } from '../../src/bot/interactions';
import { createDeliveryClient } from '../../src/bot/delivery/client';
import { singlePort, SlackPortAdapter } from '../../src/bot/delivery/slack-port';
import { runCheck } from '../../src/runs/check-run';
import { OutboxWorker } from '../../src/outbox/worker';
import type { SlackPorts } from '../../src/outbox/slack-port';
import type { Store } from '../../src/store/store';
import { silentLogger } from '../../src/logger';
import { blockActions } from '../bot/support/payloads';
import { eventually, NOW, SlackHarness } from '../bot/support/slack-harness';
import { ADMIN, addChannel, BACKUP, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('a warning from check to button', (db) => {
  let slack: SlackHarness;
  beforeAll(async () => (slack = await SlackHarness.start(db().store)));
  afterAll(async () => slack.stop());

  it('is posted once, acted on from Slack, updated in place and not posted again for that cycle', async () => {
    const { store } = db();
    const team = await newTeam(store);
    await store.workspaces.updateSettings(team, { alertChannel: 'CALERTS' });
    // 2025-06-20 + 365 days = 2026-06-20: five days left on NOW (2026-06-15), the 7d stage.
    const channel = await addChannel(store, team, { name: 'Acme Careers', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const delivery = slackPorts();

    const first = await runCheck({ store, outbox: drainingOutbox(store, delivery, () => NOW), now: () => NOW, logger: silentLogger }, team);
    expect(first.warnings.map((w) => `${w.kind}:${w.stage}`)).toEqual(['expiry:7d', 'refresh_due:overdue']);
    const posts = slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CALERTS');
    const expiryPost = posts.find((c) => JSON.stringify(c.body.blocks).includes('expires in 5 days'))!;
    expect(expiryPost).toBeDefined();
    const [expiryRow] = (await store.warnings.listOpen(team)).filter((w) => w.kind === 'expiry');
    expect(expiryRow).toMatchObject({ state: 'posted', slackChannel: 'CALERTS' });

    // The "Mark refreshed" button exactly as it was posted.
    const blocks = expiryPost.body.blocks as { type: string; block_id?: string; elements?: { action_id?: string; value?: string }[] }[];
    const actions = blocks.find((b) => b.elements?.some((e) => e.action_id === ACTION.markRefreshed))!;
    const button = actions.elements!.find((e) => e.action_id === ACTION.markRefreshed)!;
    slack.fake.reset();
    const press = () =>
      slack.interaction(
        blockActions({
          team,
          user: OWNER,
          actionId: ACTION.markRefreshed,
          value: button.value!,
          blockId: actions.block_id,
          message: { channel: 'CALERTS', ts: expiryRow!.slackTs!, blocks: blocks as never },
          responseUrl: slack.fake.responseUrl('press'),
        }),
      );
    expect((await press()).status).toBe(200);
    const update = await slack.waitFor((calls) => calls.find((c) => c.method === 'chat.update'));
    expect(update.body).toMatchObject({ channel: 'CALERTS', ts: expiryRow!.slackTs });
    expect(JSON.stringify(update.body.blocks)).toContain(`<@${OWNER}>`);

    const refreshed = await store.connections.getById(team, channel.id);
    expect(refreshed.lastRefreshedAt).toBe('2026-06-15');
    // Found by action: the refresh carries the app's clock (this test's June), the channel's creation the database's.
    const refreshEvents = (await store.audit.list(team, { connectionId: channel.id })).filter((e) => e.action === 'connection.refresh');
    expect(refreshEvents).toEqual([expect.objectContaining({ actorId: OWNER })]);
    expect(await store.warnings.findById(team, expiryRow!.id)).toMatchObject({ state: 'resolved', resolvedBy: OWNER });

    // A double click (or Slack's retry) changes nothing twice.
    await press();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await store.audit.list(team, { connectionId: channel.id })).filter((e) => e.action === 'connection.refresh')).toHaveLength(1);

    slack.fake.reset();
    const next = await runCheck({ store, outbox: drainingOutbox(store, delivery, () => NOW), now: () => NOW, logger: silentLogger }, team);
    expect(next.warnings).toEqual([]);
    expect(slack.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  function slackPorts(): SlackPorts {
    const client = createDeliveryClient('xoxb-test', { slackApiUrl: slack.fake.apiUrl, timeoutMs: 2000 });
    return singlePort(new SlackPortAdapter({ client, logger: silentLogger, now: () => NOW, sleep: async () => undefined }));
  }

  it('resolved from a command: the channel message and the DMs that carried it are rewritten, saying who did it', async () => {
    const { store } = db();
    const team = await newTeam(store);
    await store.workspaces.updateSettings(team, { alertChannel: 'CFOLLOWCMD' });
    await addChannel(store, team, { name: 'Globex', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const worker = new OutboxWorker({ store, slack: slackPorts(), now: () => NOW, logger: silentLogger, holder: 'e2e' });
    slack.fake.reset();
    await runCheck({ store, outbox: { afterRecording: (workspaceId) => worker.drain({ workspaceId }) }, now: () => NOW, logger: silentLogger }, team);
    const posted = slack.fake.callsTo('chat.postMessage').map((c) => String(c.body.channel));
    expect(posted.sort()).toEqual([BACKUP, 'CFOLLOWCMD', OWNER].sort()); // one channel message, one DM each

    slack.fake.reset();
    expect((await slack.command(team, OWNER, 'refresh Globex')).status).toBe(200);
    await slack.response();
    expect((await store.warnings.listOpen(team)).filter((w) => w.state !== 'resolved')).toEqual([]);
    // The worker (woken, or on its next pass) rewrites every message that carried them.
    expect((await worker.drain({ workspaceId: team })).updated).toBe(3);
    const updates = slack.fake.callsTo('chat.update');
    expect(updates.map((u) => String(u.body.channel)).sort()).toEqual([BACKUP, 'CFOLLOWCMD', OWNER].sort());
    for (const update of updates) {
      expect(JSON.stringify(update.body.blocks)).toContain(`by <@${OWNER}>`);
      expect(JSON.stringify(update.body.blocks)).not.toContain('"type":"button"');
    }
  });

  it('refused by Slack (bot not in the channel): failed with why, the admins told once, tried again when the bot is invited', async () => {
    const { store } = db();
    const team = await newTeam(store);
    await store.workspaces.updateSettings(team, { alertChannel: 'CNOTIN' });
    await addChannel(store, team, { name: 'Initech', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const worker = new OutboxWorker({ store, slack: slackPorts(), now: () => NOW, logger: silentLogger, holder: 'e2e' });
    const check = () =>
      runCheck({ store, outbox: { afterRecording: (workspaceId) => worker.drain({ workspaceId }) }, now: () => NOW, logger: silentLogger }, team);
    const adminNotices = () => slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === ADMIN);
    slack.fake.reset();
    slack.fake.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    await check();
    expect(await store.warnings.countByState(team)).toEqual({ failed: 2 });
    expect((await store.warnings.listByState(team, 'failed')).map((w) => w.lastError)).toEqual(Array(2).fill(expect.stringContaining('not in <#CNOTIN>')));
    expect(adminNotices()).toHaveLength(1);

    // The same problem for another channel's warnings: failed too, and the admins are not told again.
    await addChannel(store, team, { name: 'Umbrella', connectedAt: '2025-06-21', ownerLastActiveAt: '2026-06-10' });
    slack.fake.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    await check();
    expect(await store.warnings.countByState(team)).toEqual({ failed: 4 });
    expect(adminNotices()).toHaveLength(1);

    // Someone invites the bot: Slack sends member_joined_channel for it, and the failed rows are tried again.
    expect((await slack.event(team, { type: 'member_joined_channel', user: 'UBOT', channel: 'CNOTIN', channel_type: 'C', team })).status).toBe(200);
    await eventually(async () => (await store.warnings.countByState(team)).pending === 4);
    expect(await worker.drain({ workspaceId: team })).toMatchObject({ posted: 4, failed: 0 });
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CNOTIN').length).toBeGreaterThanOrEqual(3);
  });
});

/** What `channel-keeper check` does after recording: the outbox worker drains the workspace. */
function drainingOutbox(store: Store, slack: SlackPorts, now: () => Date) {
  const worker = new OutboxWorker({ store, slack, now, logger: silentLogger, holder: 'e2e' });
  return { afterRecording: (workspaceId: string) => worker.drain({ workspaceId }) };
}
