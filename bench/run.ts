/**
 * `npm run bench [-- [--quick] <name>…]`: runs every `bench/*.bench.ts` (or the named ones) and
 * prints one table of figures; `--quick` leaves out the million-connection sizes. The benchmarks
 * run compiled (tsconfig.bench.json), as users run the code. Adding a benchmark is adding a file that exports `benchmark: Benchmark`
 * (see bench/support.ts); nothing here changes. Figures are printed, never asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { table, type Benchmark, type Figure } from './support';

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--quick');
  if (args.length !== argv.length) process.env.BENCH_QUICK = '1';
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => /\.bench\.(ts|js)$/.test(f))
    .sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { benchmark?: Benchmark };
    if (!mod.benchmark) throw new Error(`${file} does not export "benchmark"`);
    benchmarks.push(mod.benchmark);
  }
  const chosen = args.length ? benchmarks.filter((b) => args.includes(b.name)) : benchmarks;
  if (!chosen.length) {
    process.stderr.write(`no benchmark named ${args.join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}\n`);
    return 1;
  }
  const rows: { bench: string; figure: Figure }[] = [];
  for (const bench of chosen) {
    process.stderr.write(`\n== ${bench.name}: ${bench.description}\n`);
    const figures = await bench.run((line) => process.stderr.write(`   ${line}\n`));
    rows.push(...figures.map((figure) => ({ bench: bench.name, figure })));
  }
  process.stdout.write(`\n${table(rows)}\n`);
  // A missed aim is printed as MISSED, not turned into a failure: timings depend on the machine.
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
