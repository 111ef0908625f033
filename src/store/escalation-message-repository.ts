/**
 * The escalation messages (docs/rules.md "Escalation"): one outbox row per message of a step, a DM
 * to one person or the post in the alert channel. Written with the step (src/outbox/escalate.ts, in
 * the step's transaction); claimed and settled only by the outbox worker (src/outbox/queue.ts), like
 * warnings: each claim counts one attempt, and a settle touches a row only while its claim holds it.
 */
import { randomUUID } from 'node:crypto';
import type { EscalationRung } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import type { RowFailure } from './outbox-repository';
import { claimPicked, INSTALLED_ONLY, pendingWhere, type ClaimOptions } from './sql';

export type EscalationMessageState = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

/** One message of a step, as stored. */
export interface EscalationMessage {
  id: number;
  workspaceId: string;
  warningId: number;
  /** 1-based. */
  step: number;
  rung: EscalationRung;
  /** The person a DM goes to; null: the post in the alert channel. */
  recipient: string | null;
  /** The alert channel the channel step posts in. */
  channel: string | null;
  mentions: string[];
  here: boolean;
  state: EscalationMessageState;
  attempts: number;
  claimedBy: string | null;
  createdAt: Date;
}

/** Where a message goes: a person's DM (`recipient`) or an alert channel (`channel`, no recipient). */
export interface EscalationConversation {
  workspaceId: string;
  recipient: string | null;
  channel: string | null;
}

/** A message to write with its step. */
export type NewEscalationMessage = Pick<EscalationMessage, 'workspaceId' | 'warningId' | 'step' | 'rung' | 'recipient' | 'channel' | 'mentions' | 'here'>;

function conversationWhere(c: EscalationConversation) {
  return { workspaceId: c.workspaceId, recipient: c.recipient, ...(c.recipient ? {} : { channel: c.channel }) };
}

type Row = Omit<EscalationMessage, 'rung' | 'mentions' | 'state'> & { rung: string; mentions: string; state: string };

function toEscalationMessage(row: Row): EscalationMessage {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    warningId: row.warningId,
    step: row.step,
    rung: JSON.parse(row.rung) as EscalationRung,
    recipient: row.recipient,
    channel: row.channel,
    mentions: JSON.parse(row.mentions) as string[],
    here: row.here,
    state: row.state as EscalationMessageState,
    attempts: row.attempts,
    claimedBy: row.claimedBy,
    createdAt: row.createdAt,
  };
}

export class EscalationMessageRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  async add(messages: NewEscalationMessage[]): Promise<void> {
    for (const m of messages) {
      await this.db.escalationMessage.create({
        data: { ...m, rung: JSON.stringify({ to: m.rung.to, afterHours: m.rung.afterHours }), mentions: JSON.stringify(m.mentions) },
      });
    }
  }

  /**
   * Claims up to `limit` due messages (`pending`, past their `nextAttemptAt`), oldest first, skipping
   * uninstalled workspaces (sent if the app is reinstalled). One statement, `SKIP LOCKED` on
   * PostgreSQL as for warnings; each claim gets its own token and counts one attempt.
   */
  async claimDue(options: ClaimOptions): Promise<EscalationMessage[]> {
    const token = await claimPicked(
      this.db,
      this.provider,
      'EscalationMessage',
      options,
      ({ due, scope, limit, lock }) => `SELECT "id" FROM "EscalationMessage"
        WHERE "state" = 'pending' AND (${due})${scope} AND ${INSTALLED_ONLY}
        ORDER BY "id" LIMIT ${limit}${lock()}`,
    );
    const rows = await this.db.escalationMessage.findMany({ where: { claimedBy: token, state: 'sending' }, orderBy: { id: 'asc' } });
    return rows.map(toEscalationMessage);
  }

  /**
   * The conversations with messages due now (`pending`, past their `nextAttemptAt`), the one waiting
   * longest first, skipping uninstalled workspaces: the worker sends each conversation's messages as
   * one Slack message.
   */
  async dueConversations(options: Omit<ClaimOptions, 'limit' | 'holder'>): Promise<EscalationConversation[]> {
    const groups = await this.db.escalationMessage.groupBy({
      by: ['workspaceId', 'recipient', 'channel'],
      where: this.dueWhere(options),
      _min: { id: true },
      orderBy: { _min: { id: 'asc' } },
    });
    return groups.map(({ workspaceId, recipient, channel }) => ({ workspaceId, recipient, channel }));
  }

  /** Whether a message went to this conversation after `since` (the worker's batching window). */
  async sentSince(conversation: EscalationConversation, since: Date): Promise<boolean> {
    const sent = await this.db.escalationMessage.findFirst({
      where: { ...conversationWhere(conversation), state: 'sent', sentAt: { gt: since } },
      select: { id: true },
    });
    return sent !== null;
  }

  /**
   * Claims up to `limit` due messages of one conversation, oldest first, with one token: each counts
   * one attempt. The update takes only rows still `pending`, so of two replicas claiming the same
   * conversation at once each row goes to one.
   */
  async claimConversation(conversation: EscalationConversation, options: Omit<ClaimOptions, 'workspaceId' | 'workspaceIds'>): Promise<EscalationMessage[]> {
    const picked = await this.db.escalationMessage.findMany({
      where: { ...this.dueWhere(options), ...conversationWhere(conversation) },
      orderBy: { id: 'asc' },
      take: options.limit,
      select: { id: true },
    });
    if (!picked.length) return [];
    const token = `${options.holder}:${randomUUID()}`;
    await this.db.escalationMessage.updateMany({
      where: { id: { in: picked.map((p) => p.id) }, state: 'pending' },
      data: { state: 'sending', claimedAt: options.now, claimedBy: token, attempts: { increment: 1 } },
    });
    const rows = await this.db.escalationMessage.findMany({ where: { claimedBy: token, state: 'sending' }, orderBy: { id: 'asc' } });
    return rows.map(toEscalationMessage);
  }

  private dueWhere(options: Omit<ClaimOptions, 'limit' | 'holder'>) {
    const scope = options.workspaceIds ?? (options.workspaceId ? [options.workspaceId] : null);
    return {
      state: 'pending',
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: options.now } }],
      workspace: { uninstalledAt: null },
      ...(scope ? { workspaceId: { in: scope } } : {}),
    };
  }

  /** Messages whose claim is older than the lease (a replica killed mid-send) go back to `pending`. */
  async reclaimExpired(claimedBefore: Date, workspaceId?: string): Promise<number> {
    const { count } = await this.db.escalationMessage.updateMany({
      where: { state: 'sending', claimedAt: { lt: claimedBefore }, ...(workspaceId ? { workspaceId } : {}) },
      data: { state: 'pending', claimedBy: null, nextAttemptAt: null },
    });
    return count;
  }

  async markSent(id: number, post: { channel: string; ts: string; now: Date }, claimedBy: string): Promise<boolean> {
    const { count } = await this.db.escalationMessage.updateMany({
      where: { id, state: 'sending', claimedBy },
      data: { state: 'sent', slackChannel: post.channel, slackTs: post.ts, sentAt: post.now, lastError: null, lastErrorCode: null, claimedBy: null },
    });
    return count === 1;
  }

  async releaseForRetry(id: number, reason: RowFailure, claimedBy: string, nextAttemptAt: Date | null): Promise<void> {
    await this.db.escalationMessage.updateMany({
      where: { id, state: 'sending', claimedBy },
      data: { state: 'pending', lastError: reason.text, lastErrorCode: reason.code, claimedBy: null, nextAttemptAt },
    });
  }

  async markFailed(id: number, reason: RowFailure, claimedBy: string): Promise<void> {
    await this.db.escalationMessage.updateMany({
      where: { id, state: 'sending', claimedBy },
      data: { state: 'failed', lastError: reason.text, lastErrorCode: reason.code, claimedBy: null },
    });
  }

  /** Not sent: its warning was settled or its channel removed since the step. */
  async markDropped(id: number, claimedBy: string): Promise<void> {
    await this.db.escalationMessage.updateMany({ where: { id, state: 'sending', claimedBy }, data: { state: 'dropped', claimedBy: null } });
  }

  /** Messages of a workspace waiting out a backoff for one of `codes` become due now; returns how many. */
  async dueNow(workspaceId: string, codes: readonly string[], now: Date): Promise<number> {
    const { count } = await this.db.escalationMessage.updateMany({
      where: pendingWhere.backingOff(workspaceId, codes, now),
      data: { nextAttemptAt: now },
    });
    return count;
  }

  async countPending(now: Date, workspaceId?: string): Promise<{ due: number; later: number }> {
    const [due, later] = await Promise.all([
      this.db.escalationMessage.count({ where: pendingWhere.due(now, workspaceId) }),
      this.db.escalationMessage.count({ where: pendingWhere.later(now, workspaceId) }),
    ]);
    return { due, later };
  }
}
