/**
 * The alert channel set with SLACK_ALERT_CHANNEL (none chosen in settings): an owner's DM says "The
 * details and buttons are in <#alert channel>", and every rewrite of it keeps saying so: the
 * worker's after `/channels refresh`, after "Mark refreshed" pressed in the channel (DMs carry no
 * buttons), and a rewrite by a process that lacks SLACK_ALERT_CHANNEL. It once named the DM itself
 * (`<#UOWNER1>`): the rewrite fell back to the message's own channel.
 */
import { ACTION } from '../../src/bot/interactions';
import { createDeliveryClient } from '../../src/bot/delivery/client';
import { singlePort, SlackPortAdapter } from '../../src/bot/delivery/slack-port';
import { silentLogger } from '../../src/logger';
import type { SlackPorts } from '../../src/outbox/slack-port';
import { OutboxWorker } from '../../src/outbox/worker';
import { runCheck } from '../../src/runs/check-run';
import type { SlackCall } from '../support/fake-slack';
import { blockActions } from '../bot/support/payloads';
import { NOW, SlackHarness } from '../bot/support/slack-harness';
import { addChannel, BACKUP, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';

const ALERTS = 'C0ALERTS1';
const INTRO = /The details and buttons are in <#([A-Z0-9]+)>/;

type Block = { type: string; block_id?: string; text?: { text?: string }; elements?: { action_id?: string; value?: string }[] };

/** The channel a DM's text and blocks point at (null when it names none). */
function linkedChannel(call: SlackCall): string | null {
  const found = INTRO.exec(`${String(call.body.text)} ${JSON.stringify(call.body.blocks)}`);
  return found?.[1] ?? null;
}

describeEachDatabase('a DM rewritten with SLACK_ALERT_CHANNEL keeps linking the alert channel', (db) => {
  let slack: SlackHarness;
  /** The ts the fake Slack gave each post (its answers are not recorded with the calls). */
  const tsOf = new Map<SlackCall, string>();
  beforeAll(async () => {
    slack = await SlackHarness.start(db().store, { alertChannel: ALERTS });
    let next = 0;
    slack.fake.respond('chat.postMessage', (body, call) => {
      const ts = `1800000000.${String((next += 1)).padStart(6, '0')}`;
      tsOf.set(call, ts);
      return { channel: body.channel, ts };
    });
  });
  afterAll(async () => slack.stop());

  function slackPorts(): SlackPorts {
    const client = createDeliveryClient('xoxb-test', { slackApiUrl: slack.fake.apiUrl, timeoutMs: 2000 });
    return singlePort(new SlackPortAdapter({ client, logger: silentLogger, now: () => NOW, sleep: async () => undefined }));
  }

  /** A team without an alert channel in its settings, one channel due, checked and delivered as `serve` does. */
  async function delivered() {
    const { store } = db();
    const team = await newTeam(store);
    expect((await store.workspaces.getById(team)).alertChannel).toBeNull();
    await addChannel(store, team, { name: 'Acme Careers', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const worker = new OutboxWorker({ store, slack: slackPorts(), now: () => NOW, logger: silentLogger, holder: 'e2e', alertChannelFallback: ALERTS });
    slack.fake.reset();
    await runCheck({ store, outbox: { afterRecording: (workspaceId) => worker.drain({ workspaceId }) }, now: () => NOW, logger: silentLogger }, team);
    const posts = slack.fake.callsTo('chat.postMessage');
    expect(posts.map((c) => String(c.body.channel)).sort()).toEqual([ALERTS, BACKUP, OWNER].sort());
    const dm = posts.find((c) => c.body.channel === OWNER)!;
    expect(linkedChannel(dm)).toBe(ALERTS);
    return { store, team, worker, posts, dm };
  }

  /** Presses "Mark refreshed" on a posted message (the channel message or a DM), as Slack sends it. */
  async function pressMarkRefreshed(team: string, post: SlackCall, channel: string, ts: string) {
    const blocks = post.body.blocks as Block[];
    const actions = blocks.find((b) => b.elements?.some((e) => e.action_id === ACTION.markRefreshed));
    expect(actions).toBeDefined();
    const button = actions!.elements!.find((e) => e.action_id === ACTION.markRefreshed)!;
    const answer = await slack.interaction(
      blockActions({
        team,
        user: OWNER,
        actionId: ACTION.markRefreshed,
        value: button.value!,
        blockId: actions!.block_id,
        message: { channel, ts, blocks: blocks as never },
        responseUrl: slack.fake.responseUrl('press'),
      }),
    );
    expect(answer.status).toBe(200);
  }

  const dmUpdates = () => slack.fake.callsTo('chat.update').filter((c) => c.body.channel === OWNER || c.body.channel === BACKUP);

  it('after /channels refresh, the worker rewrites both DMs naming the alert channel', async () => {
    const { team, worker } = await delivered();
    slack.fake.reset();
    expect((await slack.command(team, OWNER, 'refresh Acme Careers')).status).toBe(200);
    await slack.response();
    expect((await worker.drain({ workspaceId: team })).updated).toBe(3);
    expect(dmUpdates()).toHaveLength(2);
    for (const update of dmUpdates()) expect(linkedChannel(update)).toBe(ALERTS);
  });

  it('rewritten by a process without SLACK_ALERT_CHANNEL (a check from a shell), the DM still names where its warnings are', async () => {
    const { store, team } = await delivered();
    const bare = new OutboxWorker({ store, slack: slackPorts(), now: () => NOW, logger: silentLogger, holder: 'e2e-bare' });
    slack.fake.reset();
    expect((await slack.command(team, OWNER, 'refresh Acme Careers')).status).toBe(200);
    await slack.response();
    expect((await bare.drain({ workspaceId: team })).updated).toBe(3);
    expect(dmUpdates()).toHaveLength(2);
    for (const update of dmUpdates()) expect(linkedChannel(update)).toBe(ALERTS);
  });

  it('"Mark refreshed" pressed in the channel: the worker then rewrites the DMs naming the alert channel', async () => {
    const { team, worker, posts } = await delivered();
    const post = posts.find((c) => c.body.channel === ALERTS)!;
    const [row] = (await db().store.warnings.listOpen(team)).filter((w) => w.kind === 'expiry');
    slack.fake.reset();
    await pressMarkRefreshed(team, post, ALERTS, row!.slackTs!);
    await slack.waitFor((calls) => calls.find((c) => c.method === 'chat.update' && c.body.channel === ALERTS));
    await worker.drain({ workspaceId: team });
    expect(dmUpdates()).toHaveLength(2);
    for (const update of dmUpdates()) expect(linkedChannel(update)).toBe(ALERTS);
  });
});
