import type { AuditAction, AuditEvent } from '../domain';
import type { Db, Tx } from './client';
import { toAuditEvent } from './mappers';

export interface NewAuditEvent {
  workspaceId: string;
  connectionId?: number | null;
  actorId: string;
  action: AuditAction;
  details?: Record<string, unknown>;
  at?: Date;
}

/** The audit trail: append-only, there is no update or delete. */
export class AuditRepository {
  constructor(private readonly db: Db | Tx) {}

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const row = await this.db.auditEvent.create({
      data: {
        workspaceId: event.workspaceId,
        connectionId: event.connectionId ?? null,
        actorId: event.actorId,
        action: event.action,
        details: JSON.stringify(event.details ?? {}),
        ...(event.at ? { at: event.at } : {}),
      },
    });
    return toAuditEvent(row);
  }

  /** Newest first. */
  async list(workspaceId: string, filter: { connectionId?: number; limit?: number; offset?: number } = {}): Promise<AuditEvent[]> {
    const rows = await this.db.auditEvent.findMany({
      where: { workspaceId, ...(filter.connectionId !== undefined ? { connectionId: filter.connectionId } : {}) },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: filter.limit ?? 50,
      skip: filter.offset ?? 0,
    });
    return rows.map(toAuditEvent);
  }

  async count(workspaceId: string, connectionId?: number): Promise<number> {
    return this.db.auditEvent.count({ where: { workspaceId, ...(connectionId !== undefined ? { connectionId } : {}) } });
  }
}
