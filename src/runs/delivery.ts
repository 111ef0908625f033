/**
 * How a check run hands its pending warnings on. The run (src/runs/check-run) records warnings in the
 * outbox and then calls `deliver`; an implementation claims pending rows from the store, posts
 * them, and marks each posted / failed / back to pending. Implementations: the Slack delivery in
 * src/bot/delivery, and `LogDelivery` (no Slack configured: it reports, and leaves rows pending so
 * nothing is lost when Slack is set up later).
 */
import type { Connection, Workspace } from '../domain';

export interface DeliveryContext {
  workspace: Workspace;
  /** The workspace's connections by id, as the run loaded them (for names, owners, backups). */
  connections: ReadonlyMap<number, Connection>;
  now: Date;
}

export interface DeliveryReport {
  posted: number;
  failed: number;
  /** Rows left (or put back) in `pending` for the next run: retries exhausted, no alert channel… */
  pending: number;
  /** Why nothing was delivered, when that is the case (e.g. "no alert channel"). */
  note?: string;
}

export interface WarningDelivery {
  deliver(context: DeliveryContext): Promise<DeliveryReport>;
}
