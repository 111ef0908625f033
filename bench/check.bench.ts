/**
 * The check run at scale: 100 connections per workspace, 100,000 connections by default.
 * (a) evaluate + plan in memory; (b) full check passes on SQLite and PostgreSQL, each against the
 * raw driver's floor measured in the same run (the same reads, the same warning rows inserted in
 * one transaction); (c) peak RSS of the process that ran them; (d) growth at 10,000, 100,000 and
 * (SQLite, unless --quick) 1,000,000 connections.
 */
import { evaluateAll } from '../src/rules/evaluate';
import { planWarnings, type ExistingWarning } from '../src/rules/plan';
import { resolvePolicy } from '../src/rules/policy';
import type { Network, NetworkPolicy } from '../src/domain';
import { localToday } from './check-run';
import { measurePasses, type PassFigures } from './check-passes';
import { freshDatabase, postgresReachable, type BenchProvider } from './databases';
import { BENCH_NOW, estateWorkspaces, makeEstate, type EstateWorkspace } from './fixtures';
import { seedPostgres, seedSqlite } from './seed';
import { atLeast, atMost, growthFigure, peakRssMb, quick, runChild, timed, type Benchmark, type Figure } from './support';

const PER_WORKSPACE = 100;
const HEADLINE = Number(process.env.BENCH_CONNECTIONS ?? 100_000);

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
      today: localToday(BENCH_NOW, ws.timeZone),
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
    plan.create.forEach((w, i) =>
      planned.push({
        id: planned.length + i + 1,
        connectionId: w.connectionId,
        dedupKey: w.dedupKey,
        state: 'posted',
        snoozedUntil: null,
        kind: w.kind,
        cycle: w.cycle,
      }),
    );
  }
  return { findings, planned };
}

function evaluationFigures(log: (line: string) => void): Figure[] {
  const workspaces = HEADLINE / PER_WORKSPACE;
  const estate = makeEstate(workspaces, PER_WORKSPACE);
  evaluateAndPlan(estate, new Map()); // warm-up: the JIT is measured warm
  const first = evaluateAndPlan(estate, new Map());
  const runs = [0, 1, 2].map(() => {
    const start = process.hrtime.bigint();
    evaluateAndPlan(estate, new Map());
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  const previous = new Map<string, ExistingWarning[]>();
  for (const row of first.planned) {
    const ws = estate[Math.floor((row.connectionId - 1) / PER_WORKSPACE)]!.id;
    const rows = previous.get(ws) ?? [];
    rows.push(row);
    previous.set(ws, rows);
  }
  const steadyRuns = [0, 1, 2].map(() => {
    const start = process.hrtime.bigint();
    evaluateAndPlan(estate, previous);
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  const rate = (ms: number) => HEADLINE / (ms / 1000);
  const best = Math.min(...runs);
  const steady = Math.min(...steadyRuns);
  log(
    `evaluate + plan: ${first.findings.toLocaleString('en-US')} findings; best of 3: ${best.toFixed(0)} ms empty outbox, ${steady.toFixed(0)} ms against existing rows`,
  );
  return [
    { metric: 'evaluate + plan, empty outbox', value: rate(best), unit: 'connections/s', aim: atLeast(rate(best), 500_000), note: 'best of 3, in memory' },
    { metric: 'evaluate + plan, outbox filled', value: rate(steady), unit: 'connections/s', aim: atLeast(rate(steady), 500_000), note: 'best of 3, in memory' },
    { metric: 'peak RSS, evaluate + plan (this process)', value: peakRssMb(), unit: 'MB', note: `${HEADLINE.toLocaleString('en-US')} connections in memory` },
  ];
}

async function passesAt(provider: BenchProvider, connections: number, log: (line: string) => void): Promise<PassFigures> {
  const db = await freshDatabase(provider);
  try {
    const estate = estateWorkspaces(connections / PER_WORKSPACE, PER_WORKSPACE);
    const seeded = await timed(() => (provider === 'sqlite' ? seedSqlite(db.file!, estate) : seedPostgres(db.url, estate)));
    log(`${provider} ${connections.toLocaleString('en-US')}: seeded in ${(seeded.ms / 1000).toFixed(1)} s (not counted)`);
    const p = measurePasses(db.url, (args) => runChild('check-passes', args));
    log(
      `${provider} ${connections.toLocaleString('en-US')}: raw read ${p.rawReadMs.toFixed(0)} ms, raw insert of ${p.firstCreated.toLocaleString('en-US')} warnings ${p.rawInsertMs.toFixed(0)} ms, ` +
        `store read ${p.storeReadMs.toFixed(0)} ms; first pass ${p.firstMs.toFixed(0)} ms, same day ${p.againMs.toFixed(0)} ms (${p.againCreated} new); peak RSS ${p.peakRssMb.toFixed(0)} MB`,
    );
    return p;
  } finally {
    await db.drop();
  }
}

function headlineFigures(provider: BenchProvider, p: PassFigures): Figure[] {
  const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const floor = p.rawReadMs + p.rawInsertMs;
  const written = `${p.firstCreated.toLocaleString('en-US')} warnings written`;
  return [
    {
      metric: `raw driver floor: read + insert (${name})`,
      value: floor / 1000,
      unit: 's',
      note: `read ${(p.rawReadMs / 1000).toFixed(2)} s + insert ${(p.rawInsertMs / 1000).toFixed(2)} s`,
    },
    { metric: `first check pass (${name})`, value: p.firstMs / 1000, unit: 's', note: written },
    { metric: `first pass ÷ raw floor (${name})`, value: p.firstMs / floor, unit: '×', aim: atMost(p.firstMs / floor, 1.5, '×') },
    { metric: `same-day pass (${name})`, value: p.againMs / 1000, unit: 's', note: 'nothing new to write' },
    { metric: `same-day pass ÷ raw read (${name})`, value: p.againMs / p.rawReadMs, unit: '×', aim: atMost(p.againMs / p.rawReadMs, 2, '×') },
    { metric: `store read ÷ raw read (${name})`, value: p.storeReadMs / p.rawReadMs, unit: '×', note: 'the ORM layer alone' },
    {
      metric: `peak RSS of the check passes (${name})`,
      value: p.peakRssMb,
      unit: 'MB',
      aim: atMost(p.peakRssMb, 250, ' MB'),
      note: 'the process that ran both passes',
    },
  ];
}

export const benchmark: Benchmark = {
  name: 'check',
  description: `check runs over ${HEADLINE.toLocaleString('en-US')} connections (${PER_WORKSPACE} per workspace) against the raw driver's floor, and how they grow`,
  async run(log) {
    const figures = evaluationFigures(log);
    const providers: BenchProvider[] = (await postgresReachable()) ? ['sqlite', 'postgresql'] : ['sqlite'];
    if (providers.length === 1) log('PostgreSQL is not reachable (BENCH_POSTGRES_URL): its figures are left out');
    for (const provider of providers) {
      const sizes = [10_000, HEADLINE, ...(provider === 'sqlite' && !quick() ? [1_000_000] : [])].filter((n, i, all) => all.indexOf(n) === i);
      const results = new Map<number, PassFigures>();
      for (const n of sizes) results.set(n, await passesAt(provider, n, log));
      figures.push(...headlineFigures(provider, results.get(HEADLINE)!));
      const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      for (let i = 1; i < sizes.length; i++) {
        const [small, large] = [sizes[i - 1]!, sizes[i]!];
        const [a, b] = [results.get(small)!, results.get(large)!];
        figures.push(
          growthFigure(
            `growth, first pass ${small.toLocaleString('en-US')} → ${large.toLocaleString('en-US')} (${name})`,
            { n: small, ms: a.firstMs },
            { n: large, ms: b.firstMs },
          ),
        );
        if (large === 1_000_000)
          figures.push({
            metric: `first pass at 1,000,000 (${name})`,
            value: b.firstMs / 1000,
            unit: 's',
            note: `peak RSS ${b.peakRssMb.toFixed(0)} MB; ÷ floor ${(b.firstMs / (b.rawReadMs + b.rawInsertMs)).toFixed(2)}×`,
          });
      }
    }
    return figures;
  },
};
