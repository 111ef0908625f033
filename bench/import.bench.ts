/**
 * `channel-keeper import` at scale: 100,000 rows into one workspace on SQLite and PostgreSQL, each
 * in its own process (time and peak RSS are the import's own), and how it grows: 10,000, 100,000
 * and (SQLite, unless --quick) 1,000,000 rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, postgresReachable, type BenchProvider } from './databases';
import { writeImportCsv } from './fixtures';
import { atMost, growthFigure, quick, runChild, type Benchmark, type Figure } from './support';

const HEADLINE = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
/** The aims: seconds for 100,000 rows. */
const AIM_S: Record<BenchProvider, number> = { sqlite: 10, postgresql: 20 };

interface ImportFigures {
  ms: number;
  /** The apply transaction: how long the write lock is held. */
  applyMs: number;
  peakRssMb: number;
  result: { created: number };
}

export const benchmark: Benchmark = {
  name: 'import',
  description: `channel-keeper import of ${HEADLINE.toLocaleString('en-US')} rows into one workspace, all or nothing, and how it grows`,
  async run(log) {
    const figures: Figure[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-import-'));
    try {
      const providers: BenchProvider[] = (await postgresReachable()) ? ['sqlite', 'postgresql'] : ['sqlite'];
      if (providers.length === 1) log('PostgreSQL is not reachable (BENCH_POSTGRES_URL): its figures are left out');
      const files = new Map<number, string>();
      const fileFor = (rows: number) => {
        let file = files.get(rows);
        if (!file) {
          file = path.join(dir, `${rows}.csv`);
          writeImportCsv(file, rows);
          files.set(rows, file);
          log(`wrote ${rows.toLocaleString('en-US')} rows (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MB)`);
        }
        return file;
      };
      for (const provider of providers) {
        const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
        const sizes = [10_000, HEADLINE, ...(provider === 'sqlite' && !quick() ? [1_000_000] : [])].filter((n, i, all) => all.indexOf(n) === i);
        const results = new Map<number, ImportFigures>();
        for (const rows of sizes) {
          const db = await freshDatabase(provider);
          try {
            const r = runChild<ImportFigures>('import-child', [fileFor(rows), 'TBENCHIMPORT'], { DATABASE_URL: db.url });
            if (r.result.created !== rows) throw new Error(`import created ${r.result.created} of ${rows} rows`);
            log(
              `${name} ${rows.toLocaleString('en-US')} rows: ${(r.ms / 1000).toFixed(1)} s, ${Math.round(rows / (r.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${r.peakRssMb.toFixed(0)} MB, apply (write lock) ${(r.applyMs / 1000).toFixed(2)} s`,
            );
            results.set(rows, r);
          } finally {
            await db.drop();
          }
        }
        const head = results.get(HEADLINE)!;
        figures.push({
          metric: `import ${HEADLINE.toLocaleString('en-US')} rows (${name})`,
          value: head.ms / 1000,
          unit: 's',
          aim: atMost(head.ms / 1000, AIM_S[provider], ' s'),
          note: 'staged in batches, applied in one transaction, in its own process',
        });
        figures.push({
          metric: `write lock held by the import (${name})`,
          value: head.applyMs / 1000,
          unit: 's',
          note: 'the one transaction that applies the staged rows; Slack actions wait up to 15 s',
        });
        figures.push({ metric: `peak RSS of the import (${name})`, value: head.peakRssMb, unit: 'MB', aim: atMost(head.peakRssMb, 250, ' MB') });
        for (let i = 1; i < sizes.length; i++) {
          const [small, large] = [sizes[i - 1]!, sizes[i]!];
          figures.push(
            growthFigure(
              `growth, import ${small.toLocaleString('en-US')} → ${large.toLocaleString('en-US')} (${name})`,
              { n: small, ms: results.get(small)!.ms },
              { n: large, ms: results.get(large)!.ms },
            ),
          );
          if (large === 1_000_000)
            figures.push({
              metric: `import 1,000,000 rows (${name})`,
              value: results.get(large)!.ms / 1000,
              unit: 's',
              note: `peak RSS ${results.get(large)!.peakRssMb.toFixed(0)} MB`,
            });
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
