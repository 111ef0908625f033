/**
 * `/channels status` on a workspace with 5,000 channels, through the real Bolt app over HTTP with
 * signed requests: time to the ack (the HTTP answer Slack waits for, 3 s budget) and to the
 * response_url post (the list itself). Runs alone: `npx tsx bench/slack.ts [--requests 200]
 * [--connections 5000]`; set BENCH_DATABASE_URL=postgresql://… to measure on PostgreSQL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/bot/app';
import type { Config } from '../src/config';
import { silentLogger } from '../src/logger';
import { migrate } from '../src/store/migrate';
import { openStore } from '../src/store/store';
import { parseDatabaseUrl } from '../src/store/database-url';
import type { ClientResult, ClientStart } from './slack-client';

export interface SlackBenchOptions {
  connections?: number;
  requests?: number;
  /** Default: a fresh SQLite file in a temporary folder. */
  databaseUrl?: string;
  log?: (line: string) => void;
}

export interface Percentiles {
  median: number;
  p99: number;
  max: number;
}

export interface SlackBenchResult {
  name: 'slack /channels status';
  database: string;
  connections: number;
  requests: number;
  /** Milliseconds from sending the signed request to its HTTP answer (the ack). */
  ackMs: Percentiles;
  /** Milliseconds from sending it to the status list arriving at response_url. */
  responseMs: Percentiles;
}

const SECRET = 'bench-secret';
const NETWORKS = ['linkedin', 'facebook', 'instagram', 'x', 'tiktok', 'youtube'] as const;

function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return { median: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runSlackBench(options: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const connections = options.connections ?? 5000;
  const requests = options.requests ?? 200;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-'));
  const target = parseDatabaseUrl(options.databaseUrl ?? `file:${path.join(dir, 'bench.db')}`);
  await migrate(target);
  const store = openStore(target);
  const client = fork(path.join(__dirname, `slack-client${path.extname(__filename)}`), [], {
    execArgv: __filename.endsWith('.ts') ? ['--import', 'tsx'] : [],
    cwd: path.join(__dirname, '..'),
  });
  const { apiUrl } = await nextMessage<{ apiUrl: string }>(client);
  const team = `TBENCH${Date.now().toString(36).toUpperCase()}`;
  try {
    await store.workspaces.ensure(team, 'Bench');
    await store.members.upsert(team, 'UBENCH', { role: 'member' });
    log(`seeding ${connections} channels…`);
    // A hundred channels per transaction: one commit each instead of five thousand.
    for (let first = 0; first < connections; first += 100) {
      await store.transaction(async (tx) => {
        for (let i = first; i < Math.min(connections, first + 100); i += 1) {
          const connectedAt = new Date(Date.UTC(2025, 0, 1) + (i % 500) * 86_400_000).toISOString().slice(0, 10);
          const input = {
            network: NETWORKS[i % NETWORKS.length]!,
            kind: 'page' as const,
            name: `Channel ${i}`,
            ownerId: `UOWNER${i % 50}`,
            connectedAt,
            backups: i % 3 ? [`UBACK${i % 7}`] : [],
          };
          await tx.connections.create(team, input, 'UBENCH');
        }
      });
    }
    const config: Config = {
      database: target,
      slack: { botToken: 'xoxb-bench', signingSecret: SECRET, appToken: null, socketMode: false, apiUrl },
      alertChannel: null,
      port: 0,
      logLevel: 'silent',
    };
    const bot = createApp({ config, store, logger: silentLogger, now: () => new Date() });
    const port = await bot.start(0);
    let result: ClientResult;
    try {
      log(`sending ${requests} signed /channels status requests…`);
      const start: ClientStart = { port: port!, team, user: 'UBENCH', secret: SECRET, requests, warmup: 5 };
      client.send(start);
      const answer = await nextMessage<{ result?: ClientResult; error?: string }>(client);
      if (!answer.result) throw new Error(`bench client failed: ${answer.error}`);
      result = answer.result;
    } finally {
      await bot.stop();
    }
    const { ackMs: ack, responseMs: response } = result;
    return { name: 'slack /channels status', database: target.provider, connections, requests, ackMs: percentiles(ack), responseMs: percentiles(response) };
  } finally {
    if (client.connected) client.kill();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('exit', (code) => reject(new Error(`bench client exited with ${code}`)));
  });
}

if (require.main === module) {
  const { values } = parseArgs({ options: { requests: { type: 'string' }, connections: { type: 'string' } } });
  runSlackBench({
    requests: values.requests ? Number(values.requests) : undefined,
    connections: values.connections ? Number(values.connections) : undefined,
    databaseUrl: process.env.BENCH_DATABASE_URL,
  }).then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
