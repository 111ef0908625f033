/** /healthz answers 503 when the database cannot be reached (a load balancer then stops sending traffic). */
import net from 'node:net';
import { openStore } from '../../src/store/store';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { SlackHarness } from './support/slack-harness';

describe('GET /healthz without a database', () => {
  it('answers 503 {ok:false}', async () => {
    const store = openStore(parseDatabaseUrl('postgresql://postgres@127.0.0.1:1/unreachable'));
    const slack = await SlackHarness.start(store);
    try {
      const response = await fetch(`${slack.baseUrl}/healthz`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { ok: boolean }).ok).toBe(false);
    } finally {
      await slack.stop();
      await store.close();
    }
  });
});

describe('GET /healthz with a database that takes the connection and never answers', () => {
  it('answers 503 instead of hanging the probe', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const store = openStore(parseDatabaseUrl(`postgresql://postgres@127.0.0.1:${port}/silent`));
    const slack = await SlackHarness.start(store);
    try {
      const response = await fetch(`${slack.baseUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
      expect(response.status).toBe(503);
    } finally {
      // Hanging up on the client lets its pending connection fail, so the store can close.
      for (const socket of sockets) socket.destroy();
      silent.close();
      await slack.stop();
      await store.close();
    }
  }, 20_000);
});
