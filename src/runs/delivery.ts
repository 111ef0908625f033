/**
 * How warnings leave the outbox. Check runs only record warnings; the outbox worker
 * (src/runs/outbox-worker) claims the due rows across workspaces and hands each workspace's claimed
 * rows to a `WarningDelivery`, which posts them and settles every row: `posted`, `failed` (a person
 * must act; the reason says what) or back to `pending` with a next-attempt time. Implementations:
 * the Slack delivery in src/bot/delivery, and `LogDelivery` (no Slack configured: it leaves rows
 * pending so nothing is lost when Slack is set up later).
 */
import type { Connection, Warning, Workspace } from '../domain';

export interface DeliveryContext {
  /** The workspace, its alert channel already falling back to SLACK_ALERT_CHANNEL. */
  workspace: Workspace;
  /** The workspace's connections by id (for names, owners, backups). */
  connections: ReadonlyMap<number, Connection>;
  now: Date;
  /** The rows the worker claimed for this workspace (`sending`, with their claim token). */
  claimed: Warning[];
}

export interface DeliveryReport {
  posted: number;
  failed: number;
  /** Rows put back to `pending`, to be tried again at their next-attempt time. */
  pending: number;
  /** Why rows were not posted, when that is the case (e.g. "no alert channel"). */
  note?: string;
  /** Rows taken back from a claim that outlived its lease (a process that died mid-post). */
  reclaimed?: number;
}

export interface WarningDelivery {
  deliver(context: DeliveryContext): Promise<DeliveryReport>;
  /**
   * Rewrites the posted messages whose warnings were settled (resolved, snoozed) since they were
   * written; returns how many were updated. Absent when there is nowhere to update (no Slack).
   */
  updateMessages?(now: Date, workspaceId?: string): Promise<number>;
  /**
   * Takes the escalation steps due now (docs/rules.md "Escalation"); returns how many were taken.
   * Absent when nobody can be told (no Slack).
   */
  escalate?(now: Date, workspaceId?: string): Promise<number>;
  /** False when the delivery cannot post at all (no Slack): the worker then claims nothing. */
  readonly posts: boolean;
}

export function emptyReport(): DeliveryReport {
  return { posted: 0, failed: 0, pending: 0 };
}

export function addReport(into: DeliveryReport, more: DeliveryReport): DeliveryReport {
  into.posted += more.posted;
  into.failed += more.failed;
  into.pending += more.pending;
  if (more.note && !into.note) into.note = more.note;
  return into;
}

/**
 * What a check run does once its warnings are recorded: `serve` wakes the outbox worker (and
 * reports nothing: the worker posts them within one interval); `channel-keeper check` drains them
 * and reports what happened. Without one, the run only records.
 */
export interface Outbox {
  afterRecording(workspaceId: string): Promise<DeliveryReport | null>;
}
