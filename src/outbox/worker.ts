/**
 * The outbox worker (docs/architecture.md "Scheduling and delivery"), in the shape of a job queue
 * whose worker alone moves a row between states: inside `serve`, every few seconds, it puts back
 * rows whose claim outlived the lease (a replica killed mid-post), claims the due rows of every
 * workspace in turns, has each workspace's rows posted (post.ts, through the workspace's Slack
 * port), and settles every row from its result: `posted`, `retry` (back to `pending` with backoff,
 * `failed` after the last attempt), `failed`, `held`, `gone`. A workspace's rows are all claimed
 * before any is posted, so one pass gives its alert channel one message and each person one DM;
 * after the channel got a message, what comes later waits out the grouping window (Alertmanager's
 * group_interval, `groupIntervalMs`) and then goes out together. It goes on until nothing due is
 * left: no cap leaves work behind. Then it takes the escalation steps due, sends and settles their
 * messages (rows of their own, with the same lease, attempts and backoff), and rewrites the
 * messages whose warnings changed. `channel-keeper check` calls `drain` once after recording. Without Slack
 * (no ports) it claims nothing: rows stay pending until Slack is set up. No error of Slack or the
 * database stops it: a failed pass is logged and the next one tries again.
 */
import type { Connection, Warning, Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';
import { givenUp, nextAttemptAt } from './backoff';
import { escalateDue, sendEscalationBatch, type EscalationMessage, type EscalationResult } from './escalate';
import { PostedMessages } from './messages';
import { Poster, type PostContext, type PostOutcome } from './post';
import { OutboxQueue, type RowFailure, type RowResult } from './queue';
import { emptyReport, SLACK_NOT_CONFIGURED, type DeliveryReport } from './report';
import { rewriteMessage } from './rewrite';
import { count } from '../words';
import type { AdminNotice, SlackPort, SlackPorts } from './slack-port';
import { TimeSlice, yieldToEventLoop } from '../yield';

/** How often the worker looks for due rows. */
export const DEFAULT_INTERVAL_MS = 5_000;
/**
 * A claim older than this belongs to a process that died: its rows are put back. It must stay above
 * the Slack adapter's hold limit plus one request timeout, so a live worker's rows are never taken.
 */
export const DEFAULT_LEASE_MS = 90_000;
/** Escalation messages one Slack message carries at most (their ids go into its metadata). */
const ESCALATIONS_PER_MESSAGE = 1_000;
/** Rows claimed per statement, across workspaces. */
const CLAIM_BATCH = 200;
/** Rows claimed per statement for the rest of one workspace's (a big run: 100,000 rows in 20 claims). */
const WORKSPACE_CLAIM_BATCH = 5_000;
/** Messages due an update read per statement. */
const REWRITE_BATCH = 100;
/** Workspaces delivered at the same time (their alert channels are paced separately). */
const CONCURRENCY = 4;
/** Why rows go back when their delivery broke off (an exception): tried again at the next pass. */
const INTERRUPTED: RowFailure = { code: 'interrupted', text: 'delivery interrupted' };

function gaveUp(reason: RowFailure, attempts: number): RowFailure {
  return { code: 'gave_up', text: `${reason.text} (gave up after ${attempts} attempts over three days)` };
}

export interface OutboxWorkerDeps {
  store: Store;
  /** Slack, one port per workspace; null when Slack is not configured (rows then stay pending). */
  slack: SlackPorts | null;
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
  /** The first backoff of a row or message update that could not be written (doubled per attempt); default 30 s. */
  firstRetryMs?: number;
  /**
   * After a conversation got a message, what comes for it later waits until this long after that
   * post and then goes out together as one message (OUTBOX_GROUP_INTERVAL_MS): new warnings for an
   * alert channel, and escalation messages for a person or the channel. Absent or 0: sent at once,
   * as `channel-keeper check` does with its run's rows.
   */
  groupIntervalMs?: number;
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
  /** Rows this pass put back to `pending` (to be tried again, or held back by an outage). */
  requeued: number;
  /** Rows that wait for their alert channel's grouping window (they go out together when it ends). */
  grouped: number;
}

type Loaded = { workspace: Workspace; connections: Map<number, Connection> } | null;

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
  private readonly queue: OutboxQueue;
  private readonly messages: PostedMessages;
  private readonly poster: Poster;

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.queue = new OutboxQueue(deps.store);
    this.messages = new PostedMessages(deps.store);
    this.poster = new Poster({ store: deps.store, messages: this.messages, logger: deps.logger });
  }

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

  /** False while the last pass failed (the database or Slack down); true again after one succeeds. */
  healthy(): boolean {
    return this.lastError === null;
  }

  /** A notice to every active admin of the workspace, through the workspace's Slack port; 0 without Slack. */
  async tellAdmins(workspace: Workspace, notice: AdminNotice, why: string): Promise<number> {
    if (!this.deps.slack) return 0;
    return this.poster.tellAdmins({ workspace, port: this.deps.slack.forWorkspace(workspace.id) }, notice, why);
  }

  /** `check` delivers now: a workspace's rows waiting out a backoff because Slack did not answer are due again. */
  retryWaiting(workspaceId: string): Promise<number> {
    return this.queue.slackIsBack(workspaceId, this.deps.now());
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
        if (report.posted || report.failed || report.requeued || report.reclaimed || report.updated || report.escalated || report.grouped)
          this.deps.logger.info(report, 'outbox worker pass');
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

  /** Posts everything due now (optionally of one workspace, or of some), then escalates and rewrites changed messages. */
  async drain(options: { workspaceId?: string; workspaceIds?: string[] } = {}): Promise<DrainReport> {
    const { slack } = this.deps;
    const now = this.deps.now();
    // Every workspace (undefined), or the ones asked for.
    const scopes: (string | undefined)[] = options.workspaceIds ?? [options.workspaceId];
    let reclaimed = 0;
    const leaseStart = new Date(now.getTime() - (this.deps.leaseMs ?? DEFAULT_LEASE_MS));
    for (const scope of scopes) reclaimed += await this.queue.reclaim(leaseStart, scope);
    let reclaimedMessages = 0;
    for (const scope of scopes) reclaimedMessages += await this.queue.reclaimEscalations(leaseStart, scope);
    if (reclaimedMessages) this.deps.logger.info({ reclaimed: reclaimedMessages }, 'escalation messages taken back from a dead claim');
    const report: DrainReport = { ...emptyReport(), reclaimed, updated: 0, waiting: 0, escalated: 0, requeued: 0, grouped: 0 };
    if (slack) {
      const loaded = new Map<string, Loaded>();
      for (;;) {
        if (this.stopping) break;
        const claimed = await this.queue.claim({
          limit: this.deps.batch ?? CLAIM_BATCH,
          holder: this.deps.holder,
          now: this.deps.now(),
          workspaceId: options.workspaceId,
          workspaceIds: options.workspaceIds,
        });
        if (!claimed.length) break;
        // SQLite answers synchronously: without a turn between claims the loop holds back every request.
        await yieldToEventLoop();
        // From the claim's answer: the first lanes always start, however slow the database is.
        const claimedAt = this.deps.now().getTime();
        const byWorkspace = new Map<string, Warning[]>();
        for (const row of claimed) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row]);
        await inPool([...byWorkspace], CONCURRENCY, async ([workspaceId, rows]) => {
          if (this.stopping || this.deps.now().getTime() - claimedAt > this.queueLimitMs()) {
            // Claimed again by the next turn of this loop (or by another replica), with a fresh lease.
            await this.queue.unclaim(rows);
            return;
          }
          // The rest of the workspace's due rows too: one message for the whole run, however big.
          const rest = await this.queue.claimWorkspace({
            limit: this.deps.batch ?? WORKSPACE_CLAIM_BATCH,
            holder: this.deps.holder,
            now: this.deps.now(),
            workspaceId,
          });
          await this.deliver(slack, loaded, workspaceId, [...rows, ...rest], report);
        });
      }
      const portOf = (workspaceId: string) => slack.forWorkspace(workspaceId);
      // Escalation before the updates, so the messages show a step taken in this same pass.
      for (const scope of scopes) {
        const { store, logger, alertChannelFallback } = this.deps;
        const escalated = await escalateDue({ store, logger, now: this.deps.now, alertChannelFallback }, { workspaceId: scope }).catch((error: unknown) => {
          logger.warn({ workspaceId: scope, err: (error as Error).message }, 'escalation not run');
          return { escalated: 0 };
        });
        report.escalated += escalated.escalated;
      }
      // The steps' messages (this pass's and those waiting for a retry), sent like warnings.
      await this.sendEscalations(portOf, options);
      for (const scope of scopes) report.updated += await this.rewriteDue(portOf, scope);
    }
    const pending = { due: 0, later: 0 };
    for (const scope of scopes) {
      const counts = await this.queue.countPending(this.deps.now(), scope);
      pending.due += counts.due;
      pending.later += counts.later;
    }
    report.pending = pending.due + pending.later;
    report.waiting = pending.later;
    if (!slack && report.pending) {
      report.note = SLACK_NOT_CONFIGURED;
      // Counts only: warning texts name pages and people. Debug: `serve` without Slack passes every few seconds.
      this.deps.logger.debug(
        { scope: options.workspaceId ?? options.workspaceIds ?? 'all', pending: report.pending, slackConfigured: false },
        `${SLACK_NOT_CONFIGURED}: ${count(report.pending, 'warning')} ${report.pending === 1 ? 'waits' : 'wait'} in the outbox until it is`,
      );
    } else if (pending.later && !report.note) report.note = `${pending.later} waiting for a later attempt`;
    if (this.deps.metrics && !options.workspaceId && !options.workspaceIds) await this.reportOutboxAge(this.deps.metrics);
    return report;
  }

  /**
   * Sends the escalation messages due (of one workspace, some, or all) batched per conversation: all
   * due messages of a person's DM, or of an alert channel, go out as one Slack message, and each
   * conversation gets at most one per window (what climbs to it after one went out waits for the
   * window's end). Each row is then settled like a warning.
   */
  private async sendEscalations(portOf: (workspaceId: string) => SlackPort, options: { workspaceId?: string; workspaceIds?: string[] }): Promise<void> {
    const { store, logger, alertChannelFallback } = this.deps;
    const now = this.deps.now();
    const windowStart = new Date(now.getTime() - (this.deps.groupIntervalMs ?? 0));
    const conversations = await this.queue.escalationConversations({ now, workspaceId: options.workspaceId, workspaceIds: options.workspaceIds });
    for (const conversation of conversations) {
      if (await this.queue.escalationSentSince(conversation, windowStart)) continue;
      for (;;) {
        if (this.stopping) return;
        const claimed = await this.queue.claimEscalations(conversation, { limit: ESCALATIONS_PER_MESSAGE, holder: this.deps.holder, now: this.deps.now() });
        if (!claimed.length) break;
        let results: Map<number, EscalationResult>;
        try {
          results = await sendEscalationBatch({ store, now: this.deps.now, alertChannelFallback }, portOf(conversation.workspaceId), claimed);
        } catch (error) {
          logger.warn(
            { workspaceId: conversation.workspaceId, messages: claimed.length, err: (error as Error).message },
            'escalation message not sent; tried again',
          );
          results = new Map();
        }
        await this.settleEscalations(claimed, results).catch((error: unknown) => {
          logger.error(
            { workspaceId: conversation.workspaceId, messages: claimed.length, err: (error as Error)?.message },
            'escalation messages not settled; taken back after the lease',
          );
        });
        // More than one message holds: the rest go at once (they climbed before this one went out).
        if (claimed.length < ESCALATIONS_PER_MESSAGE) break;
      }
    }
  }

  /**
   * Settles one batch's escalation messages from their results, with the same attempts and backoff
   * as a warning; the rows that went out together are stored as one message carrying their warnings.
   */
  private async settleEscalations(claimed: EscalationMessage[], results: Map<number, EscalationResult>): Promise<void> {
    const { logger } = this.deps;
    const now = this.deps.now();
    const posts = new Map<string, { messages: EscalationMessage[]; sent: Extract<EscalationResult, { outcome: 'sent' }>; warnings: Map<number, Warning> }>();
    const outcomes: Record<string, number> = {};
    let problem: RowFailure | null = null;
    for (const message of claimed) {
      const result: EscalationResult = results.get(message.id) ?? { outcome: 'retry', reason: INTERRUPTED };
      let outcome: string = result.outcome;
      switch (result.outcome) {
        case 'sent': {
          const key = `${result.channel}:${result.ts}`;
          const post = posts.get(key) ?? { messages: [] as EscalationMessage[], sent: result, warnings: new Map<number, Warning>() };
          post.messages.push(message);
          post.warnings.set(result.warning.id, result.warning);
          posts.set(key, post);
          break;
        }
        case 'retry':
          if (result.reason.code !== INTERRUPTED.code && givenUp(message.attempts, this.deps.firstRetryMs)) {
            problem = gaveUp(result.reason, message.attempts);
            await this.queue.escalationFailed(message, problem);
            outcome = 'failed';
            break;
          }
          problem = result.reason;
          await this.queue.escalationRetry(message, result.reason, this.retryAt(result.reason, message, now));
          break;
        case 'failed':
          problem = result.reason;
          await this.queue.escalationFailed(message, result.reason);
          break;
        case 'dropped':
          await this.queue.escalationDropped(message);
          break;
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    for (const { messages, sent, warnings } of posts.values()) {
      await this.queue.escalationsSent(messages, {
        channel: sent.channel,
        ts: sent.ts,
        kind: sent.kind,
        recipient: sent.recipient,
        now,
        warnings: [...warnings.values()],
      });
    }
    const first = claimed[0]!;
    const about = { workspaceId: first.workspaceId, to: first.recipient ?? first.channel, messages: claimed.length, ...outcomes };
    // Dropped: their warnings were settled or taken, or their channels removed, since the step.
    if (problem) logger.warn({ ...about, code: problem.code, reason: problem.text }, 'escalation messages not all sent');
    else logger.info(about, 'escalation messages sent');
  }

  /**
   * Rewrites every message due an update (of one workspace, or all) through the workspace's port,
   * with the rewrite a button press uses too; returns how many were rewritten.
   */
  private async rewriteDue(portOf: (workspaceId: string) => SlackPort, workspaceId?: string): Promise<number> {
    const { store, logger, alertChannelFallback, firstRetryMs } = this.deps;
    const deps = { store, messages: this.messages, logger, alertChannelFallback, firstRetryMs };
    const now = this.deps.now();
    const seen = new Set<number>();
    let updated = 0;
    for (;;) {
      const due = (await this.messages.dueForUpdate(now, REWRITE_BATCH, workspaceId)).filter((id) => !seen.has(id));
      if (!due.length) return updated;
      for (const id of due) {
        seen.add(id);
        const stored = await this.messages.find(id);
        if (!stored) continue;
        try {
          if ((await rewriteMessage(deps, portOf(stored.workspaceId), id, now)) === 'updated') updated += 1;
        } catch (error) {
          logger.warn({ workspaceId: stored.workspaceId, messageId: id, err: (error as Error).message }, 'message not updated');
        }
      }
    }
  }

  /** One workspace's claimed rows: posted, then each settled from its result; DMs and notices after. */
  private async deliver(slack: SlackPorts, loaded: Map<string, Loaded>, workspaceId: string, claimed: Warning[], report: DrainReport): Promise<void> {
    const { logger } = this.deps;
    let rows = claimed;
    const now = this.deps.now();
    const outcome: PostOutcome = { results: [], posted: [] };
    let context: PostContext | null = null;
    try {
      const workspace = await this.load(loaded, workspaceId);
      if (!workspace) {
        outcome.results.push(...rows.map((row): RowResult => ({ row, outcome: 'gone' })));
      } else {
        const until = await this.groupWindowEnd(workspace.workspace, now);
        // The channel had its message moments ago: what is new waits and goes out together when the
        // window ends. Rows tried before (a failed post, an outage) already missed their turn: they go now.
        const later = until ? rows.filter((row) => row.attempts <= 1) : [];
        if (later.length) {
          report.grouped += await this.queue.defer(later, until!);
          logger.info({ workspaceId, rows: later.length, until }, 'warnings wait for the grouping window of their alert channel');
          rows = rows.filter((row) => row.attempts > 1);
          if (!rows.length) return;
        }
        context = { ...workspace, now, claimed: rows, port: slack.forWorkspace(workspaceId) };
        await this.poster.post(context, outcome);
      }
    } catch (error) {
      logger.error({ workspaceId, rows: rows.length, err: (error as Error)?.message }, 'delivery failed; the rows are tried again');
    }
    // Whatever has no result (an exception mid-batch) goes back now rather than after the lease.
    const settled = new Set(outcome.results.map((r) => r.row.id));
    for (const row of rows) if (!settled.has(row.id)) outcome.results.push({ row, outcome: 'retry', reason: INTERRUPTED });
    // Slack took a post: what waits out a backoff because it did not in an earlier pass goes at once
    // (before this pass's rows are settled, so a row that failed just now keeps its own backoff).
    if (outcome.results.some((r) => r.outcome === 'posted')) {
      const woken = await this.queue.slackIsBack(workspaceId, now).catch(() => 0);
      if (woken) logger.info({ workspaceId, rows: woken }, 'Slack answers again: rows waiting for a retry are due now');
    }
    const failures = await this.settle(workspaceId, outcome.results, now, report).catch((error: unknown) => {
      logger.error({ workspaceId, err: (error as Error)?.message }, 'rows not settled; taken back after the lease');
      return [];
    });
    if (outcome.note && !report.note) report.note = outcome.note;
    if (!context) return;
    for (const { reason, count } of failures)
      await this.poster.tellAdmins(context, { kind: 'admin_notice', code: reason.code, reason: reason.text, count }, reason.text);
    const dms = await this.poster.afterSettled(context, outcome);
    const counts = outcome.results.reduce<Record<string, number>>((all, r) => ({ ...all, [r.outcome]: (all[r.outcome] ?? 0) + 1 }), {});
    logger.info({ workspaceId, channel: context.workspace.alertChannel, ...counts, dms }, 'warnings delivered');
  }

  /**
   * Settles each row from its result, and remembers each posted message with the warnings it
   * carries. Returns the kinds of failure new to the workspace (no row had failed for them
   * before this batch): the admins hear of each once.
   */
  private async settle(workspaceId: string, results: RowResult[], now: Date, report: DrainReport): Promise<{ reason: RowFailure; count: number }[]> {
    const { logger } = this.deps;
    const failed = new Map<string, { reason: RowFailure; rows: Warning[] }>();
    const messages = new Map<string, { channel: string; ts: string; kind: 'alert' | 'digest' | 'dm'; rows: Warning[] }>();
    // Rows put back for the same reason and the same time go back in one statement (per 1,000).
    const retries = new Map<string, { reason: RowFailure; at: Date | null; rows: Warning[] }>();
    const gone: Warning[] = [];
    const retried: RowFailure[] = [];
    const retryLater = (row: Warning, reason: RowFailure, at: Date | null) => {
      const key = `${reason.code}\u0000${reason.text}\u0000${at?.getTime() ?? ''}`;
      const group = retries.get(key);
      if (group) group.rows.push(row);
      else retries.set(key, { reason, at, rows: [row] });
    };
    const fail = (row: Warning, reason: RowFailure) => {
      const group = failed.get(reason.text);
      if (group) group.rows.push(row);
      else failed.set(reason.text, { reason, rows: [row] });
    };
    for (const result of results) {
      const { row } = result;
      switch (result.outcome) {
        case 'posted': {
          const key = `${result.channel}:${result.ts}`;
          const message = messages.get(key);
          if (message) message.rows.push(row);
          else messages.set(key, { channel: result.channel, ts: result.ts, kind: result.kind, rows: [row] });
          break;
        }
        case 'retry': {
          // Tried again with backoff for days (an outage ends on its own); then failed, for a person to see.
          const reason = result.reason.code !== INTERRUPTED.code && givenUp(row.attempts, this.deps.firstRetryMs) ? gaveUp(result.reason, row.attempts) : null;
          if (reason) fail(row, reason);
          else {
            retryLater(row, result.reason, this.retryAt(result.reason, row, now));
            retried.push(result.reason);
          }
          break;
        }
        case 'failed':
          fail(row, result.reason);
          break;
        case 'held':
          retryLater(row, result.reason, result.until);
          break;
        case 'gone':
          gone.push(row);
          break;
      }
    }
    const slice = new TimeSlice();
    for (const message of messages.values()) {
      await slice.pause();
      await this.queue.posted(message.rows, { channel: message.channel, ts: message.ts, now });
      report.posted += message.rows.length;
      await this.messages.record({
        workspaceId,
        channel: message.channel,
        ts: message.ts,
        kind: message.kind,
        warnings: message.rows.map((r) => ({ id: r.id, state: 'posted' })),
      });
    }
    for (const { reason, at, rows } of retries.values()) {
      await slice.pause();
      await this.queue.retry(rows, reason, at);
      report.requeued += rows.length;
    }
    if (gone.length) await this.queue.gone(gone, now);
    const fresh: { reason: RowFailure; count: number }[] = [];
    for (const { reason, rows } of failed.values()) {
      await slice.pause();
      const known = await this.queue.countFailedWith(workspaceId, reason.code);
      await this.queue.failed(rows, reason);
      report.failed += rows.length;
      if (known === 0) fresh.push({ reason, count: rows.length });
      logger.warn({ workspaceId, count: rows.length, code: reason.code, reason: reason.text }, 'warnings failed');
    }
    if (retried.length) logger.warn({ workspaceId, count: retried.length, reason: retried[0]!.text }, 'warnings not posted: tried again later');
    return fresh;
  }

  /**
   * When a row put back is due again: an interrupted delivery at the next pass (not in this one,
   * which would claim it again and again while the cause lasts), others after their backoff.
   */
  private retryAt(reason: RowFailure, row: { attempts: number }, now: Date): Date {
    if (reason.code === INTERRUPTED.code) return new Date(now.getTime() + (this.deps.intervalMs ?? DEFAULT_INTERVAL_MS));
    return nextAttemptAt(now, row.attempts, this.deps.firstRetryMs);
  }

  /**
   * When the grouping window of the workspace's alert channel ends, if it is open now: warnings were
   * posted there less than `groupIntervalMs` ago. Null: post at once.
   */
  private async groupWindowEnd(workspace: Workspace, now: Date): Promise<Date | null> {
    const windowMs = this.deps.groupIntervalMs ?? 0;
    if (windowMs <= 0 || !workspace.alertChannel) return null;
    const last = await this.queue.lastPostedAt(workspace.id, workspace.alertChannel);
    if (!last) return null;
    const end = last.getTime() + windowMs;
    return end > now.getTime() ? new Date(end) : null;
  }

  private queueLimitMs(): number {
    return this.deps.queueLimitMs ?? (this.deps.leaseMs ?? DEFAULT_LEASE_MS) / 4;
  }

  private async reportOutboxAge(metrics: NonNullable<OutboxWorkerDeps['metrics']>): Promise<void> {
    const now = this.deps.now();
    const oldest = await this.queue.oldestDue(now);
    for (const workspace of this.agedWorkspaces) if (!oldest.has(workspace)) metrics.setOutboxOldestDueAge(workspace, 0);
    for (const [workspace, recordedAt] of oldest) {
      metrics.setOutboxOldestDueAge(workspace, (now.getTime() - recordedAt.getTime()) / 1000);
      this.agedWorkspaces.add(workspace);
    }
  }

  /** The workspace and its connections, read once per pass (null: the workspace is gone). */
  private async load(cache: Map<string, Loaded>, workspaceId: string): Promise<Loaded> {
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
