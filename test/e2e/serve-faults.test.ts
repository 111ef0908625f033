/**
 * `serve` as a real process facing Slack faults at start: a token Slack refuses stops it with one
 * line and exit 2 before it claims to run; Slack unreachable is waited for while /healthz says why;
 * and `npm start` passes SIGTERM on to the node process (no orphan left running).
 */
import { execFileSync } from 'node:child_process';
import { FakeSlack } from '../support/fake-slack';
import { enabledDatabases } from '../support/global-setup';
import { bin, freePort, processDatabase, start, until, type ProcessDatabase } from './process-support';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(enabledDatabases())('serve facing Slack faults at start [%s]', (provider) => {
  let fake: FakeSlack;
  let database: ProcessDatabase;
  beforeEach(async () => {
    fake = await new FakeSlack().start();
    database = await processDatabase(provider, 'ck_faults');
  });
  afterEach(async () => {
    await fake.stop();
    await database.drop();
  });

  it('exits 2 with one line naming the variable when Slack refuses the token, before claiming to run', async () => {
    fake.respond('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    const service = start(process.execPath, [bin, 'serve'], {
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(await freePort()),
    });
    expect(await service.exited).toBe(2);
    const lines = service.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SLACK_BOT_TOKEN');
    expect(lines[0]).toContain('invalid_auth');
    expect(service.stderr()).not.toContain('is running');
    expect(service.stderr()).not.toContain('xoxb-test');
  }, 30_000);

  it('waits for Slack while it is unreachable, /healthz saying why, then runs', async () => {
    fake.fail('auth.test', { status: 503, times: 2 });
    const port = await freePort();
    const service = start(process.execPath, [bin, 'serve'], {
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
    });
    try {
      const health = await until(async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        return answer ? { status: answer.status, body: await answer.text() } : undefined;
      }, '/healthz while waiting');
      expect(health.status).toBe(503);
      expect(health.body).toContain('Slack unreachable');
      await until(() => (service.stderr().includes('Channel Keeper is running') ? true : undefined), 'the bot to run');
      const ok = await until(async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        return answer?.status === 200 ? answer.status : undefined;
      }, '/healthz 200');
      expect(ok).toBe(200);
      expect(fake.callsTo('auth.test').length).toBeGreaterThanOrEqual(3);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  }, 60_000);

  it('`npm start` passes SIGTERM on: the node process stops with exit 0 and none is left running', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const service = start(npm, ['start', '--silent'], {
      DATABASE_URL: database.url,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(await freePort()),
    });
    try {
      await until(() => (service.stderr().includes('Channel Keeper is running') ? true : undefined), 'the bot to run', 40_000);
      const descendants = (pid: number): number[] => {
        let out = '';
        try {
          out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
        } catch {
          out = ''; // ps exits 1 when there is no child
        }
        return out
          .split('\n')
          .map((s) => Number(s.trim()))
          .filter((n) => n > 0)
          .flatMap((child) => [child, ...descendants(child)]);
      };
      const nodes = descendants(service.child.pid!);
      expect(nodes.length).toBeGreaterThan(0);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      await until(() => (nodes.every((pid) => !alive(pid)) ? true : undefined), 'every child to stop', 15_000);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
  }, 60_000);
});
