/**
 * The words of an import report. stdout gets one JSON line (for scripts); stderr gets what a
 * person reads: every problem with its line, or what was (or would be) done.
 */
import type { LineProblem } from './columns';
import type { ImportSummary } from './import-connections';
import { changedColumns, type RowAction } from './plan-import';

/** The one stdout line: counts only, stable keys. */
export function importResultJson(summary: ImportSummary): string {
  const { workspaceId, dryRun, workspaceCreated, created, updated, unchanged } = summary;
  return JSON.stringify({ workspace: workspaceId, dryRun, workspaceCreated, created, updated, unchanged });
}

export function problemsReport(file: string, problems: readonly LineProblem[]): string {
  const heading = `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was imported`;
  return [heading, ...problems.map((p) => `  line ${p.line}: ${p.message}`)].join('\n');
}

/** Updated rows are always listed (someone should see what an import overwrote); created ones in a dry run. */
export function importReport(file: string, summary: ImportSummary): string {
  const { dryRun } = summary;
  const listed = summary.actions.filter((a) => a.action === 'update' || (dryRun && a.action === 'create'));
  const where = `workspace ${summary.workspaceId}${summary.workspaceCreated ? ` (new, time zone ${summary.timeZone})` : ''}`;
  const totals = dryRun
    ? `would create ${summary.created}, update ${summary.updated} and leave ${summary.unchanged} unchanged; nothing was written (dry run)`
    : `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`;
  const heading = dryRun ? `${file} is valid; importing it into ${where} ${totals}` : `imported ${file} into ${where}: ${totals}`;
  return [heading, ...listed.map((a) => `  line ${a.row.line}: ${describe(a, dryRun)}`)].join('\n');
}

function describe(step: RowAction, dryRun: boolean): string {
  const { network, name } = step.row.connection;
  const subject = `${network} "${name}"`;
  if (step.action === 'create') return `${dryRun ? 'would create' : 'created'} ${subject}`;
  if (step.action === 'update') return `${dryRun ? 'would update' : 'updated'} ${subject} (${changedColumns(step).join(', ')})`;
  return `${subject} unchanged`;
}
