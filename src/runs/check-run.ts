/**
 * One check run for one workspace: load → evaluate (pure) → plan (pure) → record in the outbox →
 * tell the outbox (the worker posts; see src/outbox/worker). The scheduler and `channel-keeper check` both call `runCheck`, so a manual check does
 * exactly what a scheduled one does. Idempotent: the outbox's unique dedup keys, not timing, make a
 * second run on the same day create nothing. Between its steps (and within the long ones) the run
 * lets the event loop in, so Slack's requests and `/healthz` are answered during a big check.
 */
import type { ConnectionProblem } from '../rules/evaluate';
import { compareText, kindRank, type Finding } from '../rules/finding';
import { isToldBySync } from '../rules/finding-rules';
import { planWarnings, type WarningPlan } from '../rules/plan';
import type { Connection, FindingKind, IsoDate, Network, Severity, Warning } from '../domain';
import { silentLogger, type Logger } from '../logger';
import type { Metrics } from '../metrics';
import { evaluateWorkspace } from '../services/evaluation';
import type { Store } from '../store/store';
import type { DeliveryReport, Outbox } from '../outbox/report';
import { yieldToEventLoop } from '../yield';

/** What a check run works with, given by its callers (the scheduler, `channel-keeper check`, the demo). */
export interface CheckRunDeps {
  store: Store;
  /** Told once the warnings are recorded; without one the run only records. */
  outbox?: Outbox;
  /** The clock; read once at the start of a run, and that instant is the run's `now` throughout. */
  now: () => Date;
  logger?: Logger;
  /** Records the run's duration, findings, escalations and the outbox by state (GET /metrics). */
  metrics?: Pick<Metrics, 'observeCheckRun' | 'setWarningsByState'>;
}

export interface CheckRunOptions {
  /** Evaluate and plan only: nothing is written and nothing is delivered. */
  dryRun?: boolean;
}

/** A warning this run puts (or, in a dry run, would put) in the outbox to be posted. */
export interface PlannedWarning {
  workspace: string;
  connectionId: number;
  connection: string;
  network: Network;
  kind: FindingKind;
  stage: string;
  severity: Severity;
  dueAt: IsoDate;
  message: string;
  advice: string;
  /** A resolved or snoozed row whose finding holds again, rather than a new row. */
  reopened: boolean;
}

export interface CheckCounts {
  connections: number;
  /** Findings that hold today (including those held back by an outage). */
  findings: number;
  created: number;
  reopened: number;
  resolved: number;
  /** Rows whose finding still holds and that keep their state (posted, snoozed…). */
  stillOpen: number;
  /** Findings not recorded because their network is marked as disrupted. */
  heldBack: number;
  /** Rows stuck in `sending` (a process that died mid-post) put back to `pending` by the outbox's pass. */
  reclaimed: number;
}

export interface CheckSummary {
  workspaceId: string;
  /** The workspace's local date the rules were evaluated for. */
  today: IsoDate;
  timeZone: string;
  now: Date;
  dryRun: boolean;
  counts: CheckCounts;
  warnings: PlannedWarning[];
  problems: ConnectionProblem[];
  /** Networks whose disconnection noise is held back (workspace outages). */
  outageNetworks: Network[];
  /** What the outbox reported (null in a dry run, or when the outbox posts later, as in `serve`). */
  delivery: DeliveryReport | null;
}

export async function runCheck(deps: CheckRunDeps, workspaceId: string, options: CheckRunOptions = {}): Promise<CheckSummary> {
  const started = performance.now();
  try {
    return await checkWorkspace(deps, workspaceId, options, started);
  } catch (error) {
    deps.metrics?.observeCheckRun({ workspace: workspaceId, outcome: 'failed', seconds: (performance.now() - started) / 1000 });
    throw error;
  }
}

async function checkWorkspace(deps: CheckRunDeps, workspaceId: string, { dryRun = false }: CheckRunOptions, started: number): Promise<CheckSummary> {
  const { store } = deps;
  const now = deps.now();
  const logger = (deps.logger ?? silentLogger).child({ workspace: workspaceId });
  const workspace = await store.workspaces.getById(workspaceId);
  // Loads and judges in src/services/evaluation, as every other place that judges channels does.
  const evaluation = await evaluateWorkspace(deps, workspace, now);
  const { today, connections, byId, hold } = evaluation;
  // Held back by an outage, or already told in a sync's one admin message: neither recorded nor resolved.
  const findings = evaluation.findings.filter((f) => !hold.holds(f) && !isToldBySync(f));

  await yieldToEventLoop();
  const existing = (await loadExisting(store, workspaceId, findings)).filter((row) => !hold.holds(row) && !isToldBySync(row));
  await yieldToEventLoop();
  const plan = planWarnings({
    workspaceId,
    findings,
    existing,
    now,
    skipConnectionIds: evaluation.problems.map((p) => p.connectionId),
  });

  const findingByKey = new Map(findings.map((f) => [f.dedupKey, f]));
  const reopenedKeys = keysOf(existing, plan.reopen);
  let createdKeys = plan.create.map((w) => w.dedupKey);
  let reopened = plan.reopen.length;
  let resolved = plan.resolve.length;
  let delivery: DeliveryReport | null = null;

  if (!dryRun) {
    if (plan.create.length || plan.reopen.length || plan.resolve.length) {
      // The write is one transaction and does not yield inside it: on SQLite, another task's
      // statements would run inside it.
      await yieldToEventLoop();
      const written = await writePlan(store, workspaceId, plan, now, logger);
      // Another replica may have recorded some keys first: report what this run wrote.
      createdKeys = written.created.map((w) => w.dedupKey);
      ({ reopened, resolved } = written);
    }
    await yieldToEventLoop();
    delivery = (await deps.outbox?.afterRecording(workspaceId)) ?? null;
  }

  await yieldToEventLoop();
  const warnings = [...createdKeys.map((key) => ({ key, reopened: false })), ...reopenedKeys.map((key) => ({ key, reopened: true }))]
    .map(({ key, reopened: wasReopened }) => toPlanned(workspaceId, findingByKey.get(key), byId, wasReopened))
    .filter((w): w is PlannedWarning => w !== null)
    .sort((a, b) => a.connectionId - b.connectionId || kindRank(a.kind) - kindRank(b.kind) || compareText(a.stage, b.stage));

  const summary: CheckSummary = {
    workspaceId,
    today,
    timeZone: workspace.timeZone,
    now,
    dryRun,
    counts: {
      connections: connections.length,
      findings: evaluation.findings.length,
      created: createdKeys.length,
      reopened,
      resolved,
      stillOpen: plan.open.length,
      heldBack: evaluation.findings.length - findings.length,
      reclaimed: delivery?.reclaimed ?? 0,
    },
    warnings,
    problems: evaluation.problems,
    outageNetworks: hold.networks,
    delivery,
  };
  if (deps.metrics) {
    // A new row for a connection and kind that already had one at another stage: the warning escalated.
    const stagesBefore = new Map<string, Set<string>>();
    for (const e of existing) {
      const key = `${e.connectionId}:${e.kind}`;
      (stagesBefore.get(key) ?? stagesBefore.set(key, new Set()).get(key)!).add(e.stage);
    }
    const escalations = plan.create.filter((w) => [...(stagesBefore.get(`${w.connectionId}:${w.kind}`) ?? [])].some((stage) => stage !== w.stage)).length;
    deps.metrics.observeCheckRun({ workspace: workspaceId, outcome: 'ok', seconds: (performance.now() - started) / 1000, findings, escalations });
    if (!dryRun) deps.metrics.setWarningsByState(workspaceId, await store.warnings.countByState(workspaceId));
  }
  logger.info({ today, dryRun, counts: summary.counts, problems: summary.problems.length, delivery }, 'check run finished');
  for (const problem of summary.problems) {
    logger.warn({ connectionId: problem.connectionId, reasons: problem.reasons }, 'connection skipped: its data cannot be judged');
  }
  return summary;
}

const WRITE_ATTEMPTS = 3;

/**
 * Records the plan in one transaction. Two runs of one workspace can overlap (a manual `check`
 * during a scheduled fire): the later insert of a shared key then fails and, on PostgreSQL, aborts
 * its transaction. Every write is keyed or conditional on state, so trying again is safe, and the
 * second attempt sees the other run's rows and skips them.
 */
async function writePlan(store: Store, workspaceId: string, plan: WarningPlan, now: Date, logger: Logger) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.transaction(async (tx) => ({
        created: await tx.warnings.upsertMany(plan.create, now),
        reopened: await tx.warnings.reopen(workspaceId, plan.reopen),
        resolved: await tx.warnings.resolve(workspaceId, plan.resolve, 'system', now),
      }));
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS) throw error;
      logger.warn({ err: error, attempt }, 'recording warnings failed (another run of this workspace at the same time?); trying again');
    }
  }
}

/**
 * The rows planning must see: every open row (to resolve what no longer holds), plus resolved rows
 * whose key holds again today (to reopen them). One bulk read per workspace.
 */
async function loadExisting(store: Store, workspaceId: string, findings: readonly Finding[]): Promise<Warning[]> {
  return store.warnings.listForPlanning(
    workspaceId,
    findings.map((f) => f.dedupKey),
  );
}

function keysOf(rows: readonly Warning[], ids: readonly number[]): string[] {
  const keyById = new Map(rows.map((w) => [w.id, w.dedupKey]));
  return ids.map((id) => keyById.get(id)).filter((key): key is string => key !== undefined);
}

function toPlanned(workspace: string, finding: Finding | undefined, byId: ReadonlyMap<number, Connection>, reopened: boolean): PlannedWarning | null {
  const connection = finding && byId.get(finding.connectionId);
  if (!finding || !connection) return null;
  return {
    workspace,
    connectionId: finding.connectionId,
    connection: connection.name,
    network: connection.network,
    kind: finding.kind,
    stage: finding.stage,
    severity: finding.severity,
    dueAt: finding.dueAt,
    message: finding.message,
    advice: finding.advice,
    reopened,
  };
}
