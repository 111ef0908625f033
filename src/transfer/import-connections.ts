/**
 * Imports a CSV of connections into a workspace: every row is checked first, and only a file with
 * no problem is written, in one transaction. Re-importing the same file changes nothing.
 */
import { todayIn } from '../checks';
import type { IsoDate } from '../domain';
import type { Store } from '../store';
import type { LineProblem } from './columns';
import { parseConnectionsCsv } from './parse-csv';
import { planImport, type RowAction } from './plan-import';
import { validateRows } from './validate-rows';
import { checkWorkspaceId } from './workspace-id';

export interface ImportOptions {
  workspaceId: string;
  csv: string;
  now: Date;
  /** Check and plan only; nothing is written (not even a new workspace). */
  dryRun?: boolean;
  /** Recorded in the audit trail. */
  actorId?: string;
}

export interface ImportSummary {
  workspaceId: string;
  /** The workspace did not exist before (or, in a dry run, would be created). */
  workspaceCreated: boolean;
  timeZone: string;
  /** The workspace's local date the dates were checked against. */
  today: IsoDate;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  actions: RowAction[];
}

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; problems: LineProblem[] };

/** A new workspace's zone until an admin sets one (docs/architecture.md). */
const DEFAULT_TIME_ZONE = 'UTC';

export async function importConnections(store: Store, options: ImportOptions): Promise<ImportResult> {
  const workspaceId = checkWorkspaceId(options.workspaceId);
  const actorId = options.actorId ?? 'cli';
  const workspace = await store.workspaces.findById(workspaceId);
  const timeZone = workspace?.timeZone ?? DEFAULT_TIME_ZONE;
  const today = todayIn(options.now, timeZone);

  const parsed = parseConnectionsCsv(options.csv);
  const validated = validateRows(parsed.rows, today);
  const problems = [...parsed.problems, ...validated.problems].sort((a, b) => a.line - b.line);
  if (problems.length) return { ok: false, problems };

  const summarize = (actions: RowAction[], workspaceCreated: boolean): ImportResult => ({
    ok: true,
    summary: { workspaceId, workspaceCreated, timeZone, today, dryRun: options.dryRun === true, ...count(actions), actions },
  });

  if (options.dryRun) {
    const existing = workspace ? await store.connections.list(workspaceId) : [];
    return summarize(planImport(validated.rows, existing), !workspace);
  }
  return store.transaction(async (tx) => {
    const { created } = await tx.workspaces.ensure(workspaceId);
    // Planned again inside the transaction: the rows it compares against cannot change under it.
    const actions = planImport(validated.rows, await tx.connections.list(workspaceId));
    for (const action of actions) await apply(tx, workspaceId, action, actorId, options.now);
    return summarize(actions, created);
  });
}

async function apply(tx: Store, workspaceId: string, step: RowAction, actorId: string, now: Date): Promise<void> {
  if (step.action === 'create') {
    await tx.connections.create(workspaceId, step.row.connection, actorId);
    return;
  }
  if (step.action === 'unchanged') return;
  const id = step.existing.id;
  // Removals first: a backup who becomes the owner must stop being a backup before the owner changes.
  for (const userId of step.removeBackups) await tx.connections.removeBackup(workspaceId, id, userId, actorId, now);
  if (Object.keys(step.changes).length) await tx.connections.update(workspaceId, id, step.changes, actorId);
  for (const userId of step.addBackups) await tx.connections.addBackup(workspaceId, id, userId, actorId, now);
}

function count(actions: RowAction[]): { created: number; updated: number; unchanged: number } {
  const of = (kind: RowAction['action']) => actions.filter((a) => a.action === kind).length;
  return { created: of('create'), updated: of('update'), unchanged: of('unchanged') };
}
