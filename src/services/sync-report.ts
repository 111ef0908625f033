/** What a source sync found and did (src/services/sync.ts), as its callers read it. */
import type { Network, SourceKind } from '../domain';

/** The one admin message of a sync (the Slack side words it). */
export interface SyncNotice {
  /** Records the sync created, each without an owner. */
  needOwner: { name: string; network: string; source: SourceKind }[];
  /** Sources that refused their credential, told once. */
  needsCredential: SourceKind[];
}

/** A sync's notice: the records it created, and the sources whose refused credential it is the first to see. */
export function noticeOf(report: SyncReport): SyncNotice {
  return {
    needOwner: report.created.map((c) => ({ name: c.name, network: c.network, source: c.source })),
    needsCredential: report.sources.filter((s) => s.tellAdmins).map((s) => s.source),
  };
}

export interface SourceCounts {
  seen: number;
  matched: number;
  created: number;
  disconnected: number;
  reconnected: number;
  skipped: number;
  /** Introspected tokens older than the connection's last recorded refresh: the team holds a newer one (docs/sources.md). */
  superseded: number;
  /** Connections whose token dates were recorded or changed: the check judges them again at once. */
  dated: number;
}

export interface SourceResult {
  source: SourceKind;
  ok: boolean;
  /** What went wrong and what to do, naming the source. */
  error: string | null;
  needsCredential: boolean;
  /** The first sync to see the credential refused: admins are told (once). */
  tellAdmins: boolean;
  counts: SourceCounts;
}

export interface SyncedConnection {
  id: number | null;
  name: string;
  network: Network;
  source: SourceKind;
  /** The observation in words, naming the source ("Hootsuite: reconnect needed"). */
  reason: string | null;
}

export interface SyncReport {
  workspaceId: string;
  dryRun: boolean;
  sources: SourceResult[];
  /** Records the sync created: each has no owner yet. */
  created: SyncedConnection[];
  disconnected: SyncedConnection[];
  reconnected: SyncedConnection[];
}
