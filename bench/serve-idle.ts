/**
 * `serve` at rest: the compiled `channel-keeper serve` started against a minimal fake Slack Web API
 * (HTTP mode, a fresh SQLite file), waited on until /healthz answers, left idle a few seconds, and
 * its resident memory read from /proc (Linux) or `ps`.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFakeSlack } from './fake-slack';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running process's resident memory now (VmRSS) or at its peak (VmHWM), in MB; `ps` where /proc is missing (resident only). */
export function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    if (kb) return kb / 1024;
  } catch {
    // not Linux: ps below
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/**
 * Starts the compiled `serve`, waits until /healthz answers, idles `idleMs`, reads RSS, stops it.
 * `migrated`: the database is migrated first by `channel-keeper migrate` (a deployment's release
 * step), so `serve` finds nothing to apply; otherwise `serve` migrates the fresh file itself.
 */
export async function serveIdleRss(
  root: string,
  { migrated, idleMs = 3000 }: { migrated: boolean; idleMs?: number },
): Promise<{ rssMb: number; readyMs: number }> {
  const slack = await startFakeSlack();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-serve-'));
  const port = await freePort();
  const bin = path.join(root, 'bin', 'channel-keeper.js');
  const env = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, 'serve.db')}`,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_APP_TOKEN: '',
    SLACK_SOCKET_MODE: 'false',
    SLACK_API_URL: slack.url,
    PORT: String(port),
    // /metrics on a port of its own: any free one, so two benchmarks never meet on the default.
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  if (migrated) execFileSync(process.execPath, [bin, 'migrate'], { cwd: dir, env, stdio: 'ignore' });
  const started = Date.now();
  const child = spawn(process.execPath, [bin, 'serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 60_000;
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`serve exited with code ${child.exitCode} before it was ready`);
      if (Date.now() > deadline) throw new Error('serve was not ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const readyMs = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return { rssMb: memoryMb(child.pid!), readyMs };
  } finally {
    child.kill('SIGTERM');
    await exited;
    await slack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
