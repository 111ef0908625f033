/**
 * What a pass of the outbox reports, and the hook a check run calls once its warnings are
 * recorded (`Outbox.afterRecording`): `serve` wakes the worker (and reports nothing: the worker
 * posts within one interval); `channel-keeper check` drains the workspace and reports what happened.
 */

/** Why rows wait when Slack is not configured: they stay pending until it is. */
export const SLACK_NOT_CONFIGURED = 'Slack is not configured';

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

export interface Outbox {
  afterRecording(workspaceId: string): Promise<DeliveryReport | null>;
}

export function emptyReport(): DeliveryReport {
  return { posted: 0, failed: 0, pending: 0 };
}
