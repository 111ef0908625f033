/** `channel-keeper serve`: refuses bad Slack settings with exit 2; migrates, serves, and stops cleanly on a signal. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServeCommand, type ServedScheduler } from '../../src/cli/serve';
import { main } from '../../src/cli';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { FakeSlack } from '../support/fake-slack';
import { signatureOf } from './support/slack-harness';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('serve', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    [{ SLACK_BOT_TOKEN: '' }, 'SLACK_BOT_TOKEN is not set'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN must be a bot token'],
    [{ SLACK_SIGNING_SECRET: '' }, 'SLACK_SIGNING_SECRET is not set'],
    [{ SLACK_APP_TOKEN: 'not-an-app-token' }, 'SLACK_APP_TOKEN must be an app-level token'],
  ])('exits 2 with one line naming the variable and the README section (%o)', async (env, expected) => {
    process.env = {
      ...saved,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_APP_TOKEN: '',
      DATABASE_URL: 'file:/nonexistent/never-created.db',
      ...env,
    };
    const { io: streams, err } = io();
    expect(await main(['serve'], streams)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(expected);
    expect(err[0]).toContain('"Create the Slack app" in README.md');
    expect(fs.existsSync('/nonexistent/never-created.db')).toBe(false);
  });

  it('applies migrations, serves /healthz and signed commands, starts the scheduler after the bot and stops everything on a signal', async () => {
    const fake = await new FakeSlack().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-serve-'));
    const events: string[] = [];
    const scheduler: ServedScheduler = {
      start: async () => void events.push('start'),
      stop: async () => void events.push('stop'),
      reschedule: async () => undefined,
      runNow: async () => null,
    };
    let stop!: (signal: string) => void;
    let listening!: (port: number | null) => void;
    const portReady = new Promise<number | null>((resolve) => (listening = resolve));
    let metricsPort = 0;
    const command = createServeCommand({
      onMetricsListening: (port) => (metricsPort = port),
      config: () =>
        loadConfig({
          DATABASE_URL: `file:${path.join(dir, 'ck.db')}`,
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: fake.apiUrl,
          PORT: '0',
          METRICS_PORT: '0',
        }),
      logger: () => silentLogger,
      scheduler: () => scheduler,
      stopSignal: () => new Promise((resolve) => (stop = resolve)),
      onListening: listening,
    });
    const exit = command.run([], { out: () => undefined, err: () => undefined });
    try {
      const port = await portReady;
      expect(events).toEqual(['start']);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      // /metrics on its own port only.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain('channel_keeper_check_runs_total');
      const body = new URLSearchParams({
        command: '/channels',
        text: 'help',
        team_id: 'TSERVE1',
        user_id: 'U1',
        channel_id: 'C1',
        response_url: fake.responseUrl(),
        trigger_id: 't',
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const answer = await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signatureOf('secret', ts, body),
        },
        body,
      });
      expect(answer.status).toBe(200);
      stop('SIGTERM');
      expect(await exit).toBe(0);
      expect(events).toEqual(['start', 'stop']);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
    } finally {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('by default runs the check scheduler beside the bot, and stops it', async () => {
    const fake = await new FakeSlack().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-serve-'));
    let stop!: (signal: string) => void;
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const command = createServeCommand({
      config: () =>
        loadConfig({
          DATABASE_URL: `file:${path.join(dir, 'ck.db')}`,
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: fake.apiUrl,
          PORT: '0',
          METRICS_PORT: '0',
        }),
      logger: () => silentLogger,
      stopSignal: () => new Promise((resolve) => (stop = resolve)),
      onListening: () => listening(),
    });
    const exit = command.run([], { out: () => undefined, err: () => undefined });
    await ready;
    // Bolt checks its token (auth.test) at start; stopping mid-call would leave its retries running.
    while (!fake.callsTo('auth.test').length) await new Promise((resolve) => setTimeout(resolve, 5));
    stop('SIGINT');
    expect(await exit).toBe(0);
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with one line when multi-workspace mode has no usable TOKEN_ENCRYPTION_KEY', async () => {
    for (const key of ['', 'c2hvcnQ=']) {
      process.env = {
        ...saved,
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'cs',
        SLACK_STATE_SECRET: 'ss',
        TOKEN_ENCRYPTION_KEY: key,
        DATABASE_URL: 'file:/nonexistent/never-created.db',
      };
      const { io: streams, err } = io();
      expect(await main(['serve'], streams)).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/TOKEN_ENCRYPTION_KEY (is not set|must be 32 bytes)/);
    }
    expect(fs.existsSync('/nonexistent/never-created.db')).toBe(false);
  });

  it('multi-workspace mode: serves the install page without asking Slack about any token, and stops cleanly', async () => {
    const fake = await new FakeSlack().start();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-serve-'));
    let stop!: (signal: string) => void;
    let listening!: (port: number | null) => void;
    const portReady = new Promise<number | null>((resolve) => (listening = resolve));
    const command = createServeCommand({
      config: () =>
        loadConfig({
          DATABASE_URL: `file:${path.join(dir, 'ck.db')}`,
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_CLIENT_ID: '1.2',
          SLACK_CLIENT_SECRET: 'cs',
          SLACK_STATE_SECRET: 'ss',
          TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
          SLACK_API_URL: fake.apiUrl,
          PORT: '0',
          METRICS_PORT: '0',
        }),
      logger: () => silentLogger,
      stopSignal: () => new Promise((resolve) => (stop = resolve)),
      onListening: listening,
    });
    const exit = command.run([], { out: () => undefined, err: () => undefined });
    try {
      const port = await portReady;
      const page = await fetch(`http://127.0.0.1:${port}/slack/install`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('client_id=1.2');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({ ok: true });
      stop('SIGTERM');
      expect(await exit).toBe(0);
      expect(fake.callsTo('auth.test')).toEqual([]);
    } finally {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
