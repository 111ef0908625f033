/** With an app token the app is built on Socket Mode (no public URL); without one, on HTTP. */
import { SocketModeReceiver, HTTPReceiver } from '@slack/bolt';
import { createApp } from '../../src/bot/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import type { Store } from '../../src/store/store';
import { FakeSlack } from '../support/fake-slack';

const store = {} as Store; // never touched: the apps below are built, not started

// Bolt checks its token (auth.test) as soon as an app is built: a fake Slack answers it.
const fake = new FakeSlack();
let built = 0;
beforeAll(async () => void (await fake.start()));
afterAll(async () => {
  while (fake.callsTo('auth.test').length < built) await new Promise((resolve) => setTimeout(resolve, 5));
  await fake.stop();
});

function receiverOf(env: Record<string, string>): unknown {
  built += 1;
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl, ...env });
  return (createApp({ config, store, logger: silentLogger, now: () => new Date() }).app as unknown as { receiver: unknown }).receiver;
}

describe('receiver choice', () => {
  it('Socket Mode when SLACK_APP_TOKEN is set', () => {
    expect(receiverOf({ SLACK_APP_TOKEN: 'xapp-1-abc' })).toBeInstanceOf(SocketModeReceiver);
  });

  it('Socket Mode connects through SLACK_API_URL like the Web API does', () => {
    const receiver = receiverOf({ SLACK_APP_TOKEN: 'xapp-1-abc' }) as { client: { webClientOptions: { slackApiUrl?: string } } };
    expect(receiver.client.webClientOptions.slackApiUrl).toBe(fake.apiUrl);
  });

  it('HTTP when it is not, or when SLACK_SOCKET_MODE=false', () => {
    expect(receiverOf({})).toBeInstanceOf(HTTPReceiver);
    expect(receiverOf({ SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SOCKET_MODE: 'false' })).toBeInstanceOf(HTTPReceiver);
  });
});
