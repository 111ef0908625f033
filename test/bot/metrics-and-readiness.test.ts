/**
 * GET /metrics on its own port (Prometheus text format, read back with a parser of that format)
 * after check runs that delivered to the fake Slack: no series names a workspace. GET /readyz:
 * database and migrations, each able to make it 503 and back; Slack only degrades it, and is asked
 * once per TTL however often the probe comes.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { createApp, SLACK_CHECK_FAILED_TTL_MS, SLACK_CHECK_OK_TTL_MS, type ChannelKeeperApp } from '../../src/bot/app';
import { configuredDeliveryFactory } from '../../src/cli/delivery';
import { startMetricsServer, type MetricsServer } from '../../src/cli/metrics-server';
import { migrationsProbe } from '../../src/cli/readiness';
import { loadConfig, type Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { Metrics } from '../../src/metrics';
import { OutboxWorker } from '../../src/outbox/worker';
import { runCheck } from '../../src/runs/check-run';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore, type Store } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { startMultiApp } from './oauth/support';
import { connectionInput, newWorkspace } from '../support/factories';
import { FakeSlack } from '../support/fake-slack';
import { processDatabase } from '../e2e/process-support';
import { enabledDatabases } from '../support/global-setup';

const NOW = new Date('2026-11-28T09:00:00Z');

function configFor(store: Store, fake: FakeSlack): Config {
  return {
    ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: fake.apiUrl, PORT: '0' }),
    database: store.target,
  };
}

interface Served {
  bot: ChannelKeeperApp;
  /** The Slack port. */
  base: string;
  /** The metrics port's /metrics. */
  scrape: () => Promise<Response>;
  stop: () => Promise<void>;
}

/** The bot on its port and /metrics on another, as `serve` wires them. */
async function serve(store: Store, fake: FakeSlack, metrics: Metrics, clock: { t: number }): Promise<Served> {
  const bot = createApp({
    config: configFor(store, fake),
    store,
    logger: silentLogger,
    now: () => new Date(clock.t),
    readiness: [migrationsProbe(store)],
    // As `serve` does: who the bot is was asked before, so only /readyz asks Slack here.
    identity: { botId: 'B1', botUserId: 'UBOT', teamId: 'T1' },
  });
  const port = await bot.start(0);
  const server: MetricsServer = await startMetricsServer({ metricsPort: 0 }, metrics, silentLogger);
  return {
    bot,
    base: `http://127.0.0.1:${port}`,
    scrape: () => fetch(`http://127.0.0.1:${server.port}/metrics`),
    stop: async () => {
      await server.close();
      await bot.stop();
    },
  };
}

interface Readiness {
  ok: boolean;
  status: 'ready' | 'degraded' | 'unready';
  checks: Record<string, string>;
}

async function ready(base: string): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

/** Every label name of every series: none may name a workspace. */
function labelNames(families: ParsedFamily[]): Set<string> {
  return new Set(families.flatMap((f) => f.metrics.flatMap((m) => Object.keys(m.labels ?? {}))));
}

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name} in /metrics`);
  return found;
}

describeEachDatabase('GET /metrics and /readyz', (db) => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('exports check runs, findings and warnings summed over the workspaces, Slack calls and process metrics, with no workspace id', async () => {
    const { store } = db();
    const metrics = new Metrics();
    const clock = { t: NOW.getTime() };
    const slack = configuredDeliveryFactory({ store, config: configFor(store, fake), logger: silentLogger, metrics });
    const worker = new OutboxWorker({ store, slack, now: () => NOW, logger: silentLogger, holder: 'metrics-test', alertChannelFallback: null });
    const outbox = { afterRecording: (id: string) => worker.drain({ workspaceId: id }) };
    const workspaces: string[] = [];
    for (const _ of [1, 2]) {
      const ws = await newWorkspace(store);
      workspaces.push(ws);
      await store.workspaces.updateSettings(ws, { alertChannel: 'C0ALERTS' });
      // Expires in 3 days (2025-12-01 + 365) and overdue for a refresh; it has a backup.
      await store.connections.create(ws, connectionInput({ connectedAt: '2025-12-01', ownerLastActiveAt: '2026-11-20', backups: ['UBACKUP'] }), 'U1');
      const summary = await runCheck({ store, outbox, now: () => NOW, logger: silentLogger, metrics }, ws);
      expect(summary.delivery).toMatchObject({ posted: 2, failed: 0 });
    }

    const served = await serve(store, fake, metrics, clock);
    try {
      const response = await served.scrape();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      for (const ws of workspaces) expect(text).not.toContain(ws);
      const families = parsePrometheusTextFormat(text);
      expect(labelNames(families).has('workspace')).toBe(false);

      expect(family(families, 'channel_keeper_check_runs_total').metrics).toEqual([{ labels: { outcome: 'ok' }, value: '2' }]);
      expect(family(families, 'channel_keeper_check_run_duration_seconds').metrics[0]?.buckets?.['+Inf']).toBe('2');
      const findings = family(families, 'channel_keeper_findings').metrics;
      expect(findings.map((m) => [m.labels?.kind, m.labels?.severity, m.value]).sort()).toEqual([
        ['expiry', 'at_risk', '2'],
        ['refresh_due', 'at_risk', '2'],
      ]);
      const warnings = family(families, 'channel_keeper_warnings').metrics;
      expect(Object.fromEntries(warnings.map((m) => [m.labels?.state, m.value]))).toMatchObject({ posted: '4', pending: '0', failed: '0' });
      const posts = family(families, 'channel_keeper_slack_api_calls_total').metrics.find((m) => m.labels?.method === 'chat.postMessage');
      // The two warnings in the alert channel, then the owner's and the backup's direct messages.
      expect(posts).toEqual({ labels: { method: 'chat.postMessage', outcome: 'ok' }, value: String(fake.callsTo('chat.postMessage').length) });
      expect(fake.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(2);
      expect(family(families, 'channel_keeper_slack_api_call_duration_seconds').metrics.length).toBeGreaterThan(0);
      expect(family(families, 'channel_keeper_escalations_total').type).toBe('COUNTER');
      expect(family(families, 'channel_keeper_outbox_oldest_due_age_seconds').type).toBe('GAUGE');
      expect(family(families, 'channel_keeper_process_resident_memory_bytes').type).toBe('GAUGE');
      // The by-type gauge stays; its `_total` sum (a gauge named like a counter) does not.
      expect(family(families, 'channel_keeper_nodejs_active_handles').type).toBe('GAUGE');
      expect(families.filter((f) => f.name.endsWith('_total') && f.type !== 'COUNTER').map((f) => f.name)).toEqual([]);
      // The Slack port serves no metrics.
      expect((await fetch(`${served.base}/metrics`)).status).toBe(404);
    } finally {
      await served.stop();
    }
  });

  it('reports how long the oldest due warning of each workspace has waited, and 0 once none waits', async () => {
    // A database of its own: the age is the oldest over every workspace, and other suites leave
    // due rows in the run's shared PostgreSQL database.
    const own = await processDatabase(db().provider, 'ck_age');
    const target = parseDatabaseUrl(own.url);
    await migrate(target);
    const store = openStore(target);
    try {
      await oldestDueAge(store);
    } finally {
      await store.close();
      await own.drop();
    }
  });

  async function oldestDueAge(store: Store): Promise<void> {
    const metrics = new Metrics();
    const ws = await newWorkspace(store);
    await store.connections.create(ws, connectionInput({ connectedAt: '2025-12-01', backups: ['UBACKUP'] }), 'U1');
    await runCheck({ store, now: () => NOW, logger: silentLogger }, ws);
    // The outbox stamps rows with the time they were written; 90 s after that, with no Slack to
    // post them, they are still due.
    const later = new Date(Date.now() + 90_000);
    const waiting = new OutboxWorker({
      store,
      slack: null,
      now: () => later,
      logger: silentLogger,
      holder: 'age-test',
      metrics,
    });
    await waiting.drain();
    const age = async () => {
      const [series, ...more] = family(parsePrometheusTextFormat(await metrics.text()), 'channel_keeper_outbox_oldest_due_age_seconds').metrics;
      expect(more).toEqual([]);
      expect(series?.labels ?? {}).toEqual({});
      return series?.value;
    };
    expect(Number(await age())).toBeGreaterThanOrEqual(90);

    for (const w of await store.warnings.listOpen(ws)) await store.warnings.resolve(ws, [w.id], 'U1', later);
    await waiting.drain();
    expect(await age()).toBe('0');
  }

  it('exports the event-loop delay since the previous scrape: a task that held the loop shows as the max, then the window starts again', async () => {
    const { store } = db();
    const served = await serve(store, fake, new Metrics({ processMetrics: false }), { t: NOW.getTime() });
    const delay = async () => {
      const response = await served.scrape();
      const metrics = family(parsePrometheusTextFormat(await response.text()), 'channel_keeper_event_loop_delay_seconds').metrics;
      return Object.fromEntries(metrics.map((m) => [m.labels?.stat, Number(m.value)]));
    };
    try {
      await delay(); // a fresh window
      // A synchronous task of a second: nothing else runs meanwhile.
      const start = performance.now();
      while (performance.now() - start < 1_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const held = await delay();
      expect(Object.keys(held).sort()).toEqual(['max', 'p50', 'p99']);
      expect(held.max).toBeGreaterThanOrEqual(0.9);
      expect(held.p50).toBeLessThanOrEqual(held.max);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The next scrape covers only what came after the previous one.
      expect((await delay()).max).toBeLessThan(held.max);
    } finally {
      await served.stop();
    }
  });

  it('/readyz stays 200 while Slack refuses the token, saying "degraded", and asks Slack once per TTL however often it is probed', async () => {
    const { store } = db();
    const clock = { t: NOW.getTime() };
    const served = await serve(store, fake, new Metrics({ processMetrics: false }), clock);
    const asked = () => fake.callsTo('auth.test').length;
    try {
      fake.reset();
      expect(await ready(served.base)).toEqual({ status: 200, body: { ok: true, status: 'ready', checks: { database: 'ok', migrations: 'ok', slack: 'ok' } } });
      expect(asked()).toBe(1);
      fake.fail('auth.test', { error: 'invalid_auth', times: Infinity });
      // The success is reused until its TTL ends.
      expect((await ready(served.base)).body.status).toBe('ready');
      expect(asked()).toBe(1);
      clock.t += SLACK_CHECK_OK_TTL_MS + 1;
      const degraded = await ready(served.base);
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({ ok: true, status: 'degraded', checks: { database: 'ok', migrations: 'ok' } });
      expect(degraded.body.checks.slack).toMatch(/^degraded: SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)/);
      expect(asked()).toBe(2);
      // The failure is remembered too: probes in a row and at once do not reach Slack.
      for (let i = 0; i < 5; i++) expect((await ready(served.base)).body.status).toBe('degraded');
      await Promise.all(Array.from({ length: 10 }, () => ready(served.base)));
      expect(asked()).toBe(2);
      fake.reset();
      clock.t += SLACK_CHECK_FAILED_TTL_MS + 1;
      await Promise.all(Array.from({ length: 10 }, () => ready(served.base)));
      expect(asked()).toBe(1);
      expect((await ready(served.base)).body).toMatchObject({ status: 'ready', checks: { slack: 'ok' } });
      expect((await fetch(`${served.base}/healthz`)).status).toBe(200);
    } finally {
      await served.stop();
    }
  });

  it('multi-workspace mode: /readyz asks Slack only whether it answers (api.test, no token), degraded while it does not', async () => {
    const { store } = db();
    const clock = { t: NOW.getTime() };
    const { bot, baseUrl } = await startMultiApp(store, fake, () => new Date(clock.t));
    try {
      fake.reset();
      expect(await ready(baseUrl)).toMatchObject({ status: 200, body: { ok: true, status: 'ready', checks: { database: 'ok', slack: 'ok' } } });
      expect(fake.callsTo('api.test')).toHaveLength(1);
      expect(fake.callsTo('api.test')[0]!.headers.authorization).toBeUndefined();
      expect(fake.callsTo('auth.test')).toEqual([]);
      fake.fail('api.test', { status: 503, times: Infinity });
      clock.t += SLACK_CHECK_OK_TTL_MS + 1;
      const degraded = await ready(baseUrl);
      expect(degraded).toMatchObject({ status: 200, body: { ok: true, status: 'degraded' } });
      expect(degraded.body.checks.slack).toMatch(/^degraded: Slack unreachable/);
    } finally {
      await bot.stop();
    }
  });

  it('/metrics with METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const token = 'a-token-of-thirty-two-characters';
    const server = await startMetricsServer(
      { metricsPort: 0, metricsHost: '127.0.0.1', metricsToken: token },
      new Metrics({ processMetrics: false }),
      silentLogger,
    );
    const url = `http://127.0.0.1:${server.port}/metrics`;
    try {
      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await refused.text()).not.toContain('channel_keeper_');
      expect((await fetch(url, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Basic ${token}` } })).status).toBe(401);
      const allowed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('channel_keeper_check_runs_total');
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('GET /readyz while the database is not ready', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('is 503 until the migrations are applied, then 200', async () => {
    const file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('ready')}.db`);
    fs.writeFileSync(file, '');
    const target = parseDatabaseUrl(`file:${file}`);
    const store = openStore(target);
    const { base, stop } = await serve(store, fake, new Metrics({ processMetrics: false }), { t: NOW.getTime() });
    try {
      const before = await ready(base);
      expect(before.status).toBe(503);
      expect(before.body.status).toBe('unready');
      expect(before.body.checks.database).toBe('ok');
      expect(before.body.checks.migrations).toMatch(/^no migration applied yet \(\d+ migrations? to apply\): run "channel-keeper migrate"$/);
      await migrate(target);
      expect(await ready(base)).toMatchObject({ status: 200, body: { ok: true, status: 'ready' } });
    } finally {
      await stop();
      await store.close();
    }
  });

  // Like describeEachDatabase: only when the run includes PostgreSQL (TEST_DATABASES).
  const postgres = enabledDatabases().includes('postgresql');
  if (postgres)
    it('is 503 while PostgreSQL is unreachable, 200 once it is back', async () => {
      // PostgreSQL through a TCP proxy this test can close and reopen.
      const real = new URL(process.env.CK_POSTGRES_URL!);
      const sockets = new Set<net.Socket>();
      const proxy = net.createServer((client) => {
        const upstream = net.connect(Number(real.port || 5432), real.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const port = (proxy.address() as net.AddressInfo).port;
      const url = new URL(real.toString());
      url.host = `127.0.0.1:${port}`;
      const store = openStore(parseDatabaseUrl(url.toString()));
      const { base, stop } = await serve(store, fake, new Metrics({ processMetrics: false }), { t: NOW.getTime() });
      try {
        expect((await ready(base)).status).toBe(200);
        await new Promise<void>((resolve) => {
          proxy.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
        expect(await ready(base)).toMatchObject({ status: 503, body: { checks: { database: 'database unreachable' } } });
        await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
        let back = await ready(base);
        // The pool notices the dead connections on first use; the next ask gets a new one.
        if (back.status !== 200) back = await ready(base);
        expect(back.status).toBe(200);
      } finally {
        await stop();
        await store.close();
        proxy.close();
      }
    });
});
