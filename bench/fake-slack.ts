/**
 * A minimal fake Slack Web API on loopback for the compiled processes the benchmarks start
 * (SLACK_API_URL): auth.test answers with a bot identity, chat.postMessage with a message ts,
 * conversations.history with no messages, users.info with a person, anything else `ok`. It counts
 * the calls per method and tells `onCall` of each as it arrives (a response_url under
 * `<url>respond/…` arrives as the method `respond/…`), so a benchmark can time what reaches Slack.
 */
import http from 'node:http';
import type net from 'node:net';

export interface BenchSlack {
  url: string;
  /** Calls per Web API method since start (or the last `reset`). */
  calls: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  /** The team auth.test names (the workspace a single-workspace `serve` runs for). */
  teamId?: string;
  onCall?: (method: string) => void;
}

export function startFakeSlack({ teamId = 'TBENCH', onCall }: FakeSlackOptions = {}): Promise<BenchSlack> {
  const calls = new Map<string, number>();
  let ts = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      onCall?.(method);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const channel = form.get('channel') ?? 'CBENCH';
      const user = form.get('user') ?? 'UBENCH';
      const body =
        method === 'auth.test'
          ? { ok: true, team_id: teamId, user_id: 'UBOT', bot_id: 'BBOT', team: 'Bench' }
          : method === 'chat.postMessage'
            ? { ok: true, channel, ts: `1700000000.${String(++ts).padStart(6, '0')}` }
            : method === 'conversations.history'
              ? { ok: true, messages: [], has_more: false }
              : method === 'users.info'
                ? {
                    ok: true,
                    user: { id: user, name: user.toLowerCase(), real_name: `Person ${user}`, deleted: false, is_bot: false, profile: { display_name: user } },
                  }
                : method === 'conversations.open'
                  ? { ok: true, channel: { id: `D${channel}` } }
                  : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/`,
        calls,
        reset: () => calls.clear(),
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}
