/**
 * The words of an import report. stdout gets one JSON line (for scripts); stderr gets what a
 * person reads: the problems with their lines, or what was (or would be) done; on a terminal,
 * progress while it runs.
 */
import type { ImportedChange, ImportProblem, ImportSummary } from '../services/import-connections';
import { count } from '../words';

/** The one stdout line: counts only, stable keys. */
export function importResultJson(summary: ImportSummary): string {
  const { workspaceId, dryRun, workspaceCreated, created, updated, unchanged } = summary;
  return JSON.stringify({ workspace: workspaceId, dryRun, workspaceCreated, created, updated, unchanged });
}

export function problemsReport(file: string, problemCount: number, problems: readonly ImportProblem[]): string {
  const heading = `${file}: ${problemCount} problem${problemCount === 1 ? '' : 's'}, nothing was imported`;
  return [heading, ...problems.map((p) => `  line ${p.line}: ${p.message}`), ...more(problemCount - problems.length, 'problem')].join('\n');
}

/** Updated rows are listed (someone should see what an import overwrote); created ones in a dry run. */
export function importReport(file: string, summary: ImportSummary): string {
  const { dryRun } = summary;
  const where = `workspace ${summary.workspaceId}${summary.workspaceCreated ? ` (new, time zone ${summary.timeZone})` : ''}`;
  const totals = dryRun
    ? `would create ${summary.created}, update ${summary.updated} and leave ${summary.unchanged} unchanged; nothing was written (dry run)`
    : `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`;
  const heading = dryRun ? `${file} is valid; importing it into ${where} ${totals}` : `imported ${file} into ${where}: ${totals}`;
  return [heading, ...summary.listed.map((c) => `  line ${c.line}: ${describe(c, dryRun)}`), ...more(summary.unlisted, 'row')].join('\n');
}

function describe(change: ImportedChange, dryRun: boolean): string {
  const subject = `${change.network} "${change.name}"`;
  if (change.action === 'create') return `${dryRun ? 'would create' : 'created'} ${subject}`;
  return `${dryRun ? 'would update' : 'updated'} ${subject} (${change.columns.join(', ')})`;
}

function more(count: number, what: string): string[] {
  return count > 0 ? [`  … and ${count.toLocaleString('en-US')} more ${what}${count === 1 ? '' : 's'} (--verbose lists every one)`] : [];
}

/**
 * One line on a terminal, rewritten in place at most four times a second: phase, rows, rows/s and
 * the time left. Off the terminal (a pipe, a log file) it prints nothing.
 */
export class ProgressLine {
  private last = 0;
  private shown = false;
  private started = Date.now();
  private phase = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** `fraction` of the phase done (0–1), when known, gives the time left. */
  update(phase: string, rows: number, fraction: number | null, total?: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (phase !== this.phase) {
      this.phase = phase;
      this.started = now;
    }
    if (now - this.last < 250 && fraction !== 1) return;
    this.last = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const rate = rows / seconds;
    const left = fraction && fraction > 0 ? (seconds * (1 - fraction)) / fraction : null;
    const done = total === undefined ? count(rows, 'row') : `${rows.toLocaleString('en-US')} of ${count(total, 'row')}`;
    const parts = [`${phase}: ${done}`, `${Math.round(rate).toLocaleString('en-US')} rows/s`];
    if (left !== null) parts.push(`${left < 10 ? left.toFixed(1) : Math.round(left)} s left`);
    this.stream.write(`\r\x1b[K${parts.join(', ')}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
