/**
 * `serve` as a real process, scraped and probed the way Prometheus and a load balancer do: /metrics
 * on METRICS_PORT only (never the Slack port), behind its bearer token, with no workspace id in it,
 * and an exposition promtool accepts; /readyz in multi-workspace mode unready while no stored token
 * can be decrypted with the configured key, ready with the right one.
 */
import { spawnSync } from 'node:child_process';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore } from '../../src/store/store';
import { connectionInput } from '../support/factories';
import { enabledDatabases } from '../support/global-setup';
import { FakeSlack } from '../support/fake-slack';
import { bin, checkTimeAMinuteBefore, freePort, processDatabase, start, type ProcessDatabase, until } from './process-support';

const TOKEN = 'metrics-token-0123456789abcdef';

/** promtool from Debian's `prometheus` package (.ci/run installs it). */
function promtool(): string {
  const found = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('promtool is not installed: apt-get install -y --no-install-recommends prometheus (.ci/run does)');
  return found;
}

describe.each(enabledDatabases())('serve: ops endpoints as operators reach them [%s]', (provider) => {
  let database: ProcessDatabase;
  let fake: FakeSlack;
  beforeEach(async () => {
    database = await processDatabase(provider, 'ck_ops');
    fake = await new FakeSlack().start();
  });
  afterEach(async () => {
    await fake.stop();
    await database.drop();
  });

  it('scrapes /metrics on its own port with the token, an exposition promtool accepts, with no workspace id; the Slack port has none', async () => {
    const target = parseDatabaseUrl(database.url);
    await migrate(target);
    const seeding = openStore(target);
    const team = 'TOPSMETRICS1';
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    try {
      await seeding.workspaces.ensure(team, 'Ops test');
      await seeding.workspaces.updateSettings(team, { alertChannel: 'COPS', timeZone: 'UTC', checkTime: checkTimeAMinuteBefore(now) });
      // Three days left on its token, never refreshed: the check caught up at start finds two things.
      const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
      await seeding.connections.create(
        team,
        connectionInput({ name: 'Acme', connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today, backups: ['UB1'] }),
        'test',
      );
    } finally {
      await seeding.close();
    }
    const [port, metricsPort] = [await freePort(), await freePort()];
    const service = start(process.execPath, [bin, 'serve'], {
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      METRICS_TOKEN: TOKEN,
    });
    const scrape = (token?: string) => fetch(`http://127.0.0.1:${metricsPort}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    try {
      await until(() => fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'COPS'), 'the check caught up at start to post', 60_000);
      const text = await until(async () => {
        const body = await (await scrape(TOKEN)).text();
        return /^channel_keeper_findings\{kind="expiry"/m.test(body) ? body : undefined;
      }, 'the findings in /metrics');
      expect(text).toMatch(/^channel_keeper_check_runs_total\{outcome="ok"\} 1$/m);
      expect(text).not.toContain(team);
      expect(text).not.toMatch(/workspace="/);

      const check = spawnSync(promtool(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ status: check.status, problems: `${check.stdout}${check.stderr}`.trim() }).toEqual({ status: 0, problems: '' });

      expect((await scrape()).status).toBe(401);
      expect((await scrape('not-the-token-at-all-000000')).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toMatchObject({ ok: true, status: 'ready' });
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
    expect(service.stderr()).not.toContain(TOKEN);
  }, 120_000);

  it('multi-workspace mode: /readyz is 503 while no stored token decrypts with TOKEN_ENCRYPTION_KEY, 200 with the key they were written with', async () => {
    const target = parseDatabaseUrl(database.url);
    await migrate(target);
    const written = Buffer.alloc(32, 7);
    const seeding = openStore(target);
    try {
      await seeding.installations({ current: written }).save(
        {
          enterpriseId: null,
          teamId: 'TOPSTOKENS1',
          isEnterpriseInstall: false,
          teamName: 'Tokens test',
          enterpriseName: null,
          appId: 'A1',
          botToken: 'xoxb-stored-token',
          botId: 'B1',
          botUserId: 'UBOT',
          botScopes: ['commands'],
          botRefreshToken: null,
          botExpiresAt: null,
          installerUserId: 'U1',
          installedAt: new Date(),
        },
        new Date(),
      );
    } finally {
      await seeding.close();
    }
    const serveWith = async (key: Buffer) => {
      const port = await freePort();
      const service = start(process.execPath, [bin, 'serve'], {
        DATABASE_URL: database.url,
        SLACK_API_URL: fake.apiUrl,
        SLACK_BOT_TOKEN: '',
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'client-secret',
        SLACK_STATE_SECRET: 'state-secret',
        TOKEN_ENCRYPTION_KEY: key.toString('base64'),
        PORT: String(port),
      });
      try {
        await until(() => (service.stderr().includes('Channel Keeper is running') ? true : undefined), 'the bot to run', 60_000);
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
        return { status: ready.status, body: (await ready.json()) as { checks: Record<string, string> }, health: health.status };
      } finally {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
      }
    };
    const wrongKey = await serveWith(Buffer.alloc(32, 8));
    expect(wrongKey).toMatchObject({ status: 503, health: 200, body: { ok: false, status: 'unready', checks: { database: 'ok', migrations: 'ok' } } });
    expect(wrongKey.body.checks.tokens).toMatch(/^no stored bot token can be decrypted: TOKEN_ENCRYPTION_KEY/);
    expect(await serveWith(written)).toMatchObject({ status: 200, body: { ok: true, status: 'ready', checks: { tokens: 'ok', slack: 'ok' } } });
  }, 120_000);
});
