/**
 * Child process of bench/check.bench.ts: times reading every workspace's connections, then two full
 * check passes (empty outbox, then the same day again), on the SQLite file given. Runs alone in its
 * process so that its peak RSS is the check's own, not the seeding's. Prints one JSON object.
 */
import { runCheck } from '../src/runs/check-run';
import { parseDatabaseUrl } from '../src/store/database-url';
import { openStore } from '../src/store/store';
import { BENCH_NOW } from './fixtures';
import { peakRssMb, timed } from './support';

export interface PassFigures {
  connectionsRead: number;
  readMs: number;
  firstMs: number;
  firstCreated: number;
  againMs: number;
  againCreated: number;
  problems: number;
  peakRssMb: number;
}

async function main(file: string): Promise<PassFigures> {
  const store = openStore(parseDatabaseUrl(`file:${file}`));
  try {
    const ids = (await store.workspaces.list()).map((w) => w.id);
    const read = await timed(async () => {
      let rows = 0;
      for (const id of ids) {
        await store.workspaces.getById(id);
        const [connections] = await Promise.all([store.connections.list(id), store.members.inactiveUserIds(id)]);
        rows += connections.length;
      }
      return rows;
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
      connectionsRead: read.result,
      readMs: read.ms,
      firstMs: first.ms,
      firstCreated: first.result.created,
      againMs: again.ms,
      againCreated: again.result.created,
      problems: first.result.problems,
      peakRssMb: peakRssMb(),
    };
  } finally {
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
