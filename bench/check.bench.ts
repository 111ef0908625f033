/**
 * The check run at scale: 100 connections per workspace, 100,000 connections by default
 * (BENCH_CONNECTIONS). (a) evaluate + plan in memory; (b) `channel-keeper check` as users run it
 * (the compiled binary in its own process, posting to a fake Slack on loopback, and again without
 * Slack) on SQLite and PostgreSQL, each against the raw driver's floor measured in the same run:
 * the same reads, the same warning rows inserted in one transaction and in one per workspace; its
 * same-day pass against a raw read of the same rows (the warnings the first pass left); its peak
 * RSS; (c) the in-process pass (no start-up, no drain, no output) beside it; (d) growth at 10,000,
 * 100,000 and (SQLite, unless --quick) 1,000,000 connections.
 */
import { evaluateAll } from '../src/rules/evaluate';
import { planWarnings, type ExistingWarning } from '../src/rules/plan';
import { resolvePolicy } from '../src/rules/policy';
import type { Network, NetworkPolicy } from '../src/domain';
import { checkAsUsersRunIt, type CliPass } from './check-cli';
import { localToday } from './check-run';
import { measurePasses, type PassFigures, type StepFigures } from './check-passes';
import { benchProviders, freshDatabase, type BenchDatabase, type BenchProvider } from './databases';
import { startFakeSlack, type BenchSlack } from './fake-slack';
import { BENCH_NOW, estateWorkspaces, makeEstate, type EstateWorkspace } from './fixtures';
import { seedPostgres, seedSqlite } from './seed';
import { atLeast, atMost, growthFigure, peakRssMb, quick, runChild, timed, type Benchmark, type Figure } from './support';

const PER_WORKSPACE = 100;
/** The size of the headline figures (a multiple of 100); a smaller one makes a quick run. */
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

/** `check` run twice as a process (first pass, then the same day again) on its own copy of the seeded database. */
interface CliFigures {
  first: CliPass;
  again: CliPass;
  /** What the first pass wrote, counted in the database. */
  warnings: number;
  /** The raw driver's reads after the first pass: the same rows the same-day pass reads. */
  filledReadMs: number;
}

async function cliPasses(db: BenchDatabase, slack: BenchSlack | null): Promise<CliFigures> {
  try {
    const first = await checkAsUsersRunIt(db.url, slack);
    const read = runChild<Extract<StepFigures, { step: 'raw-read' }>>('check-passes', [db.url, 'raw-read']);
    const again = await checkAsUsersRunIt(db.url, slack);
    return { first, again, warnings: read.warnings, filledReadMs: read.rawReadMs };
  } finally {
    await db.drop();
  }
}

interface SizeFigures {
  passes: PassFigures;
  /** At the headline size only: with a fake Slack, and without Slack. */
  cli?: { slack: CliFigures; quiet: CliFigures };
}

async function passesAt(provider: BenchProvider, connections: number, log: (line: string) => void, slack: BenchSlack | null): Promise<SizeFigures> {
  const db = await freshDatabase(provider);
  const size = `${provider} ${connections.toLocaleString('en-US')}`;
  try {
    const estate = estateWorkspaces(connections / PER_WORKSPACE, PER_WORKSPACE);
    const seeded = await timed(() => (provider === 'sqlite' ? seedSqlite(db.file!, estate) : seedPostgres(db.url, estate)));
    log(`${size}: seeded in ${(seeded.ms / 1000).toFixed(1)} s (not counted)`);
    let cli: SizeFigures['cli'];
    if (slack) {
      // Copies taken before anything ran: each variant starts from the seeded state.
      const [withSlack, quiet] = [await db.clone(), await db.clone()];
      cli = { slack: await cliPasses(withSlack, slack), quiet: await cliPasses(quiet, null) };
      for (const [name, c] of [
        ['fake Slack', cli.slack],
        ['no Slack', cli.quiet],
      ] as const)
        log(
          `${size}, check as a process, ${name}: first ${c.first.ms.toFixed(0)} ms (${c.warnings.toLocaleString('en-US')} warnings, ${c.first.posts.toLocaleString('en-US')} posts, ` +
            `${c.first.stdoutMb.toFixed(1)} MB stdout, ${c.first.stderrLines} stderr lines, peak RSS ${c.first.peakRssMb.toFixed(0)} MB, CPU ${c.first.cpuMs.toFixed(0)} ms); ` +
            `same day ${c.again.ms.toFixed(0)} ms (${c.again.posts} posts, peak RSS ${c.again.peakRssMb.toFixed(0)} MB); raw read of the same rows ${c.filledReadMs.toFixed(0)} ms`,
        );
    }
    const p = measurePasses(db.url, (args) => runChild('check-passes', args));
    log(
      `${size}: raw read ${p.rawReadMs.toFixed(0)} ms, raw insert of ${p.firstCreated.toLocaleString('en-US')} warnings ${p.rawInsertMs.toFixed(0)} ms in one transaction, ` +
        `${p.rawInsertPerWorkspaceMs.toFixed(0)} ms in one per workspace; store read ${p.storeReadMs.toFixed(0)} ms; ` +
        `in process: first pass ${p.firstMs.toFixed(0)} ms, same day ${p.againMs.toFixed(0)} ms (${p.againCreated} new); peak RSS ${p.peakRssMb.toFixed(0)} MB`,
    );
    return { passes: p, cli };
  } finally {
    await db.drop();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** The process's CPU time: well below its wall time, it waited (on Slack, a timer, the database's other process). */
const cpu = (pass: CliPass) => (Number.isNaN(pass.cpuMs) ? '' : `; CPU ${seconds(pass.cpuMs)}`);

function headlineFigures(provider: BenchProvider, { passes: p, cli }: SizeFigures): Figure[] {
  const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const floor = p.rawReadMs + p.rawInsertMs;
  const floorPerWorkspace = p.rawReadMs + p.rawInsertPerWorkspaceMs;
  const at = `${HEADLINE.toLocaleString('en-US')} connections`;
  const figures: Figure[] = [
    {
      metric: `raw floor, one transaction (${name})`,
      value: floor / 1000,
      unit: 's',
      note: `read ${seconds(p.rawReadMs)} + insert of ${p.firstCreated.toLocaleString('en-US')} warnings ${seconds(p.rawInsertMs)}`,
    },
    {
      metric: `raw floor, one transaction per workspace (${name})`,
      value: floorPerWorkspace / 1000,
      unit: 's',
      note: `read ${seconds(p.rawReadMs)} + insert ${seconds(p.rawInsertPerWorkspaceMs)} in ${(HEADLINE / PER_WORKSPACE).toLocaleString('en-US')} commits`,
    },
  ];
  for (const [variant, c] of [
    ['fake Slack', cli?.slack],
    ['no Slack', cli?.quiet],
  ] as const) {
    if (!c) continue;
    const label = `check as a process, ${variant} (${name})`;
    const posted = variant === 'fake Slack' ? `${c.first.posts.toLocaleString('en-US')} messages posted on loopback` : 'warnings recorded, left pending';
    figures.push(
      {
        metric: `first pass, ${label}`,
        value: c.first.ms / 1000,
        unit: 's',
        note:
          `${c.warnings.toLocaleString('en-US')} warnings; ${posted}; ${c.first.stdoutMb.toFixed(1)} MB of stdout; start-up included${cpu(c.first)}` +
          (c.first.exitCode ? `; EXIT 1: ${c.first.lastNote}` : ''),
      },
      { metric: `first pass ÷ one-transaction floor, ${label}`, value: c.first.ms / floor, unit: '×', aim: atMost(c.first.ms / floor, 1.5, '×') },
      { metric: `first pass ÷ per-workspace floor, ${label}`, value: c.first.ms / floorPerWorkspace, unit: '×' },
      {
        metric: `same-day pass, ${label}`,
        value: c.again.ms / 1000,
        unit: 's',
        note: `nothing new; raw read of the same rows ${seconds(c.filledReadMs)}${cpu(c.again)}`,
      },
      {
        metric: `same-day pass ÷ its raw read, ${label}`,
        value: c.again.ms / c.filledReadMs,
        unit: '×',
        aim: atMost(c.again.ms / c.filledReadMs, 1.5, '×'),
        note: 'the read taken with the first pass’s warnings stored',
      },
      {
        metric: `peak RSS, ${label}`,
        value: Math.max(c.first.peakRssMb, c.again.peakRssMb),
        unit: 'MB',
        aim: atMost(Math.max(c.first.peakRssMb, c.again.peakRssMb), 250, ' MB'),
        note: `the check process at ${at}: first pass ${c.first.peakRssMb.toFixed(0)} MB, same day ${c.again.peakRssMb.toFixed(0)} MB`,
      },
    );
  }
  const cliFirst = cli?.slack.first.ms;
  figures.push(
    {
      metric: `first pass in process (${name})`,
      value: p.firstMs / 1000,
      unit: 's',
      note:
        `no start-up, no drain, no output; ÷ one-transaction floor ${(p.firstMs / floor).toFixed(2)}×` +
        (cliFirst ? `; the process takes ${(cliFirst / p.firstMs).toFixed(2)}× this` : ''),
    },
    {
      metric: `same-day pass in process (${name})`,
      value: p.againMs / 1000,
      unit: 's',
      note: `nothing new to write; ÷ raw read before any warning ${(p.againMs / p.rawReadMs).toFixed(2)}×`,
    },
    { metric: `store read ÷ raw read (${name})`, value: p.storeReadMs / p.rawReadMs, unit: '×', note: 'the ORM layer alone' },
    { metric: `peak RSS of the in-process passes (${name})`, value: p.peakRssMb, unit: 'MB', note: 'the process that ran both passes' },
  );
  return figures;
}

export const benchmark: Benchmark = {
  name: 'check',
  description: `channel-keeper check as a process, and the check pass in process, over ${HEADLINE.toLocaleString('en-US')} connections (${PER_WORKSPACE} per workspace) against the raw driver's floor, and how they grow`,
  async run(log) {
    const figures = evaluationFigures(log);
    const providers = await benchProviders(log);
    const slack = await startFakeSlack();
    try {
      for (const provider of providers) await providerFigures(provider, figures, log, slack);
    } finally {
      await slack.close();
    }
    return figures;
  },
};

async function providerFigures(provider: BenchProvider, figures: Figure[], log: (line: string) => void, slack: BenchSlack): Promise<void> {
  const sizes = [10_000, HEADLINE, ...(provider === 'sqlite' && !quick() ? [1_000_000] : [])].filter((n, i, all) => all.indexOf(n) === i).sort((a, b) => a - b);
  const results = new Map<number, SizeFigures>();
  // `check` as a process at the headline size only; the growth figures are the in-process passes.
  for (const n of sizes) results.set(n, await passesAt(provider, n, log, n === HEADLINE ? slack : null));
  figures.push(...headlineFigures(provider, results.get(HEADLINE)!));
  const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  for (let i = 1; i < sizes.length; i++) {
    const [small, large] = [sizes[i - 1]!, sizes[i]!];
    const [a, b] = [results.get(small)!.passes, results.get(large)!.passes];
    figures.push(
      growthFigure(
        `growth, first pass in process ${small.toLocaleString('en-US')} → ${large.toLocaleString('en-US')} (${name})`,
        { n: small, ms: a.firstMs },
        { n: large, ms: b.firstMs },
      ),
    );
    if (large === 1_000_000)
      figures.push({
        metric: `first pass in process at 1,000,000 (${name})`,
        value: b.firstMs / 1000,
        unit: 's',
        note: `peak RSS ${b.peakRssMb.toFixed(0)} MB; ÷ floor ${(b.firstMs / (b.rawReadMs + b.rawInsertMs)).toFixed(2)}×`,
      });
  }
}
