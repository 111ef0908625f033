/**
 * The Slack messages that carry warnings (alert channel message, digest, DM) and which warnings
 * each carries, with the state it was last written in: a warning settled, escalated or
 * acknowledged since marks the message due an update (docs/architecture.md "Scheduling and
 * delivery"). src/outbox/messages.ts is its only caller.
 */
import type { Warning, WarningState } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toWarning } from './mappers';
import { SqlParams, sqliteTimestamp } from './sql';

export class PostedMessageRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider,
  ) {}

  /** Remembers a posted message and the warnings it carries, each with the state it was written in. */
  async recordMessage(message: {
    workspaceId: string;
    channel: string;
    ts: string;
    kind: PostedMessageKind;
    recipient?: string | null;
    warnings: RenderedWarning[];
  }): Promise<number> {
    const where = { channel_ts: { channel: message.channel, ts: message.ts } };
    // Slack never gives one (channel, ts) to two messages: a row already there for another workspace
    // is stale (a test Slack restarting its ts), and what it carried no longer belongs to it.
    const existing = await this.db.postedMessage.findUnique({ where, select: { id: true, workspaceId: true } });
    if (existing && existing.workspaceId !== message.workspaceId) await this.db.postedMessageWarning.deleteMany({ where: { messageId: existing.id } });
    const fields = { workspaceId: message.workspaceId, kind: message.kind, recipient: message.recipient ?? null };
    const row = await this.db.postedMessage.upsert({
      where,
      create: { ...fields, channel: message.channel, ts: message.ts },
      update: existing && existing.workspaceId !== message.workspaceId ? fields : {},
      select: { id: true },
    });
    for (const w of message.warnings) {
      await this.db.postedMessageWarning.upsert({
        where: { messageId_warningId: { messageId: row.id, warningId: w.id } },
        create: { messageId: row.id, warningId: w.id, ...renderedColumns(w) },
        update: renderedColumns(w),
      });
    }
    return row.id;
  }

  /**
   * Messages due an update: one of their warnings was settled (resolved or snoozed), escalated or
   * acknowledged since the message was written, and no failed update of it waits for its next attempt.
   */
  async messagesToUpdate(now: Date, limit: number, workspaceId?: string): Promise<number[]> {
    const sql = new SqlParams(this.provider);
    const dueBy = this.provider === 'postgresql' ? `${sql.add(now.toISOString())}::timestamp` : sql.add(sqliteTimestamp(now));
    const scope = workspaceId ? ` AND m."workspaceId" = ${sql.add(workspaceId)}` : '';
    const rows = await this.db.$queryRawUnsafe<{ id: number | bigint }[]>(
      `SELECT DISTINCT m."id" FROM "PostedMessage" m
       JOIN "PostedMessageWarning" l ON l."messageId" = m."id" JOIN "Warning" w ON w."id" = l."warningId"
       WHERE ((w."state" <> l."renderedState" AND w."state" IN ('resolved', 'snoozed'))
           OR w."escalationStep" <> l."renderedStep" OR COALESCE(w."acknowledgedBy", '') <> COALESCE(l."renderedAck", ''))
         AND (m."nextAttemptAt" IS NULL OR m."nextAttemptAt" <= ${dueBy})${scope}
       ORDER BY m."id" LIMIT ${sql.add(limit, 'integer')}`,
      ...sql.values,
    );
    return rows.map((r) => Number(r.id));
  }

  /** A stored message with the warnings it carries, as they are now. */
  async findMessage(id: number): Promise<StoredMessage | null> {
    const row = await this.db.postedMessage.findUnique({ where: { id }, include: { warnings: { include: { warning: true } } } });
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      channel: row.channel,
      ts: row.ts,
      kind: row.kind as PostedMessageKind,
      recipient: row.recipient,
      createdAt: row.createdAt,
      attempts: row.attempts,
      warnings: row.warnings.map((l) => toWarning(l.warning)).sort((a, b) => a.id - b.id),
    };
  }

  /** The stored message at this place in Slack (a pressed message), if the bot posted it. */
  async findMessageAt(channel: string, ts: string): Promise<number | null> {
    const row = await this.db.postedMessage.findUnique({ where: { channel_ts: { channel, ts } }, select: { id: true } });
    return row?.id ?? null;
  }

  /** The message was rewritten with these states: it is not due again until one of them changes. */
  async markMessageWritten(id: number, states: RenderedWarning[]): Promise<void> {
    for (const w of states) {
      await this.db.postedMessageWarning.updateMany({ where: { messageId: id, warningId: w.id }, data: renderedColumns(w) });
    }
    await this.db.postedMessage.update({ where: { id }, data: { attempts: 0, nextAttemptAt: null, lastError: null } });
  }

  /** An update that failed: tried again from `nextAttemptAt`, or never when that is null (a permanent error). */
  async messageUpdateFailed(id: number, error: string, nextAttemptAt: Date | null, states?: RenderedWarning[]): Promise<void> {
    if (!nextAttemptAt && states) {
      // Given up: the states are marked written so the message stops coming back.
      for (const w of states) await this.db.postedMessageWarning.updateMany({ where: { messageId: id, warningId: w.id }, data: renderedColumns(w) });
    }
    await this.db.postedMessage.update({ where: { id }, data: { attempts: { increment: 1 }, nextAttemptAt, lastError: error } });
  }
}

export type PostedMessageKind = 'alert' | 'digest' | 'dm';

/** What a message showed of a warning: its state, and (when given) its escalation step and acknowledger. A `Warning` is one. */
export interface RenderedWarning {
  id: number;
  state: WarningState;
  escalationStep?: number;
  acknowledgedBy?: string | null;
}

function renderedColumns(w: RenderedWarning): { renderedState: string; renderedStep?: number; renderedAck?: string | null } {
  return {
    renderedState: w.state,
    ...(w.escalationStep !== undefined ? { renderedStep: w.escalationStep } : {}),
    ...(w.acknowledgedBy !== undefined ? { renderedAck: w.acknowledgedBy } : {}),
  };
}

export interface StoredMessage {
  id: number;
  workspaceId: string;
  channel: string;
  ts: string;
  kind: PostedMessageKind;
  /** The person a DM went to. */
  recipient: string | null;
  createdAt: Date;
  attempts: number;
  warnings: Warning[];
}
