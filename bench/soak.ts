/**
 * `npm run soak`: two `serve` replicas on one PostgreSQL database against a fake Slack that fails
 * 30% of posts (429 with Retry-After, or 500) and lets 5% time out after accepting them; 2,000
 * warnings over 20 workspaces; one replica killed with SIGKILL at random moments (at least five
 * times) and started again. Bounded (five minutes at most); prints one table: warnings recorded,
 * posted exactly once, posted twice or more, never posted, and the p50/p99 time from recording to
 * the first accepted post. Messages are counted per warning from the fake Slack's own log (the
 * warning ids are in each message's metadata). Not part of `npm test`.
 *
 * SOAK_POSTGRES_URL: the server to create the soak database on (default postgres@127.0.0.1:5432).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl } from '../src/store/database-url';
import { migrate } from '../src/store/migrate';
import { openStore } from '../src/store/store';

const WORKSPACES = 20;
const PER_WORKSPACE = 100;
const KILLS = 5;
const LIMIT_MS = 5 * 60_000;
const CLIENT_TIMEOUT_MS = 10_000;
const bin = path.join(__dirname, '..', 'bin', 'channel-keeper.js');

interface Accepted {
  channel: string;
  ts: string;
  ids: number[];
  at: number;
  metadata: unknown;
}

/** The fake Slack: chat.postMessage faults by chance; every accepted post is logged with its warning ids. */
function fakeSlack(): Promise<{ url: string; accepted: Accepted[]; calls: () => number; close: () => Promise<void> }> {
  const accepted: Accepted[] = [];
  let calls = 0;
  let seq = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
      const body = parse(raw, String(req.headers['content-type'] ?? ''));
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      if (method === 'chat.postMessage') {
        calls += 1;
        const roll = Math.random();
        if (roll < 0.15) return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
        if (roll < 0.3) return json(500, { ok: false, error: 'internal_error' });
        const metadata = typeof body.metadata === 'string' ? safeJson(body.metadata) : body.metadata;
        const ids = String((metadata as { event_payload?: { warning_ids?: string } } | undefined)?.event_payload?.warning_ids ?? '')
          .split(',')
          .filter(Boolean)
          .map(Number);
        const message = { channel: String(body.channel), ts: `1800000000.${String(++seq).padStart(6, '0')}`, ids, at: Date.now(), metadata };
        accepted.push(message);
        // 5%: accepted, but the answer comes after the client gave up.
        if (roll < 0.35) return void setTimeout(() => json(200, { ok: true, channel: message.channel, ts: message.ts }), CLIENT_TIMEOUT_MS + 2000);
        return json(200, { ok: true, channel: message.channel, ts: message.ts });
      }
      if (method === 'conversations.history') {
        const messages = accepted
          .filter((m) => m.channel === String(body.channel))
          .reverse()
          .map((m) => ({ ts: m.ts, metadata: m.metadata }));
        return json(200, { ok: true, messages });
      }
      if (method === 'auth.test') return json(200, { ok: true, team_id: 'T0', user_id: 'UBOT', bot_id: 'BBOT' });
      if (method === 'users.info') return json(200, { ok: true, user: { id: body.user, is_admin: false, deleted: false } });
      return json(200, { ok: true, channel: body.channel, ts: body.ts });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/api/`, accepted, calls: () => calls, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

function parse(raw: string, type: string): Record<string, unknown> {
  if (!raw) return {};
  if (type.includes('json')) return safeJson(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function replica(name: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-soak',
      SLACK_SIGNING_SECRET: 'soak',
      SLACK_APP_TOKEN: '',
      SLACK_SOCKET_MODE: 'false',
      LOG_LEVEL: 'warn',
      OUTBOX_INTERVAL_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  child.on('error', (error) => process.stderr.write(`${name}: ${error.message}\n`));
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<number> {
  const adminUrl = process.env.SOAK_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `ck_soak_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const slack = await fakeSlack();
  const replicas: (ChildProcess | null)[] = [null, null];
  const started = Date.now();
  try {
    const target = parseDatabaseUrl(databaseUrl);
    await migrate(target);
    const store = openStore(target);
    try {
      // The warnings are recorded the real way: each replica's scheduler catches up on the missed
      // daily check at start, and the first to claim the fire records them (four findings per
      // connection here: expiry, refresh overdue, no backup, no owner).
      for (let w = 0; w < WORKSPACES; w++) {
        const id = `TSOAK${String(w).padStart(2, '0')}`;
        await store.workspaces.ensure(id, `Soak ${w}`);
        await store.workspaces.updateSettings(id, { alertChannel: `CSOAK${w}`, checkTime: '00:00' });
        for (let c = 0; c < PER_WORKSPACE / 4; c++) {
          await store.connections.create(
            id,
            {
              network: 'linkedin',
              kind: 'company_page',
              name: `Page ${w}-${c}`,
              url: 'https://www.linkedin.com/company/soak',
              ownerId: null,
              connectedAt: '2026-01-10',
            },
            'soak',
          );
        }
      }
    } finally {
      await store.close();
    }

    const ports = [0, 1].map((i) => 39_100 + (process.pid % 500) * 2 + i);
    const env = (i: number) => ({ DATABASE_URL: databaseUrl, SLACK_API_URL: slack.url, PORT: String(ports[i]) });
    replicas[0] = replica('a', env(0));
    replicas[1] = replica('b', env(1));

    const check = openStore(target);
    let kills = 0;
    let nextKill = Date.now() + 3000 + Math.random() * 5000;
    try {
      for (;;) {
        if (Date.now() - started > LIMIT_MS) break;
        if (kills < KILLS && Date.now() >= nextKill) {
          const i = Math.floor(Math.random() * 2);
          replicas[i]?.kill('SIGKILL');
          kills += 1;
          await sleep(500 + Math.random() * 1500);
          replicas[i] = replica(i ? 'b' : 'a', env(i));
          nextKill = Date.now() + 4000 + Math.random() * 8000;
        }
        if (kills >= KILLS) {
          const counts = await Promise.all([...Array(WORKSPACES).keys()].map((w) => check.warnings.countByState(`TSOAK${String(w).padStart(2, '0')}`)));
          const open = counts.reduce((n, c) => n + (c.pending ?? 0) + (c.sending ?? 0), 0);
          const total = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + (b ?? 0), 0), 0);
          // Done once every workspace's warnings are recorded and nothing waits. A check killed
          // mid-fire is taken over by the other replica once its fire's lease has run out.
          if (total >= WORKSPACES * PER_WORKSPACE && open === 0) break;
        }
        await sleep(250);
      }
    } finally {
      await check.close();
    }

    // When each warning was recorded (createdAt is UTC without a zone, as Prisma writes it).
    const reader = new Client({ connectionString: databaseUrl });
    await reader.connect();
    const recorded = await reader
      .query<{ id: number; created: string }>(`SELECT "id", (extract(epoch from "createdAt") * 1000)::bigint AS created FROM "Warning"`)
      .finally(() => reader.end());
    const recordedRows = recorded.rows;
    const recordedAt = new Map(recordedRows.map((r) => [Number(r.id), Number(r.created)]));
    const perWarning = new Map<number, number>();
    const firstAt = new Map<number, number>();
    for (const m of slack.accepted) {
      for (const id of m.ids) {
        perWarning.set(id, (perWarning.get(id) ?? 0) + 1);
        if (!firstAt.has(id)) firstAt.set(id, m.at);
      }
    }
    const ids = [...recordedAt.keys()];
    const once = ids.filter((id) => perWarning.get(id) === 1).length;
    const twice = ids.filter((id) => (perWarning.get(id) ?? 0) >= 2).length;
    const never = ids.filter((id) => !perWarning.has(id)).length;
    const latencies = ids
      .filter((id) => firstAt.has(id))
      .map((id) => firstAt.get(id)! - recordedAt.get(id)!)
      .sort((a, b) => a - b);
    const rows: [string, string][] = [
      ['warnings recorded', `${ids.length} (of ${WORKSPACES * PER_WORKSPACE} expected)`],
      ['posted exactly once', String(once)],
      ['posted twice or more', String(twice)],
      ['never posted', String(never)],
      ['p50 recorded → posted', `${(percentile(latencies, 50) / 1000).toFixed(1)} s`],
      ['p99 recorded → posted', `${(percentile(latencies, 99) / 1000).toFixed(1)} s`],
      ['replica kills (SIGKILL)', String(kills)],
      ['chat.postMessage calls / accepted', `${slack.calls()} / ${slack.accepted.length}`],
      ['wall time', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`| ${'measure'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
    return never === 0 ? 0 : 1;
  } finally {
    for (const child of replicas) child?.kill('SIGKILL');
    await slack.close();
    await sleep(500);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`soak failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
