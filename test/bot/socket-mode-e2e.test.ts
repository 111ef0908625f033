/**
 * Socket Mode end to end: the app asks the fake Slack (SLACK_API_URL) for a connection with its app
 * token, connects to the WebSocket URL it answers (served by the test), and over that socket a
 * `/channels show` command and a press of a button on the card it answered are acknowledged
 * (envelope ids sent back) and answered, as Slack would deliver them.
 */
import type { KnownBlock } from '@slack/types';
import { createApp, type ChannelKeeperApp } from '../../src/bot/app';
import { ACTION } from '../../src/bot/interactions';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { FakeSocketMode } from '../support/fake-socket';
import { externalAddress } from '../support/network';
import { blockActions } from './support/payloads';
import { NOW, SlackHarness, TODAY } from './support/slack-harness';
import { addChannel, newTeam, OWNER } from './support/team';

type Block = KnownBlock & { block_id?: string; elements?: { action_id?: string; value?: string }[] };

describeEachDatabase('Socket Mode end to end', (db) => {
  const fake = new FakeSlack();
  const socket = new FakeSocketMode();
  let bot: ChannelKeeperApp;
  let port: number | null;

  beforeAll(async () => {
    await Promise.all([fake.start(), socket.start()]);
    fake.respond('apps.connections.open', () => ({ url: socket.url }));
    const config = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-socket', SLACK_SIGNING_SECRET: 'unused', SLACK_APP_TOKEN: 'xapp-1-socket', SLACK_API_URL: fake.apiUrl, PORT: '0' },
      process.cwd(),
      ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_API_URL', 'PORT'],
    );
    bot = createApp({ config: { ...config, database: db().store.target }, store: db().store, logger: silentLogger, now: () => NOW });
    port = await bot.start(0);
    await socket.whenConnected();
  });
  afterAll(async () => {
    await bot?.stop();
    // The client's close handshake ends before the servers go (else its 30 s fallback timer lingers).
    await socket.whenClosed();
    await Promise.all([socket.stop(), fake.stop()]);
  });

  it('connects through SLACK_API_URL with the app token', () => {
    const [open] = fake.callsTo('apps.connections.open');
    expect(open?.headers.authorization).toBe('Bearer xapp-1-socket');
  });

  it('answers /healthz and /readyz on loopback only (no HOST set), and serves no /metrics there', async () => {
    expect(port).toEqual(expect.any(Number));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({ ok: true });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
    await expect(fetch(`http://${externalAddress()}:${port}/healthz`)).rejects.toThrow();
  });

  it('acknowledges and answers a /channels command and a button press sent over the socket', async () => {
    const team = await newTeam(db().store);
    const connection = await addChannel(db().store, team, { name: 'Acme' });

    const command = {
      team_id: team,
      channel_id: 'CWORK',
      user_id: OWNER,
      command: '/channels',
      text: 'show Acme',
      api_app_id: 'A0001',
      response_url: fake.responseUrl(),
      trigger_id: `trigger-${uniqueId('')}`,
    };
    const commandAck = await socket.send('slash_commands', command, 'env-command');
    expect(commandAck).toMatchObject({ envelope_id: 'env-command' });
    const card = await waitForResponse(fake, 0);
    expect(SlackHarness.textOf(card)).toContain('Acme');

    const blocks = card.blocks as Block[];
    const block = blocks.find((b) => b.elements?.some((e) => e.action_id === ACTION.iWasActive))!;
    const button = block.elements!.find((e) => e.action_id === ACTION.iWasActive)!;
    const press = blockActions({
      team,
      user: OWNER,
      actionId: ACTION.iWasActive,
      value: button.value!,
      blockId: block.block_id,
      responseUrl: fake.responseUrl(),
    });
    const pressAck = await socket.send('interactive', press, 'env-press');
    expect(pressAck).toMatchObject({ envelope_id: 'env-press' });
    const reply = await waitForResponse(fake, 1);
    expect(SlackHarness.textOf(reply)).toContain('recorded the owner of *Acme* active on');
    expect((await db().store.connections.getById(team, connection.id)).ownerLastActiveAt).toBe(TODAY);
  });
});

/** The n-th message posted to a response_url (0 = first), once it arrives. */
async function waitForResponse(fake: FakeSlack, n: number): Promise<{ text?: unknown; blocks?: unknown }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const call = fake.callsTo('response_url')[n];
    if (call) return call.body as { text?: unknown; blocks?: unknown };
    if (Date.now() > deadline) throw new Error(`no answer ${n}; calls: ${fake.calls.map((c) => c.method).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
