/**
 * The escalation columns of the outbox (docs/rules.md "Escalation"). Every change is a conditional
 * update on the step the caller read, so two replicas (or a worker and a restart of it) that look at
 * the same row take each step once: the one whose update matched sends, the other sees 0 rows.
 */
import { ESCALATING_SEVERITIES, SYSTEM_ACTOR, type Warning } from '../domain';
import type { Db, Tx } from './client';
import { toWarning } from './mappers';
import { OPEN_STATES } from './warning-repository';

export class EscalationRepository {
  constructor(private readonly db: Db | Tx) {}

  /**
   * Posted warnings that may climb and whose next step is due, or was never planned (`escalateAt`
   * null: a warning posted since the last pass). Oldest first.
   */
  async due(now: Date, limit: number, workspaceId?: string): Promise<Warning[]> {
    const rows = await this.db.warning.findMany({
      where: {
        state: 'posted',
        severity: { in: [...ESCALATING_SEVERITIES] },
        escalationEnded: null,
        acknowledgedAt: null,
        OR: [{ escalateAt: null }, { escalateAt: { lte: now } }],
        ...(workspaceId ? { workspaceId } : {}),
      },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map(toWarning);
  }

  /** Plans the next step (the decision may have moved it: settings changed). */
  async plan(id: number, step: number, at: Date): Promise<boolean> {
    const { count } = await this.db.warning.updateMany({ where: { id, escalationStep: step, escalationEnded: null }, data: { escalateAt: at } });
    return count === 1;
  }

  /** Ends the climb (someone acted, the top was reached, escalation is off). */
  async end(id: number, step: number, reason: string): Promise<boolean> {
    const { count } = await this.db.warning.updateMany({
      where: { id, escalationStep: step, escalationEnded: null },
      data: { escalationEnded: reason, escalateAt: null },
    });
    return count === 1;
  }

  /**
   * Takes step `step` (0-based): true for the one caller whose update matched. `nextAt` null: it was
   * the last step.
   */
  async advance(id: number, step: number, at: Date, nextAt: Date | null): Promise<boolean> {
    const { count } = await this.db.warning.updateMany({
      where: { id, escalationStep: step, state: 'posted', escalationEnded: null, acknowledgedAt: null },
      data: { escalationStep: step + 1, escalatedAt: at, escalateAt: nextAt, ...(nextAt ? {} : { escalationEnded: 'top' }) },
    });
    return count === 1;
  }

  /** "I'm on it": open warnings not acknowledged yet get who and when; returns the ids acknowledged now. */
  async acknowledge(workspaceId: string, ids: number[], by: string, at: Date): Promise<number[]> {
    if (!ids.length) return [];
    const taken: number[] = [];
    for (const id of ids) {
      const { count } = await this.db.warning.updateMany({
        where: { workspaceId, id, state: { in: OPEN_STATES }, acknowledgedAt: null },
        data: { acknowledgedBy: by, acknowledgedAt: at, escalationEnded: 'acknowledged', escalateAt: null },
      });
      if (count) taken.push(id);
    }
    return taken;
  }

  /** The latest of these audited actions taken by a person (not the system) on each of these channels. */
  async lastActions(workspaceId: string, connectionIds: number[], actions: readonly string[]): Promise<Map<number, Date>> {
    if (!connectionIds.length) return new Map();
    const groups = await this.db.auditEvent.groupBy({
      by: ['connectionId'],
      where: { workspaceId, connectionId: { in: connectionIds }, actorId: { not: SYSTEM_ACTOR }, action: { in: [...actions] } },
      _max: { at: true },
    });
    return new Map(groups.flatMap((g) => (g.connectionId !== null && g._max.at ? [[g.connectionId, g._max.at] as const] : [])));
  }
}
