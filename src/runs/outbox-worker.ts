/**
 * The outbox worker (docs/architecture.md "Scheduling and delivery"): inside `serve`, every few
 * seconds, it puts back rows whose claim outlived the lease (a replica killed mid-post), claims the
 * due rows of every workspace in turns (src/store/warning-repository `claimDue`), hands each
 * workspace's rows to the delivery, and goes on until nothing due is left: no cap leaves work
 * behind. Then it rewrites the messages whose warnings were settled. `channel-keeper check` calls
 * `drain` once after recording. No error of Slack or the database stops it: a failed pass is logged
 * and the next one tries again.
 */
import type { Metrics } from '../metrics';
import type { Connection, Warning, Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { SLACK_NOT_CONFIGURED } from './log-delivery';
import { addReport, emptyReport, type DeliveryReport, type WarningDelivery } from './delivery';

/** How often the worker looks for due rows. */
export const DEFAULT_INTERVAL_MS = 5_000;
/**
 * A claim older than this belongs to a process that died: its rows are put back. It must stay above
 * the delivery's hold limit plus one request timeout, so a live worker's rows are never taken.
 */
export const DEFAULT_LEASE_MS = 90_000;
/** Rows claimed per statement, across workspaces. */
const CLAIM_BATCH = 200;
/** Workspaces delivered at the same time (their alert channels are paced separately). */
const CONCURRENCY = 4;

export interface OutboxWorkerDeps {
  store: Store;
  delivery: WarningDelivery;
  now: () => Date;
  logger: Logger;
  /** Who claims (host and process id), part of every claim token. */
  holder: string;
  /** SLACK_ALERT_CHANNEL, for workspaces that have not chosen one. */
  alertChannelFallback?: string | null;
  intervalMs?: number;
  leaseMs?: number;
  /**
   * A workspace's claimed rows whose delivery has not started this long after the claim (waiting for
   * a free lane) go back untouched: started later, their delivery (up to the hold limit plus a
   * request timeout) could outlive the lease, and another replica would take them back and post
   * them again. Default: a quarter of the lease.
   */
  queueLimitMs?: number;
  batch?: number;
  /** After each full pass: how long the oldest due warning of each workspace has waited (GET /metrics). */
  metrics?: Pick<Metrics, 'setOutboxOldestDueAge'>;
}

export interface DrainReport extends DeliveryReport {
  /** Rows taken back from a dead claim. */
  reclaimed: number;
  /** Messages rewritten because their warnings were settled. */
  updated: number;
  /** Pending rows left waiting for a later attempt (backoff), not yet due. */
  waiting: number;
  /** Escalation steps taken (warnings nobody acted on). */
  escalated: number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** Set by stop(): a pass in progress ends after the batch in hand. */
  private stopping = false;
  private lastError: string | null = null;
  /** Workspaces whose outbox age was reported: set back to 0 once nothing of theirs waits. */
  private readonly agedWorkspaces = new Set<string>();

  constructor(private readonly deps: OutboxWorkerDeps) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /** Waits for the pass in progress, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Asks for a pass now (an alert channel chosen, the bot invited, a warning resolved). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.running || this.stopped) return;
    this.running = this.drain()
      .then((report) => {
        if (this.lastError) this.deps.logger.info('outbox worker recovered');
        this.lastError = null;
        if (report.posted || report.failed || report.reclaimed || report.updated || report.escalated) this.deps.logger.info(report, 'outbox worker pass');
      })
      .catch((error: unknown) => {
        // Logged once per distinct error, not every few seconds while the database is down.
        const message = (error as Error)?.message ?? String(error);
        if (message !== this.lastError) this.deps.logger.error({ err: message }, 'outbox worker pass failed; trying again');
        this.lastError = message;
      })
      .finally(() => {
        this.running = null;
        const soon = this.again;
        this.again = false;
        this.schedule(soon ? 0 : (this.deps.intervalMs ?? DEFAULT_INTERVAL_MS));
      });
    await this.running;
  }

  /** Posts everything due now (optionally of one workspace, or of some), then rewrites settled messages. */
  async drain(options: { workspaceId?: string; workspaceIds?: string[] } = {}): Promise<DrainReport> {
    const { store, delivery, logger } = this.deps;
    const now = this.deps.now();
    // Every workspace (undefined), or the ones asked for.
    const scopes: (string | undefined)[] = options.workspaceIds ?? [options.workspaceId];
    let reclaimed = 0;
    for (const scope of scopes) reclaimed += await store.warnings.reclaimExpired(new Date(now.getTime() - (this.deps.leaseMs ?? DEFAULT_LEASE_MS)), scope);
    const report: DrainReport = { ...emptyReport(), reclaimed, updated: 0, waiting: 0, escalated: 0 };
    if (delivery.posts) {
      const loaded = new Map<string, { workspace: Workspace; connections: Map<number, Connection> } | null>();
      for (;;) {
        if (this.stopping) break;
        const claimed = await store.warnings.claimDue({
          limit: this.deps.batch ?? CLAIM_BATCH,
          holder: this.deps.holder,
          now: this.deps.now(),
          workspaceId: options.workspaceId,
          workspaceIds: options.workspaceIds,
        });
        if (!claimed.length) break;
        // From the claim's answer: the first lanes always start, however slow the database is.
        const claimedAt = this.deps.now().getTime();
        const byWorkspace = new Map<string, Warning[]>();
        for (const row of claimed) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row]);
        await inPool([...byWorkspace], CONCURRENCY, async ([workspaceId, rows]) => {
          if (this.stopping || this.deps.now().getTime() - claimedAt > this.queueLimitMs()) {
            // Claimed again by the next turn of this loop (or by another replica), with a fresh lease.
            await store.warnings.unclaim(
              rows.map((r) => r.id),
              rows[0]!.claimedBy!,
            );
            return;
          }
          try {
            const context = await this.load(loaded, workspaceId);
            if (!context) {
              for (const row of rows) await store.warnings.resolve(workspaceId, [row.id], 'system', now);
              return;
            }
            addReport(report, await delivery.deliver({ ...context, now: this.deps.now(), claimed: rows }));
          } catch (error) {
            logger.error({ workspaceId, rows: rows.length, err: (error as Error)?.message }, 'delivery failed; the rows are tried again');
            for (const row of rows) await store.warnings.releaseForRetry(row.id, 'delivery interrupted', row.claimedBy).catch(() => undefined);
          }
        });
      }
      // Escalation before the updates, so the messages show a step taken in this same pass.
      for (const scope of scopes) report.escalated += (await delivery.escalate?.(this.deps.now(), scope)) ?? 0;
      for (const scope of scopes) report.updated += (await delivery.updateMessages?.(this.deps.now(), scope)) ?? 0;
    }
    const pending = { due: 0, later: 0 };
    for (const scope of scopes) {
      const counts = await store.warnings.countPending(this.deps.now(), scope);
      pending.due += counts.due;
      pending.later += counts.later;
    }
    report.pending = pending.due + pending.later;
    report.waiting = pending.later;
    if (!delivery.posts && report.pending) report.note = SLACK_NOT_CONFIGURED;
    else if (pending.later && !report.note) report.note = `${pending.later} waiting for a later attempt`;
    if (this.deps.metrics && !options.workspaceId && !options.workspaceIds) await this.reportOutboxAge(this.deps.metrics);
    return report;
  }

  private queueLimitMs(): number {
    return this.deps.queueLimitMs ?? (this.deps.leaseMs ?? DEFAULT_LEASE_MS) / 4;
  }

  private async reportOutboxAge(metrics: NonNullable<OutboxWorkerDeps['metrics']>): Promise<void> {
    const now = this.deps.now();
    const oldest = await this.deps.store.warnings.oldestDue(now);
    for (const workspace of this.agedWorkspaces) if (!oldest.has(workspace)) metrics.setOutboxOldestDueAge(workspace, 0);
    for (const [workspace, recordedAt] of oldest) {
      metrics.setOutboxOldestDueAge(workspace, (now.getTime() - recordedAt.getTime()) / 1000);
      this.agedWorkspaces.add(workspace);
    }
  }

  /** The workspace and its connections, read once per pass (null: the workspace is gone). */
  private async load(cache: Map<string, { workspace: Workspace; connections: Map<number, Connection> } | null>, workspaceId: string) {
    if (cache.has(workspaceId)) return cache.get(workspaceId)!;
    const { store } = this.deps;
    const workspace = await store.workspaces.findById(workspaceId);
    const value = workspace
      ? {
          workspace: { ...workspace, alertChannel: workspace.alertChannel ?? this.deps.alertChannelFallback ?? null },
          connections: new Map((await store.connections.list(workspaceId)).map((c) => [c.id, c])),
        }
      : null;
    cache.set(workspaceId, value);
    return value;
  }
}

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
}

/** Failed rows of a workspace go back to `pending` (their cause may be fixed: the bot was invited). */
export function retryFailedDeliveries(store: Store, workspaceId: string): Promise<number> {
  return store.warnings.retryFailed(workspaceId);
}
