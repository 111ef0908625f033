/**
 * `serve` as a real process at its operational edges: SIGTERM while Slack never answers ends
 * within the documented bound (docs/command-line.md: 30 s), and a SQLite file deleted under it stops it with one
 * line and exit 1 (a supervisor then restarts it on the file that is there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore } from '../../src/store/store';
import { connectionInput } from '../support/factories';
import { FakeSlack } from '../support/fake-slack';
import { bin, checkTimeAMinuteBefore, freePort, health, start, until } from './process-support';

describe('serve at its operational edges', () => {
  let fake: FakeSlack;
  let dir: string;
  beforeEach(async () => {
    fake = await new FakeSlack().start();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-edges-'));
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SIGTERM while Slack never answers a delivery: exits 0 within the 30 s bound', async () => {
    const url = `file:${path.join(dir, 'ck.db')}`;
    const target = parseDatabaseUrl(url);
    await migrate(target);
    const store = openStore(target);
    const now = new Date();
    const checkTime = checkTimeAMinuteBefore(now);
    try {
      await store.workspaces.ensure('THANG1', 'Hanging Slack');
      await store.workspaces.updateSettings('THANG1', { alertChannel: 'CALERTS', timeZone: 'UTC', checkTime });
      const today = now.toISOString().slice(0, 10);
      const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
      await store.connections.create('THANG1', connectionInput({ name: 'Acme', connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today }), 'test');
    } finally {
      await store.close();
    }
    // Slack takes every post and never answers.
    fake.fail('chat.postMessage', { delayMs: 10 * 60_000, times: Infinity });
    const service = start(process.execPath, [bin, 'serve'], { DATABASE_URL: url, SLACK_API_URL: fake.apiUrl, PORT: String(await freePort()) });
    try {
      await until(() => fake.callsTo('chat.postMessage')[0], 'a delivery to start', 30_000);
      service.child.kill('SIGTERM');
      const bound = new Promise<'over the bound'>((resolve) => setTimeout(() => resolve('over the bound'), 40_000).unref());
      // 30 s documented, plus the start-up of a loaded test machine.
      expect(await Promise.race([service.exited, bound])).toBe(0);
      expect(service.stderr()).toContain('stopped without waiting');
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  }, 90_000);

  it('stops with one line and exit 1 once its SQLite file is deleted', async () => {
    const file = path.join(dir, 'ck.db');
    const port = await freePort();
    const service = start(process.execPath, [bin, 'serve'], { DATABASE_URL: `file:${file}`, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
    try {
      expect(await until(() => health(port), '/healthz to answer')).toBe(200);
      fs.rmSync(file);
      expect(await service.exited).toBe(1);
      expect(service.stderr()).toContain(`channel-keeper serve: the database file ${file} was deleted; restore it and restart`);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  }, 60_000);
});
