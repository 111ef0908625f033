/**
 * Child process of bench/check.bench.ts, on one seeded database (SQLite file or PostgreSQL url):
 * the raw driver's reads, the store's reads, a first check pass (empty outbox), the raw driver
 * inserting the same warning rows, then a pass on the same day again. Runs alone in its process so
 * that its peak RSS is the check's own. Prints one JSON object.
 */
import type { WarningDelivery } from '../src/checks/delivery';
import { parseDatabaseUrl } from '../src/store/database-url';
import { openStore } from '../src/store/store';
import { runCheck } from './check-run';
import { BENCH_NOW } from './fixtures';
import { postgresDriver, sqliteDriver } from './raw-floor';
import { peakRssMb, timed } from './support';

export interface PassFigures {
  connectionsRead: number;
  /** Raw driver: every read a pass makes. */
  rawReadMs: number;
  /** Raw driver: the first pass's warning rows inserted in one transaction. */
  rawInsertMs: number;
  /** Through the store (Prisma): the same reads. */
  storeReadMs: number;
  firstMs: number;
  firstCreated: number;
  againMs: number;
  againCreated: number;
  problems: number;
  peakRssMb: number;
}

const NO_DELIVERY: WarningDelivery = { deliver: async () => ({ posted: 0, failed: 0, pending: 0 }) };

async function main(url: string): Promise<PassFigures> {
  const target = parseDatabaseUrl(url);
  const store = openStore(target);
  const raw = target.provider === 'sqlite' ? sqliteDriver(target.filePath!) : await postgresDriver(url);
  try {
    const ids = (await store.workspaces.list()).map((w) => w.id);
    await raw.read(ids.slice(0, 10)); // warm-up: statement caches, connection
    const rawRead = await timed(() => raw.read(ids));
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
        const summary = await runCheck(store, id, { now: BENCH_NOW, delivery: NO_DELIVERY });
        created += summary.counts.created;
        problems += summary.problems.length;
      }
      return { created, problems };
    };
    const first = await timed(pass);
    const rows = await raw.takeWarnings();
    const rawInsert = await timed(() => raw.insertWarnings(rows));
    const again = await timed(pass);
    return {
      connectionsRead: rawRead.result,
      rawReadMs: rawRead.ms,
      rawInsertMs: rawInsert.ms,
      storeReadMs: storeRead.ms,
      firstMs: first.ms,
      firstCreated: first.result.created,
      againMs: again.ms,
      againCreated: again.result.created,
      problems: first.result.problems,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await raw.close();
    await store.close();
  }
}

if (require.main === module) {
  main(process.argv[2]!).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
