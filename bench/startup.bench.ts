/** `channel-keeper --help` start-up: the compiled build users run, against tsx on the sources and bare Node; `serve` idle RSS. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serveIdleRss } from './serve-idle';
import { atMost, type Benchmark } from './support';

const ROOT = path.resolve(__dirname, '..', __filename.endsWith('.js') ? '..' : '');

function bestOf(runs: number, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Math.min(...times);
}

export const benchmark: Benchmark = {
  name: 'startup',
  description: 'channel-keeper --help, compiled and through tsx (best of 5 each); compiled serve at rest',
  async run(log) {
    const node = bestOf(5, ['-e', '0']);
    const compiled = bestOf(5, [path.join(ROOT, 'bin', 'channel-keeper.js'), '--help']);
    const tsx = bestOf(5, ['--import', 'tsx', path.join(ROOT, 'bin', 'dev.js'), '--help']); // as `npm run dev` starts it
    log(`node -e 0: ${node.toFixed(0)} ms; compiled: ${compiled.toFixed(0)} ms; tsx: ${tsx.toFixed(0)} ms`);
    const serve = await serveIdleRss(ROOT, { migrated: true });
    const fresh = await serveIdleRss(ROOT, { migrated: false });
    log(
      `serve: /healthz after ${serve.readyMs} ms; RSS after 3 s idle: ${serve.rssMb.toFixed(0)} MB (${fresh.rssMb.toFixed(0)} MB when it migrated a fresh file itself)`,
    );
    return [
      {
        metric: '--help start-up, compiled',
        value: compiled / 1000,
        unit: 's',
        aim: atMost(compiled / 1000, 0.3, ' s'),
        note: `bare node -e 0: ${(node / 1000).toFixed(2)} s`,
      },
      { metric: '--help start-up, tsx (development)', value: tsx / 1000, unit: 's' },
      {
        metric: 'serve idle RSS, compiled',
        value: serve.rssMb,
        unit: 'MB',
        aim: atMost(serve.rssMb, 150, ' MB'),
        note: `HTTP mode, fake Slack, SQLite migrated before; ready in ${(serve.readyMs / 1000).toFixed(1)} s`,
      },
      {
        metric: 'serve idle RSS, first start on a fresh database',
        value: fresh.rssMb,
        unit: 'MB',
        note: 'serve applies the migrations itself (schema engine loaded)',
      },
    ];
  },
};
