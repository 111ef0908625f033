/** `channel-keeper --help` start-up: the compiled build users run, against tsx on the sources and bare Node. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
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
  description: 'channel-keeper --help, compiled and through tsx (best of 5 each)',
  async run(log) {
    const node = bestOf(5, ['-e', '0']);
    const compiled = bestOf(5, [path.join(ROOT, 'bin', 'channel-keeper.js'), '--help']);
    const tsx = bestOf(5, [path.join(ROOT, 'bin', 'dev.js'), '--help']);
    log(`node -e 0: ${node.toFixed(0)} ms; compiled: ${compiled.toFixed(0)} ms; tsx: ${tsx.toFixed(0)} ms`);
    return [
      {
        metric: '--help start-up, compiled',
        value: compiled / 1000,
        unit: 's',
        aim: atMost(compiled / 1000, 0.3, ' s'),
        note: `bare node -e 0: ${(node / 1000).toFixed(2)} s`,
      },
      { metric: '--help start-up, tsx (development)', value: tsx / 1000, unit: 's' },
    ];
  },
};
