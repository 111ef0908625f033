/** /healthz answers 503 when the database cannot be reached (a load balancer then stops sending traffic). */
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
