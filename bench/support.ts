/** What every benchmark file shares: the shape of a figure, timing, and the table printer. */

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
  const line = (c: string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
