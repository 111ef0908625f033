/**
 * The outbox queue: claim due rows and settle claimed ones, over the store's outbox statements
 * (src/store/outbox-repository.ts). Only the worker (worker.ts) uses it, so only the worker moves a
 * row between delivery states; a settle touches a row only while it is still held by its claim.
 */
import type { Warning } from '../domain';
import type { EscalationConversation, EscalationMessage } from '../store/escalation-message-repository';
import type { RowFailure } from '../store/outbox-repository';
import type { Store } from '../store/store';
import { PostedMessages } from './messages';
import type { PostedKind } from './slack-port';
import { yieldToEventLoop } from '../yield';

/** The reason code of a post Slack did not take for a temporary reason (rate limits, 5xx, timeouts). */
export const SLACK_UNAVAILABLE = 'slack_unavailable';

export type { RowFailure } from '../store/outbox-repository';

/** What happened to one claimed row in a delivery: the worker settles it accordingly. */
export type RowResult =
  | { row: Warning; outcome: 'posted'; channel: string; ts: string; kind: PostedKind }
  /** Not posted for a temporary reason: tried again with backoff (or failed after the last attempt). */
  | { row: Warning; outcome: 'retry'; reason: RowFailure }
  /** A person must act first (the reason says what). */
  | { row: Warning; outcome: 'failed'; reason: RowFailure }
  /** Held back (an outage) until `until`; the attempt is not a failure. */
  | { row: Warning; outcome: 'held'; reason: RowFailure; until: Date }
  /** Its connection (or workspace) no longer exists: resolved, not posted. */
  | { row: Warning; outcome: 'gone' };

export class OutboxQueue {
  constructor(private readonly store: Store) {}

  claim(options: { limit: number; holder: string; now: Date; workspaceId?: string; workspaceIds?: string[] }): Promise<Warning[]> {
    return this.store.outbox.claimDue(options);
  }

  /**
   * Every due row of one workspace, claimed a batch at a time until none is left: its alert channel
   * and its people get one message each for all of them. Each batch is a claim of its own (a token,
   * a lease), settled row by row as before.
   */
  async claimWorkspace(options: { limit: number; holder: string; now: Date; workspaceId: string }): Promise<Warning[]> {
    const rows: Warning[] = [];
    for (;;) {
      const batch = await this.store.outbox.claimDue(options);
      rows.push(...batch);
      if (batch.length < options.limit) return rows;
      // SQLite answers synchronously: a turn for the event loop between claims.
      await yieldToEventLoop();
    }
  }

  /** Rows whose delivery never started go back untouched (the attempt not counted). */
  async unclaim(rows: Warning[]): Promise<number> {
    let count = 0;
    for (const [claim, ids] of byClaim(rows)) count += await this.store.outbox.unclaim(ids, claim);
    return count;
  }

  /** Rows that wait for their channel's grouping window: due again at `until`, the attempt not counted. */
  async defer(rows: Warning[], until: Date): Promise<number> {
    let count = 0;
    for (const [claim, ids] of byClaim(rows)) count += await this.store.outbox.defer(ids, claim, until);
    return count;
  }

  /** When warnings were last posted to this channel of the workspace (null: never). */
  lastPostedAt(workspaceId: string, channel: string): Promise<Date | null> {
    return this.store.outbox.lastPostedAt(workspaceId, channel);
  }

  reclaim(claimedBefore: Date, workspaceId?: string): Promise<number> {
    return this.store.outbox.reclaimExpired(claimedBefore, workspaceId);
  }

  /** The rows one message carries, posted with it. */
  async posted(rows: Warning[], post: { channel: string; ts: string; now: Date }): Promise<number> {
    let count = 0;
    for (const [claim, ids] of byClaim(rows)) count += await this.store.outbox.markManyPosted(ids, post, claim);
    return count;
  }

  /** Rows back to `pending`, due again at `at`: a few statements however many rows. */
  async retry(rows: readonly Warning[], reason: RowFailure, at: Date | null): Promise<void> {
    for (const [claim, ids] of byClaim(rows)) await this.store.outbox.releaseManyForRetry(ids, reason, claim, at);
  }

  async failed(rows: readonly Warning[], reason: RowFailure): Promise<void> {
    for (const [claim, ids] of byClaim(rows)) await this.store.outbox.markManyFailed(ids, reason, claim);
  }

  async gone(rows: readonly Warning[], now: Date): Promise<void> {
    for (const [claim, ids] of byClaim(rows)) await this.store.outbox.resolveManyGone(ids, claim, now);
  }

  /**
   * Slack answers again: a workspace's rows and escalation messages waiting out a backoff because
   * Slack was unavailable are due now, not after their (up to an hour long) wait.
   */
  async slackIsBack(workspaceId: string, now: Date): Promise<number> {
    const codes = [SLACK_UNAVAILABLE];
    return (await this.store.outbox.dueNow(workspaceId, codes, now)) + (await this.store.escalationMessages.dueNow(workspaceId, codes, now));
  }

  countPending(now: Date, workspaceId?: string): Promise<{ due: number; later: number }> {
    return this.store.outbox.countPending(now, workspaceId);
  }

  oldestDue(now: Date): Promise<Map<string, Date>> {
    return this.store.outbox.oldestDue(now);
  }

  countFailedWith(workspaceId: string, code: string): Promise<number> {
    return this.store.outbox.countFailedWith(workspaceId, code);
  }

  // Escalation messages (src/outbox/escalate.ts): the same states, claims and settles as warnings.

  /** The conversations (a person's DM, an alert channel) with escalation messages due now. */
  escalationConversations(options: { now: Date; workspaceId?: string; workspaceIds?: string[] }): Promise<EscalationConversation[]> {
    return this.store.escalationMessages.dueConversations(options);
  }

  /** Whether an escalation message went to the conversation after `since`. */
  escalationSentSince(conversation: EscalationConversation, since: Date): Promise<boolean> {
    return this.store.escalationMessages.sentSince(conversation, since);
  }

  /** Up to `limit` due escalation messages of one conversation, claimed together: they go out as one Slack message. */
  claimEscalations(conversation: EscalationConversation, options: { limit: number; holder: string; now: Date }): Promise<EscalationMessage[]> {
    return this.store.escalationMessages.claimConversation(conversation, options);
  }

  reclaimEscalations(claimedBefore: Date, workspaceId?: string): Promise<number> {
    return this.store.escalationMessages.reclaimExpired(claimedBefore, workspaceId);
  }

  /**
   * Messages that went out as one Slack message (posted now, or found in the history): each row
   * settled and the message stored with their warnings, together (a message is stored once).
   */
  escalationsSent(
    messages: EscalationMessage[],
    post: { channel: string; ts: string; now: Date; kind: PostedKind; recipient: string | null; warnings: Warning[] },
  ): Promise<void> {
    return this.store.transaction(async (tx) => {
      let settled = false;
      for (const message of messages) if (await tx.escalationMessages.markSent(message.id, post, claimOf(message))) settled = true;
      if (!settled) return;
      await new PostedMessages(tx).record({
        workspaceId: messages[0]!.workspaceId,
        channel: post.channel,
        ts: post.ts,
        kind: post.kind,
        recipient: post.recipient,
        warnings: post.warnings,
      });
    });
  }

  escalationRetry(message: EscalationMessage, reason: RowFailure, at: Date | null): Promise<void> {
    return this.store.escalationMessages.releaseForRetry(message.id, reason, claimOf(message), at);
  }

  escalationFailed(message: EscalationMessage, reason: RowFailure): Promise<void> {
    return this.store.escalationMessages.markFailed(message.id, reason, claimOf(message));
  }

  escalationDropped(message: EscalationMessage): Promise<void> {
    return this.store.escalationMessages.markDropped(message.id, claimOf(message));
  }
}

/** Row ids by the claim that holds them (a workspace's rows may come from several claims). */
function byClaim(rows: readonly Warning[]): Map<string, number[]> {
  const claims = new Map<string, number[]>();
  for (const row of rows) {
    const claim = claimOf(row);
    const ids = claims.get(claim);
    if (ids) ids.push(row.id);
    else claims.set(claim, [row.id]);
  }
  return claims;
}

function claimOf(row: { id: number; claimedBy: string | null }): string {
  if (!row.claimedBy) throw new Error(`row ${row.id} is not claimed`);
  return row.claimedBy;
}
