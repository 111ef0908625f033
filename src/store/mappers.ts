/** Prisma rows → plain domain objects. Nothing Prisma-typed leaves src/store. */
import type {
  AuditEvent as AuditRow,
  BackupAdmin as BackupRow,
  Connection as ConnectionRow,
  Member as MemberRow,
  Warning as WarningRow,
  Workspace as WorkspaceRow,
} from '../generated/sqlite/client';
import {
  AuditEvent,
  BackupAdmin,
  Connection,
  ConnectionKind,
  ConnectionStatus,
  DisconnectReason,
  FindingKind,
  isSourceKind,
  Member,
  Network,
  ObservedToken,
  REPORT_DAYS,
  ReportDay,
  Role,
  Severity,
  Tool,
  Warning,
  WarningState,
  Workspace,
} from '../domain';

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    alertChannel: row.alertChannel,
    timeZone: row.timeZone,
    checkTime: row.checkTime,
    reportDay: (REPORT_DAYS as readonly string[]).includes(row.reportDay) ? (row.reportDay as ReportDay) : 'monday',
    reportTime: row.reportTime,
    policyOverrides: parseJson(row.policyOverrides, {}),
    outages: parseJson(row.outages, {}),
    uninstalledAt: row.uninstalledAt ? new Date(row.uninstalledAt) : null,
    escalation: parseJson(row.escalation, {}),
    // SQLite's raw reads give 0/1.
    statusCanvas: Boolean(row.statusCanvas),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toMember(row: MemberRow): Member {
  return { workspaceId: row.workspaceId, userId: row.userId, role: row.role as Role, active: row.active, name: row.name, updatedAt: row.updatedAt };
}

export function toBackup(row: BackupRecord): BackupAdmin {
  return { connectionId: Number(row.connectionId), userId: row.userId, addedBy: row.addedBy, addedAt: row.addedAt };
}

/** A connection row as the ORM or a raw `SELECT` returns it (a raw read may give integers as bigint). */
export type ConnectionRecord = Omit<ConnectionRow, 'id' | 'nameKey'> & { id: number | bigint };
export type BackupRecord = Omit<BackupRow, 'connectionId'> & { connectionId: number | bigint };

export function toConnection(row: ConnectionRecord & { backups?: BackupRecord[] }): Connection {
  return toConnectionWith(row, row.backups ?? []);
}

/** A connection row and its backup rows, read separately (a raw read, not an ORM `include`). */
/** Rows read in bulk and their backups read in one query, joined by connection id. */
export function toConnectionsWith(rows: readonly ConnectionRecord[], backups: readonly BackupRecord[]): Connection[] {
  const backupsOf = new Map<number, BackupRecord[]>();
  for (const b of backups) {
    const id = Number(b.connectionId);
    const own = backupsOf.get(id);
    if (own) own.push(b);
    else backupsOf.set(id, [b]);
  }
  return rows.map((row) => toConnectionWith(row, backupsOf.get(Number(row.id)) ?? []));
}

export function toConnectionWith(row: ConnectionRecord, backups: readonly BackupRecord[]): Connection {
  return {
    id: Number(row.id),
    workspaceId: row.workspaceId,
    network: row.network as Network,
    kind: row.kind as ConnectionKind,
    name: row.name,
    url: row.url,
    ownerId: row.ownerId,
    connectedAt: row.connectedAt,
    lastRefreshedAt: row.lastRefreshedAt,
    ownerLastActiveAt: row.ownerLastActiveAt,
    status: row.status as ConnectionStatus,
    disconnectReason: row.disconnectReason as DisconnectReason | null,
    disconnectedAt: row.disconnectedAt,
    security: {
      sharedLogin: row.sharedLogin,
      twoFactor: row.twoFactor,
      ownerSuperAdmin: row.ownerSuperAdmin,
      permissionsGranted: row.permissionsGranted,
    },
    notes: row.notes,
    tool: (row.tool ?? null) as Tool | null,
    archivedAt: row.archivedAt,
    retiredAt: row.retiredAt ?? null,
    backups: backups.length === 0 ? [] : backups.map(toBackup).sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime()),
    observed: toObservedToken(row),
    awaitingOwner: Boolean(row.awaitingOwner),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toObservedToken(row: ConnectionRecord): ObservedToken | null {
  if (row.observedEndFrom === null || row.observedOn === null || !isSourceKind(row.observedEndFrom)) return null;
  return { end: row.observedEnd, from: row.observedEndFrom, on: row.observedOn, dataAccessEnd: row.dataAccessEnd };
}

export function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    connectionId: row.connectionId,
    actorId: row.actorId,
    action: row.action,
    details: parseJson(row.details, {}),
    at: row.at,
  };
}

/** A warning row as the ORM or a raw `SELECT` returns it (a raw read may give integers as bigint). */
export type WarningRecord = Omit<WarningRow, 'id' | 'connectionId' | 'attempts' | 'escalationStep'> & {
  id: number | bigint;
  connectionId: number | bigint;
  attempts: number | bigint;
  escalationStep: number | bigint;
};

export function toWarning(row: WarningRecord): Warning {
  return {
    id: Number(row.id),
    workspaceId: row.workspaceId,
    connectionId: Number(row.connectionId),
    kind: row.kind as FindingKind,
    stage: row.stage,
    severity: row.severity as Severity,
    cycle: row.cycle,
    dedupKey: row.dedupKey,
    dueAt: row.dueAt,
    state: row.state as WarningState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.nextAttemptAt ?? null,
    lastError: row.lastError,
    claimedAt: row.claimedAt,
    claimedBy: row.claimedBy,
    slackChannel: row.slackChannel,
    slackTs: row.slackTs,
    postedAt: row.postedAt,
    snoozedUntil: row.snoozedUntil,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    escalationStep: Number(row.escalationStep ?? 0),
    escalatedAt: row.escalatedAt ?? null,
    escalateAt: row.escalateAt ?? null,
    escalationEnded: row.escalationEnded ?? null,
    acknowledgedBy: row.acknowledgedBy ?? null,
    acknowledgedAt: row.acknowledgedAt ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
