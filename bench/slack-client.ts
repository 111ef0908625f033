/**
 * The Slack side of bench/slack.ts, in its own process so that the bot's CPU work cannot delay
 * the client's clock: a fake Slack Web API (which also receives the response_url posts) and a
 * sender of signed `/channels status` requests, one after the other.
 */
import { createHmac } from 'node:crypto';
import { FakeSlack } from '../test/support/fake-slack';

export interface ClientStart {
  port: number;
  team: string;
  user: string;
  secret: string;
  requests: number;
  warmup: number;
}

export interface ClientResult {
  ackMs: number[];
  responseMs: number[];
}

async function run(fake: FakeSlack, start: ClientStart): Promise<ClientResult> {
  const ackMs: number[] = [];
  const responseMs: number[] = [];
  for (let i = 0; i < start.requests + start.warmup; i += 1) {
    const body = new URLSearchParams({
      command: '/channels',
      text: 'status',
      team_id: start.team,
      user_id: start.user,
      channel_id: 'C1',
      response_url: fake.responseUrl(),
      trigger_id: 't',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', start.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    fake.calls.length = 0;
    const sentAt = Date.now();
    const started = performance.now();
    const answer = await fetch(`http://127.0.0.1:${start.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
      body,
    });
    await answer.arrayBuffer();
    const ack = performance.now() - started;
    if (answer.status !== 200) throw new Error(`request ${i} answered ${answer.status}`);
    while (!fake.callsTo('response_url').length) await new Promise((resolve) => setTimeout(resolve, 1));
    if (i >= start.warmup) {
      ackMs.push(ack);
      responseMs.push(fake.callsTo('response_url')[0]!.at - sentAt);
    }
  }
  return { ackMs, responseMs };
}

if (require.main === module && process.send) {
  void (async () => {
    const fake = await new FakeSlack().start();
    process.once('message', (start: ClientStart) => {
      run(fake, start).then(
        async (result) => {
          process.send!({ result });
          await fake.stop();
          process.disconnect();
        },
        (error) => {
          process.send!({ error: String((error as Error).stack ?? error) });
          process.exit(1);
        },
      );
    });
    process.send!({ apiUrl: fake.apiUrl });
  })();
}
