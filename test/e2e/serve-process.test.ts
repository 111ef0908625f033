/**
 * `channel-keeper serve` as a real process, the way a service manager runs it: HTTP mode against a
 * fake Slack. SIGTERM during a delivery lets the delivery finish, records it once, and exits 0;
 * /healthz answers 200 while the database is there and 503 once it is gone.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore } from '../../src/store/store';
import { connectionInput } from '../support/factories';
import { enabledDatabases } from '../support/global-setup';
import { uniqueId } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { bin, checkTimeAMinuteBefore, freePort, health, start, type StartedProcess, until } from './process-support';

/** `channel-keeper serve`, as a service manager runs it. */
function serve(env: Record<string, string>): StartedProcess {
  return start(process.execPath, [bin, 'serve'], env);
}

describe('serve as a service', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeEach(async () => {
    fake = await new FakeSlack().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-service-'));
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on SIGTERM during a delivery, lets it finish, records it once and exits 0', async () => {
    const url = `file:${path.join(dir, 'ck.db')}`;
    const target = parseDatabaseUrl(url);
    await migrate(target);
    const store = openStore(target);
    const now = new Date();
    const checkTime = checkTimeAMinuteBefore(now);
    const team = 'TSERVICE1';
    try {
      await store.workspaces.ensure(team, 'Service test');
      await store.workspaces.updateSettings(team, { alertChannel: 'CALERTS', timeZone: 'UTC', checkTime });
      // Three days left on its token today, never refreshed: two warnings (expiry 3d, refresh overdue).
      const today = now.toISOString().slice(0, 10);
      const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
      await store.connections.create(
        team,
        connectionInput({ name: 'Acme', connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today, backups: ['UBACKUP1'] }),
        'test',
      );
    } finally {
      await store.close();
    }
    // The post is slow: SIGTERM arrives while it is in flight.
    fake.fail('chat.postMessage', { delayMs: 1500, times: 1 });
    const port = await freePort();
    const service = serve({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
    try {
      // The scheduler catches up on today's missed check minute at start, and delivers.
      await until(() => fake.callsTo('chat.postMessage').find((c) => c.body.channel === 'CALERTS'), 'the delivery to start', 30_000);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
    const after = openStore(target);
    try {
      const rows = await after.warnings.listOpen(team);
      expect(rows.map((w) => `${w.kind}:${w.stage}:${w.state}`).sort()).toEqual(['expiry:3d:posted', 'refresh_due:overdue:posted']);
      // The two findings of one connection form one message.
      expect(new Set(rows.map((w) => w.slackTs)).size).toBe(1);
    } finally {
      await after.close();
    }
    // One message for the connection, the slow one: nothing posted twice, nothing lost.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CALERTS')).toHaveLength(1);
    expect(service.stderr()).not.toMatch(/xoxb-test|"secret"/);
  }, 60_000);

  it('with HEARTBEAT_URL, pings it after the check it catches up on at start', async () => {
    const pings: string[] = [];
    const healthchecks = http.createServer((req, res) => {
      pings.push(`${req.method} ${req.url}`);
      res.end('OK');
    });
    await new Promise<void>((resolve) => healthchecks.listen(0, '127.0.0.1', resolve));
    const { port: hcPort } = healthchecks.address() as { port: number };
    const url = `file:${path.join(dir, 'ck.db')}`;
    const target = parseDatabaseUrl(url);
    await migrate(target);
    const store = openStore(target);
    try {
      await store.workspaces.ensure('TBEAT1', 'Heartbeat test');
      await store.workspaces.updateSettings('TBEAT1', { alertChannel: 'CALERTS', timeZone: 'UTC', checkTime: checkTimeAMinuteBefore(new Date()) });
    } finally {
      await store.close();
    }
    const port = await freePort();
    const service = serve({ DATABASE_URL: url, SLACK_API_URL: fake.apiUrl, PORT: String(port), HEARTBEAT_URL: `http://127.0.0.1:${hcPort}/ping/secret-uuid` });
    try {
      expect(await until(() => pings.find((p) => p === 'GET /ping/secret-uuid'), 'the heartbeat ping', 30_000)).toBeDefined();
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      healthchecks.close();
    }
    // The address may hold a secret: the logs name only its host.
    expect(service.stderr()).not.toContain('secret-uuid');
  }, 60_000);

  (enabledDatabases().includes('postgresql') ? it : it.skip)(
    'answers /healthz 200 with the database and 503 once it is gone',
    async () => {
      const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
      const name = `ck_health_${uniqueId('').toLowerCase()}`;
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const port = await freePort();
      const service = serve({ DATABASE_URL: url.toString(), SLACK_API_URL: fake.apiUrl, PORT: String(port) });
      try {
        expect(await until(() => health(port), '/healthz to answer')).toBe(200);
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        const gone = await until(async () => ((await health(port)) === 503 ? 503 : undefined), '/healthz to report the database gone').catch((error: Error) => {
          // Say what the service did meanwhile (exited? logged an error?), not only that it did not answer.
          throw new Error(`${error.message}; serve exit code ${service.child.exitCode}, its log:\n${service.stderr().slice(-4000)}`);
        });
        expect(gone).toBe(503);
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
      } finally {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    },
    60_000,
  );
});
