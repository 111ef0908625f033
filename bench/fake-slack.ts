/**
 * A minimal fake Slack Web API on loopback for the compiled processes the benchmarks start
 * (SLACK_API_URL): auth.test answers with a bot identity, chat.postMessage with a message ts,
 * conversations.history with no messages, anything else `ok`. It counts the calls per method.
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

export function startFakeSlack(): Promise<BenchSlack> {
  const calls = new Map<string, number>();
  let ts = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const channel = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('channel') ?? 'CBENCH';
      const body =
        method === 'auth.test'
          ? { ok: true, team_id: 'TBENCH', user_id: 'UBOT', bot_id: 'BBOT', team: 'Bench' }
          : method === 'chat.postMessage'
            ? { ok: true, channel, ts: `1700000000.${String(++ts).padStart(6, '0')}` }
            : method === 'conversations.history'
              ? { ok: true, messages: [], has_more: false }
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
