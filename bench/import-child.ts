/**
 * Child process of bench/import.bench.ts: `channel-keeper import <file> --workspace <id>` through
 * the CLI's own entry (DATABASE_URL from the environment), timed, with this process's peak RSS.
 * Prints one JSON object.
 */
import { main } from '../src/cli';
import { ImportStageRepository } from '../src/store/import-stage-repository';
import { peakRssMb, timed } from './support';

/** How long the apply (the one write transaction that holds SQLite's lock) took. */
function timeApply(): () => number {
  const apply = ImportStageRepository.prototype.apply;
  let ms = 0;
  ImportStageRepository.prototype.apply = async function (this: ImportStageRepository, ...args: Parameters<typeof apply>) {
    const started = performance.now();
    try {
      return await apply.apply(this, args);
    } finally {
      ms += performance.now() - started;
    }
  };
  return () => ms;
}

async function run(file: string, workspace: string) {
  const out: string[] = [];
  const err: string[] = [];
  const applyMs = timeApply();
  const { result: code, ms } = await timed(() =>
    main(['import', file, '--workspace', workspace], { out: (t) => void out.push(t), err: (t) => void err.push(t) }),
  );
  if (code !== 0) throw new Error(`import exited ${code}: ${err.join('\n').slice(0, 2000)}`);
  return { ms, applyMs: applyMs(), peakRssMb: peakRssMb(), result: JSON.parse(out.join('')) as { created: number } };
}

if (require.main === module) {
  run(process.argv[2]!, process.argv[3]!).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
