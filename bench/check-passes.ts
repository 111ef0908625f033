/**
 * Child process of bench/check.bench.ts, on one seeded database (SQLite file or PostgreSQL url):
 * the raw driver's reads; the store's reads, a first check pass (empty outbox) and a pass on the
 * same day again; the raw driver inserting the same warning rows the first pass wrote. Prints one
 * JSON object.
 */
import { parseDatabaseUrl } from '../src/store/database-url';
import { openStore, type Store } from '../src/store/store';
import { runCheck } from './check-run';
import { BENCH_NOW } from './fixtures';
import { postgresDriver, sqliteDriver } from './raw-floor';
import { peakRssMb, timed } from './support';

export interface PassFigures {
  connectionsRead: number;
  /** Raw driver: every read a pass makes. */
  rawReadMs: number;
  /** Raw driver: the first pass's warning rows inserted again in one transaction. */
  rawInsertMs: number;
  /** The same rows inserted in one transaction per workspace. */
  rawInsertPerWorkspaceMs: number;
  /** Through the store (Prisma): the same reads. */
  storeReadMs: number;
  firstMs: number;
  firstCreated: number;
  againMs: number;
  againCreated: number;
  problems: number;
  peakRssMb: number;
}

/**
 * One step per process, so that each process's peak RSS is its own: `raw-read` (the raw driver's
 * reads), `passes` (the store's reads, then a first and a same-day check pass: the check's RSS),
 * `raw-insert` (the warning rows the first pass wrote, deleted and inserted again by the raw driver:
 * in one transaction, then deleted again and inserted in one transaction per workspace).
 */
export type Step = 'raw-read' | 'passes' | 'raw-insert';

export type StepFigures =
  | { step: 'raw-read'; connectionsRead: number; rawReadMs: number; warnings: number; peakRssMb: number }
  | { step: 'passes'; storeReadMs: number; firstMs: number; firstCreated: number; againMs: number; againCreated: number; problems: number; peakRssMb: number }
  | { step: 'raw-insert'; rawInsertMs: number; rawInsertPerWorkspaceMs: number; rows: number; peakRssMb: number };

async function main(url: string, step: Step): Promise<StepFigures> {
  const target = parseDatabaseUrl(url);
  const store = openStore(target);
  try {
    const ids = (await store.workspaces.list()).map((w) => w.id);
    if (step === 'passes') return await passes(store, ids);
    const raw = target.provider === 'sqlite' ? sqliteDriver(target.filePath!) : await postgresDriver(url);
    try {
      if (step === 'raw-read') {
        await raw.read(ids.slice(0, 10)); // warm-up: statement caches, connection
        const read = await timed(() => raw.read(ids));
        return { step, connectionsRead: read.result, rawReadMs: read.ms, warnings: await raw.countWarnings(), peakRssMb: peakRssMb() };
      }
      const rows = await raw.takeWarnings();
      const insert = await timed(() => raw.insertWarnings(rows));
      const again = await raw.takeWarnings();
      const perWorkspace = await timed(() => raw.insertWarningsPerWorkspace(again));
      return { step, rawInsertMs: insert.ms, rawInsertPerWorkspaceMs: perWorkspace.ms, rows: rows.length, peakRssMb: peakRssMb() };
    } finally {
      await raw.close();
    }
  } finally {
    await store.close();
  }
}

async function passes(store: Store, ids: string[]): Promise<StepFigures> {
  const storeRead = await timed(async () => {
    for (const id of ids) {
      await store.workspaces.getById(id);
      await Promise.all([store.connections.list(id), store.members.inactiveUserIds(id), store.warnings.listOpen(id)]);
    }
  });
  const pass = async () => {
    let created = 0;
    let problems = 0;
    for (const id of ids) {
      const summary = await runCheck({ store, now: () => BENCH_NOW }, id);
      created += summary.counts.created;
      problems += summary.problems.length;
    }
    return { created, problems };
  };
  const first = await timed(pass);
  const again = await timed(pass);
  return {
    step: 'passes',
    storeReadMs: storeRead.ms,
    firstMs: first.ms,
    firstCreated: first.result.created,
    againMs: again.ms,
    againCreated: again.result.created,
    problems: first.result.problems,
    peakRssMb: peakRssMb(),
  };
}

/** All three steps, in order, each in its own process. */
export function measurePasses(url: string, run: <T>(args: string[]) => T): PassFigures {
  const read = run<Extract<StepFigures, { step: 'raw-read' }>>([url, 'raw-read']);
  const p = run<Extract<StepFigures, { step: 'passes' }>>([url, 'passes']);
  const insert = run<Extract<StepFigures, { step: 'raw-insert' }>>([url, 'raw-insert']);
  return {
    connectionsRead: read.connectionsRead,
    rawReadMs: read.rawReadMs,
    rawInsertMs: insert.rawInsertMs,
    rawInsertPerWorkspaceMs: insert.rawInsertPerWorkspaceMs,
    storeReadMs: p.storeReadMs,
    firstMs: p.firstMs,
    firstCreated: p.firstCreated,
    againMs: p.againMs,
    againCreated: p.againCreated,
    problems: p.problems,
    peakRssMb: p.peakRssMb,
  };
}

if (require.main === module) {
  main(process.argv[2]!, process.argv[3] as Step).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
