/** What every benchmark file shares: the shape of a figure, timing, child processes, and the table printer. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export interface Figure {
  /** What was measured, e.g. "full check pass (SQLite)". */
  metric: string;
  value: number;
  unit: string;
  /** The aim, written for a person ("≥ 500,000"), and whether the figure meets it. */
  aim?: { text: string; met: boolean };
  note?: string;
}

/** A benchmark file (`bench/<name>.bench.ts`) exports `benchmark` of this type; `bench/run.ts` finds and runs it. */
export interface Benchmark {
  name: string;
  description: string;
  run(log: (line: string) => void): Promise<Figure[]>;
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

export function atMost(value: number, aim: number, unit = ''): { text: string; met: boolean } {
  return { text: `≤ ${format(aim)}${unit}`, met: value <= aim };
}

export function atLeast(value: number, aim: number, unit = ''): { text: string; met: boolean } {
  return { text: `≥ ${format(aim)}${unit}`, met: value >= aim };
}

export function format(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(2);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function table(rows: { bench: string; figure: Figure }[]): string {
  const cells = rows.map(({ bench, figure }) => [
    bench,
    figure.metric,
    `${format(figure.value)} ${figure.unit}`.trim(),
    figure.aim ? figure.aim.text : '',
    figure.aim ? (figure.aim.met ? 'ok' : 'MISSED') : '',
    figure.note ?? '',
  ]);
  const header = ['bench', 'metric', 'value', 'aim', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/**
 * Runs `bench/<name>` in its own Node process (compiled JavaScript when the benchmarks run
 * compiled, TypeScript through tsx otherwise) and returns the JSON object it prints last.
 */
export function runChild<T>(name: string, args: string[], env: NodeJS.ProcessEnv = {}): T {
  const compiled = __filename.endsWith('.js');
  const file = path.join(__dirname, `${name}${compiled ? '.js' : '.ts'}`);
  const out = execFileSync(process.execPath, [...(compiled ? [] : ['--import', 'tsx']), file, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

/** Skip the million-connection sizes (`npm run bench -- --quick`, or BENCH_QUICK=1). */
export function quick(): boolean {
  return process.env.BENCH_QUICK === '1';
}

/** Cost per item at a larger size against a smaller one: 1 is linear; the aim allows 15% more. */
export function growthFigure(metric: string, small: { n: number; ms: number }, large: { n: number; ms: number }): Figure {
  const ratio = large.ms / large.n / (small.ms / small.n);
  return {
    metric,
    value: ratio,
    unit: '× per connection',
    aim: atMost(ratio, 1.15, '×'),
    note: `${format(small.n)}: ${((small.ms / small.n) * 1000).toFixed(1)} µs each; ${format(large.n)}: ${((large.ms / large.n) * 1000).toFixed(1)} µs each`,
  };
}
