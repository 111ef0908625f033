/**
 * Reconciles today's findings with the warnings already stored (the outbox): what to create, reopen,
 * resolve, or leave open. Idempotency comes from the dedup key, so running twice creates nothing new.
 */
import type { NewWarning, Warning } from '../domain';
import { compareText, kindRank, type Finding } from './finding';

/** The stored fields planning needs. */
export type ExistingWarning = Pick<Warning, 'id' | 'connectionId' | 'dedupKey' | 'state' | 'snoozedUntil' | 'kind' | 'cycle'>;

export interface PlanInput {
  workspaceId: string;
  /** Today's findings for the connections evaluated. */
  findings: readonly Finding[];
  /** Stored warnings of those connections, in any state. */
  existing: readonly ExistingWarning[];
  now: Date;
  /** Connections that could not be evaluated (bad data): their rows are left as they are, not resolved. */
  skipConnectionIds?: readonly number[];
}

/** Each stored row lands in at most one of `reopen`, `resolve`, `open`; resolved rows that stay resolved in none. */
export interface WarningPlan {
  /** Findings with no row yet. */
  create: NewWarning[];
  /** Resolved rows whose finding holds again, and snoozed rows whose snooze is over while it still holds. */
  reopen: number[];
  /** Rows not yet resolved whose finding no longer holds (a new stage, a new cycle, or fixed). */
  resolve: number[];
  /** Rows whose finding still holds and that stay in their state (including a snooze still running). */
  open: number[];
}

/** The order of the output: by connection, then kind (findings table order), then stage, then key. */
function compareRows(a: Pick<ExistingWarning, 'connectionId' | 'kind' | 'dedupKey'>, b: Pick<ExistingWarning, 'connectionId' | 'kind' | 'dedupKey'>): number {
  // The dedup key is `connection:kind:stage:cycle[:day]`, so after connection and kind it orders by stage.
  return a.connectionId - b.connectionId || kindRank(a.kind) - kindRank(b.kind) || compareText(a.dedupKey, b.dedupKey);
}

function snoozeOver(row: ExistingWarning, now: Date): boolean {
  // A snooze with no end date counts as over: otherwise it would silence the warning for ever.
  return row.snoozedUntil === null || row.snoozedUntil.getTime() <= now.getTime();
}

export function planWarnings(input: PlanInput): WarningPlan {
  const holding = new Map<string, Finding>();
  for (const f of input.findings) holding.set(f.dedupKey, f);
  const skipped = new Set(input.skipConnectionIds ?? []);
  const stored = new Set<string>();
  const rows: ExistingWarning[] = [];
  for (const row of input.existing) {
    stored.add(row.dedupKey);
    if (!skipped.has(row.connectionId)) rows.push(row);
  }
  rows.sort((a, b) => compareRows(a, b) || a.id - b.id);

  const plan: WarningPlan = { create: [], reopen: [], resolve: [], open: [] };
  for (const row of rows) {
    const holds = holding.has(row.dedupKey);
    if (!holds) {
      if (row.state !== 'resolved') plan.resolve.push(row.id);
    } else if (row.state === 'resolved' || (row.state === 'snoozed' && snoozeOver(row, input.now))) {
      plan.reopen.push(row.id);
    } else {
      plan.open.push(row.id);
    }
  }

  const fresh: Finding[] = [];
  for (const f of holding.values()) if (!stored.has(f.dedupKey)) fresh.push(f);
  fresh.sort(compareRows);
  for (const f of fresh) {
    plan.create.push({
      workspaceId: input.workspaceId,
      connectionId: f.connectionId,
      kind: f.kind,
      stage: f.stage,
      severity: f.severity,
      cycle: f.cycle,
      dedupKey: f.dedupKey,
      dueAt: f.dueAt,
    });
  }
  return plan;
}
