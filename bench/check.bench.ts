/**
 * The check run at scale: 100,000 connections over 1,000 workspaces (BENCH_WORKSPACES and
 * BENCH_PER_WORKSPACE change that). (a) pure evaluation + planning in memory; (b) full check passes
 * on a temporary SQLite file against merely reading the same rows; (c) peak memory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluateAll, planWarnings, resolvePolicy, todayIn, type ExistingWarning } from '../src/checks';
import type { Network, NetworkPolicy } from '../src/domain';
import { parseDatabaseUrl } from '../src/store/database-url';
import { migrate } from '../src/store/migrate';
import type { PassFigures } from './check-passes';
import { seedSqlite } from './check-seed';
import { BENCH_NOW, makeEstate, type EstateWorkspace } from './fixtures';
import { atLeast, atMost, peakRssMb, timed, type Benchmark, type Figure } from './support';

function memory(): string {
  const { rss, heapUsed } = process.memoryUsage();
  return `rss ${(rss / 2 ** 20).toFixed(0)} MB, heap ${(heapUsed / 2 ** 20).toFixed(0)} MB, peak ${peakRssMb().toFixed(0)} MB`;
}


function policies(): (network: Network) => NetworkPolicy {
  const cache = new Map<Network, NetworkPolicy>();
  return (n) => cache.get(n) ?? cache.set(n, resolvePolicy(n)).get(n)!;
}

/** evaluateAll + planWarnings over every workspace, against the rows a previous pass left (or none). */
function evaluateAndPlan(estate: EstateWorkspace[], existing: Map<string, ExistingWarning[]>): { findings: number; planned: ExistingWarning[] } {
  let findings = 0;
  const planned: ExistingWarning[] = [];
  for (const ws of estate) {
    const inactive = new Set(ws.inactiveUsers);
    const evaluation = evaluateAll(ws.connections, {
      today: todayIn(BENCH_NOW, ws.timeZone),
      policyFor: policies(),
      isOwnerGone: (c) => c.ownerId === null || inactive.has(c.ownerId),
    });
    findings += evaluation.findings.length;
    const plan = planWarnings({
      workspaceId: ws.id,
      findings: evaluation.findings,
      existing: existing.get(ws.id) ?? [],
      now: BENCH_NOW,
      skipConnectionIds: evaluation.problems.map((p) => p.connectionId),
    });
    plan.create.forEach((w, i) => planned.push({ id: planned.length + i + 1, connectionId: w.connectionId, dedupKey: w.dedupKey, state: 'posted', snoozedUntil: null, kind: w.kind, cycle: w.cycle }));
  }
  return { findings, planned };
}

function runPasses(file: string): PassFigures {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'check-passes.ts'), file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as PassFigures;
}

export const benchmark: Benchmark = {
  name: 'check',
  description: 'check runs over 100,000 connections in 1,000 workspaces',
  async run(log) {
    const workspaces = Number(process.env.BENCH_WORKSPACES ?? 1_000);
    const perWorkspace = Number(process.env.BENCH_PER_WORKSPACE ?? 100);
    const total = workspaces * perWorkspace;
    const estate = makeEstate(workspaces, perWorkspace);
    const figures: Figure[] = [];

    // (a) The pure rules, in memory. A warm-up pass first, so the JIT is measured warm.
    evaluateAndPlan(estate, new Map());
    const first = await timed(() => evaluateAndPlan(estate, new Map()));
    const previous = new Map<string, ExistingWarning[]>();
    for (const row of first.result.planned) {
      const ws = estate[Math.floor((row.connectionId - 1) / perWorkspace)]!.id;
      const rows = previous.get(ws) ?? [];
      rows.push(row);
      previous.set(ws, rows);
    }
    const steady = await timed(() => evaluateAndPlan(estate, previous));
    const rate = (ms: number) => total / (ms / 1000);
    log(`${first.result.findings.toLocaleString('en-US')} findings; first pass ${first.ms.toFixed(0)} ms, against existing rows ${steady.ms.toFixed(0)} ms; ${memory()}`);
    figures.push({ metric: 'evaluate + plan, empty outbox', value: rate(first.ms), unit: 'connections/s', aim: atLeast(rate(first.ms), 500_000) });
    figures.push({ metric: 'evaluate + plan, outbox filled', value: rate(steady.ms), unit: 'connections/s', aim: atLeast(rate(steady.ms), 500_000) });

    // (b) Full passes on SQLite, compared with reading the same rows, in a child process whose
    // peak RSS (c) is then the check's own.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-'));
    const file = path.join(dir, 'bench.db');
    try {
      const seeded = await timed(async () => {
        await migrate(parseDatabaseUrl(`file:${file}`));
        seedSqlite(file, estate);
      });
      log(`seeded ${total.toLocaleString('en-US')} connections in ${(seeded.ms / 1000).toFixed(1)} s (not counted)`);
      const p = runPasses(file);
      log(`read ${p.connectionsRead.toLocaleString('en-US')} connections (with backups) in ${p.readMs.toFixed(0)} ms`);
      log(`first pass recorded ${p.firstCreated.toLocaleString('en-US')} warnings in ${p.firstMs.toFixed(0)} ms; same day again recorded ${p.againCreated} in ${p.againMs.toFixed(0)} ms; ${p.problems} bad-data connections reported`);
      const written = `${p.firstCreated.toLocaleString('en-US')} warnings written`;
      figures.push({ metric: 'full check pass, empty outbox (SQLite)', value: p.firstMs / 1000, unit: 's', aim: atMost(p.firstMs / 1000, 5, ' s'), note: written });
      figures.push({ metric: 'full check pass, same day again (SQLite)', value: p.againMs / 1000, unit: 's', aim: atMost(p.againMs / 1000, 5, ' s'), note: 'nothing new to write' });
      figures.push({ metric: 'reading the same rows (SQLite)', value: p.readMs / 1000, unit: 's', note: 'workspace, connections + backups, inactive members' });
      figures.push({ metric: 'full pass ÷ read, empty outbox', value: p.firstMs / p.readMs, unit: '×', aim: atMost(p.firstMs / p.readMs, 3, '×') });
      figures.push({ metric: 'full pass ÷ read, same day again', value: p.againMs / p.readMs, unit: '×', aim: atMost(p.againMs / p.readMs, 3, '×') });
      // (c) Memory of the process that ran the passes.
      figures.push({ metric: 'peak RSS of the check passes (maxRSS)', value: p.peakRssMb, unit: 'MB', aim: atMost(p.peakRssMb, 300, ' MB') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    figures.push({ metric: 'peak RSS of this process (evaluation + seeding)', value: peakRssMb(), unit: 'MB' });
    return figures;
  },
};
