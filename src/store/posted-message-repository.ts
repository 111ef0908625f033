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
    // A message of a big run carries thousands of warnings: new links are inserted in bulk, links
    // already there (a message found again in the history) rewritten by state.
    const known = new Set((await this.db.postedMessageWarning.findMany({ where: { messageId: row.id }, select: { warningId: true } })).map((l) => l.warningId));
    const fresh = [...new Map(message.warnings.filter((w) => !known.has(w.id)).map((w) => [w.id, w])).values()];
    for (const chunk of chunks(fresh)) {
      await this.db.postedMessageWarning.createMany({ data: chunk.map((w) => ({ messageId: row.id, warningId: w.id, ...renderedColumns(w) })) });
    }
    await this.writeRendered(
      row.id,
      message.warnings.filter((w) => known.has(w.id)),
    );
    return row.id;
  }

  /** The rendered columns of these links, one statement per distinct rendering (and per thousand ids). */
  private async writeRendered(messageId: number, states: readonly RenderedWarning[]): Promise<void> {
    const groups = new Map<string, { columns: ReturnType<typeof renderedColumns>; ids: number[] }>();
    for (const w of states) {
      const columns = renderedColumns(w);
      const key = JSON.stringify(columns);
      const group = groups.get(key) ?? { columns, ids: [] };
      group.ids.push(w.id);
      groups.set(key, group);
    }
    for (const { columns, ids } of groups.values()) {
      for (const chunk of chunks(ids)) await this.db.postedMessageWarning.updateMany({ where: { messageId, warningId: { in: chunk } }, data: columns });
    }
  }

  /** How many warnings a stored message carries, by severity. */
  async countMessageWarnings(messageId: number): Promise<Map<string, number>> {
    const rows = await this.db.warning.groupBy({ by: ['severity'], where: { messages: { some: { messageId } } }, _count: { _all: true } });
    return new Map(rows.map((r) => [r.severity, r._count._all]));
  }

  /** How many of a stored message's warnings are resolved or snoozed now. */
  countSettledWarnings(messageId: number): Promise<number> {
    return this.db.warning.count({ where: { state: { in: ['resolved', 'snoozed'] }, messages: { some: { messageId } } } });
  }

  /** A page of a stored message's warnings of one severity, earliest due first (then oldest). */
  async listMessageWarnings(messageId: number, severity: string, skip: number, take: number): Promise<Warning[]> {
    const rows = await this.db.warning.findMany({
      where: { severity, messages: { some: { messageId } } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
      skip,
      take,
    });
    return rows.map(toWarning);
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

  /** The stored message at this place in Slack, without its warnings (a big run's carries thousands). */
  async findMessageHeader(channel: string, ts: string): Promise<Omit<StoredMessage, 'warnings'> | null> {
    const row = await this.db.postedMessage.findUnique({ where: { channel_ts: { channel, ts } } });
    if (!row) return null;
    const { id, workspaceId, kind, recipient, createdAt, attempts } = row;
    return { id, workspaceId, channel, ts, kind: kind as PostedMessageKind, recipient, createdAt, attempts };
  }

  /** The stored message at this place in Slack (a pressed message), if the bot posted it. */
  async findMessageAt(channel: string, ts: string): Promise<number | null> {
    const row = await this.db.postedMessage.findUnique({ where: { channel_ts: { channel, ts } }, select: { id: true } });
    return row?.id ?? null;
  }

  /** The message was rewritten with these states: it is not due again until one of them changes. */
  async markMessageWritten(id: number, states: RenderedWarning[]): Promise<void> {
    await this.writeRendered(id, states);
    await this.db.postedMessage.update({ where: { id }, data: { attempts: 0, nextAttemptAt: null, lastError: null } });
  }

  /** An update that failed: tried again from `nextAttemptAt`, or never when that is null (a permanent error). */
  async messageUpdateFailed(id: number, error: string, nextAttemptAt: Date | null, states?: RenderedWarning[]): Promise<void> {
    if (!nextAttemptAt && states) {
      // Given up: the states are marked written so the message stops coming back.
      await this.writeRendered(id, states);
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

/** Ids per statement: far below the bound-parameter limits of SQLite (32,766) and PostgreSQL (65,535). */
const CHUNK = 1_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}
