/** Starting the real `channel-keeper` (or npm) as a child process, for the suites that test `serve` as users run it. */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { uniqueId, type Provider } from '../support/databases';
import { ADMIN_URL } from '../support/global-setup';

export const root = path.join(__dirname, '..', '..');
export const bin = path.join(root, 'bin', 'channel-keeper.js');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface StartedProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Runs `command` from the project root in HTTP mode with test Slack credentials; `env` overrides. */
export function start(command: string, args: string[], env: Record<string, string>): StartedProcess {
  let stderr = '';
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_APP_TOKEN: '',
      SLACK_SOCKET_MODE: 'false',
      LOG_LEVEL: 'info',
      // Any free port: processes of parallel suites must not all ask for 9464.
      METRICS_PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** Polls `probe` every 50 ms until it gives a value, or fails naming `what`. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ProcessDatabase {
  /** DATABASE_URL for the process. */
  url: string;
  /** Removes the database (file or PostgreSQL database). */
  drop: () => Promise<void>;
}

/**
 * A database of its own for a `serve` process: `serve` delivers and checks every workspace it finds,
 * so it must not share the suites' PostgreSQL database. SQLite: a file in a fresh folder.
 */
export async function processDatabase(provider: Provider, prefix = 'ck_process'): Promise<ProcessDatabase> {
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { url: `file:${path.join(dir, 'ck.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `${prefix}_${uniqueId('').toLowerCase()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** `serve`'s /healthz status, or undefined while nothing answers on the port. */
export async function health(port: number): Promise<number | undefined> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return undefined;
  }
}

/** A UTC check time (HH:mm) a minute before `now`: `serve` catches that fire up as soon as it starts. */
export function checkTimeAMinuteBefore(now: Date): string {
  const lastMinute = new Date(now.getTime() - 60_000);
  return `${String(lastMinute.getUTCHours()).padStart(2, '0')}:${String(lastMinute.getUTCMinutes()).padStart(2, '0')}`;
}
