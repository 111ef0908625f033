/** A channel owner's Slack account is deactivated: "owner gone" is posted at once, not at the next daily check. */
import { createDeliveryClient } from '../../src/bot/delivery/client';
import { singlePort, SlackPortAdapter } from '../../src/bot/delivery/slack-port';
import { runCheck } from '../../src/runs/check-run';
import { OutboxWorker } from '../../src/outbox/worker';
import type { SlackPorts } from '../../src/outbox/slack-port';
import type { Store } from '../../src/store/store';
import { silentLogger } from '../../src/logger';
import { eventually, NOW, SlackHarness } from '../bot/support/slack-harness';
import { addChannel, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('owner gone, at once', (db) => {
  let slack: SlackHarness;
  beforeAll(async () => {
    const { store } = db();
    // What serve wires: the bot asks for a check now; the check delivers through Slack.
    const checkNow = async (workspaceId: string) => {
      const delivery = singlePort(
        new SlackPortAdapter({
          client: createDeliveryClient('xoxb-test', { slackApiUrl: slack.fake.apiUrl }),
          logger: silentLogger,
          now: () => NOW,
          sleep: async () => undefined,
        }),
      );
      await runCheck({ store, outbox: drainingOutbox(store, delivery, () => NOW), now: () => NOW, logger: silentLogger }, workspaceId);
    };
    slack = await SlackHarness.start(store, { checkNow });
  });
  afterAll(async () => slack.stop());

  it('posts the owner_gone warning when the owner is deactivated, and only once for a retried event', async () => {
    const { store } = db();
    const team = await newTeam(store);
    await store.workspaces.updateSettings(team, { alertChannel: 'CALERTS' });
    // Healthy otherwise: refreshed recently, owner active, a backup.
    await addChannel(store, team, { name: 'Acme', connectedAt: '2026-01-10', lastRefreshedAt: '2026-06-01', ownerLastActiveAt: '2026-06-14' });
    const event = { type: 'user_change', user: { id: OWNER, team_id: team, name: 'owner', deleted: true } };
    await slack.event(team, event, `EvGONE${team}`);
    const post = await slack.waitFor((calls) => calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === 'CALERTS'));
    expect(JSON.stringify(post.body.blocks)).toContain('Acme');
    await eventually(async () => (await store.warnings.listOpen(team)).some((w) => w.kind === 'owner_gone' && w.state === 'posted'));
    await slack.event(team, event, `EvGONE${team}`); // Slack's retry of the same event
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CALERTS')).toHaveLength(1);
  });
});

/** What `channel-keeper check` does after recording: the outbox worker drains the workspace. */
function drainingOutbox(store: Store, slack: SlackPorts, now: () => Date) {
  const worker = new OutboxWorker({ store, slack, now, logger: silentLogger, holder: 'e2e' });
  return { afterRecording: (workspaceId: string) => worker.drain({ workspaceId }) };
}
