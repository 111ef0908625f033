/**
 * The reads of the weekly report: the audit events of a week, and the warnings that were open at
 * some point of it (what the checks saw then, so last week's health is the checks' own record).
 */
import type { AuditEvent, FindingKind, Severity, WarningSpan } from '../domain';
import type { Db, Tx } from './client';
import { toAuditEvent } from './mappers';

export class ReportRepository {
  constructor(private readonly db: Db | Tx) {}

  /** Events with one of `actions` in (from, to], oldest first (`to` is the report's instant: a check then counts). */
  async auditBetween(workspaceId: string, from: Date, to: Date, actions: readonly string[]): Promise<AuditEvent[]> {
    const rows = await this.db.auditEvent.findMany({
      where: { workspaceId, action: { in: [...actions] }, at: { gt: from, lte: to } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toAuditEvent);
  }

  /** Warnings created at or before `to` and not resolved before `from`. */
  async warningsOpenDuring(workspaceId: string, from: Date, to: Date): Promise<WarningSpan[]> {
    const rows = await this.db.warning.findMany({
      where: { workspaceId, createdAt: { lte: to }, OR: [{ resolvedAt: null }, { resolvedAt: { gte: from } }] },
      select: { connectionId: true, kind: true, severity: true, createdAt: true, resolvedAt: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((r) => ({ ...r, kind: r.kind as FindingKind, severity: r.severity as Severity }));
  }
}
