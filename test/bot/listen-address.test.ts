/** HTTP mode listens on every interface (Slack must reach it) unless HOST names one address. */
import { createApp } from '../../src/bot/app';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { describeEachDatabase } from '../support/databases';
import { externalAddress } from '../support/network';

describeEachDatabase('where the Slack port listens', (db) => {
  async function reachable(env: Record<string, string>): Promise<{ loopback: number | 'refused'; external: number | 'refused' }> {
    const config = { ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', PORT: '0', ...env }), database: db().store.target };
    const bot = createApp({ config, store: db().store, logger: silentLogger, now: () => new Date(), identity: { botId: 'B1', botUserId: 'U1' } });
    const port = await bot.start();
    const status = (host: string) =>
      fetch(`http://${host}:${port}/healthz`).then(
        (r) => r.status,
        () => 'refused' as const,
      );
    try {
      return { loopback: await status('127.0.0.1'), external: await status(externalAddress()) };
    } finally {
      await bot.stop();
    }
  }

  it('every interface by default in HTTP mode', async () => {
    expect(await reachable({})).toEqual({ loopback: 200, external: 200 });
  });

  it('only HOST when it is set', async () => {
    expect(await reachable({ HOST: '127.0.0.1' })).toEqual({ loopback: 200, external: 'refused' });
  });
});
