/**
 * The sources a workspace reads connection state from (`Source`) and what they last observed per
 * connection (`ConnectionObservation`). Secrets are encrypted on the way in and decrypted on the
 * way out (token-cipher.ts), as installation tokens are; nothing here logs one.
 */
import type { ObservedToken, SourceKind } from '../domain';
import type { Db, Tx } from './client';
import type { TokenCipher } from './token-cipher';

/** A source with its secrets in plain text (only in memory, on their way to the API). */
export interface SourceRecord {
  workspaceId: string;
  kind: SourceKind;
  secret: string;
  refreshSecret: string | null;
  clientId: string | null;
}

/** What a list shows: no secret. */
export interface SourceStatus {
  workspaceId: string;
  kind: SourceKind;
  clientId: string | null;
  lastSyncAt: Date | null;
  lastSyncOk: boolean | null;
  counts: Record<string, number>;
  lastError: string | null;
  needsCredential: boolean;
  credentialNoticeAt: Date | null;
  createdAt: Date;
}

/** What a sync writes after it ran. */
export interface SyncOutcome {
  at: Date;
  ok: boolean;
  counts?: Record<string, number>;
  error?: string | null;
  needsCredential?: boolean;
}

export interface Observation {
  connectionId: number;
  source: SourceKind | null;
  externalId: string | null;
  hasIntrospectionToken: boolean;
  observedState: 'ok' | 'disconnected' | null;
  observedReason: string | null;
  observedAt: Date | null;
}

export type ObservationWrite = Partial<Omit<Observation, 'connectionId' | 'hasIntrospectionToken'>>;

export class SourceRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly cipher: TokenCipher | null = null,
  ) {}

  private get keys(): TokenCipher {
    if (!this.cipher) throw new Error('source credentials need TOKEN_ENCRYPTION_KEY');
    return this.cipher;
  }

  /** Adds or replaces a source's credential; a new credential clears "needs a new credential". */
  async save(record: SourceRecord): Promise<void> {
    const data = {
      secret: this.keys.encrypt(record.secret),
      refreshSecret: record.refreshSecret === null ? null : this.keys.encrypt(record.refreshSecret),
      clientId: record.clientId,
      needsCredential: false,
      credentialNoticeAt: null,
      lastError: null,
    };
    await this.db.source.upsert({
      where: { workspaceId_kind: { workspaceId: record.workspaceId, kind: record.kind } },
      create: { workspaceId: record.workspaceId, kind: record.kind, ...data },
      update: data,
    });
  }

  /** Whether there was one to remove. */
  async remove(workspaceId: string, kind: SourceKind): Promise<boolean> {
    const { count } = await this.db.source.deleteMany({ where: { workspaceId, kind } });
    return count > 0;
  }

  async list(workspaceId: string): Promise<SourceStatus[]> {
    const rows = await this.db.source.findMany({ where: { workspaceId }, orderBy: { kind: 'asc' } });
    return rows.map((row) => ({
      workspaceId: row.workspaceId,
      kind: row.kind as SourceKind,
      clientId: row.clientId,
      lastSyncAt: row.lastSyncAt,
      lastSyncOk: row.lastSyncOk,
      counts: JSON.parse(row.counts) as Record<string, number>,
      lastError: row.lastError,
      needsCredential: row.needsCredential,
      credentialNoticeAt: row.credentialNoticeAt,
      createdAt: row.createdAt,
    }));
  }

  /** The workspaces with at least one source (the scheduler syncs those). */
  async workspacesWithSources(): Promise<string[]> {
    const rows = await this.db.source.findMany({ distinct: ['workspaceId'], select: { workspaceId: true }, orderBy: { workspaceId: 'asc' } });
    return rows.map((row) => row.workspaceId);
  }

  /** The credentials, decrypted. */
  async credentials(workspaceId: string): Promise<SourceRecord[]> {
    const rows = await this.db.source.findMany({ where: { workspaceId }, orderBy: { kind: 'asc' } });
    return rows.map((row) => ({
      workspaceId: row.workspaceId,
      kind: row.kind as SourceKind,
      secret: this.keys.decrypt(row.secret),
      refreshSecret: row.refreshSecret === null ? null : this.keys.decrypt(row.refreshSecret),
      clientId: row.clientId,
    }));
  }

  async recordSync(workspaceId: string, kind: SourceKind, outcome: SyncOutcome): Promise<void> {
    await this.db.source.updateMany({
      where: { workspaceId, kind },
      data: {
        lastSyncAt: outcome.at,
        lastSyncOk: outcome.ok,
        ...(outcome.counts ? { counts: JSON.stringify(outcome.counts) } : {}),
        lastError: outcome.error ?? null,
        ...(outcome.needsCredential !== undefined ? { needsCredential: outcome.needsCredential } : {}),
      },
    });
  }

  /**
   * Claims the one notice that a source needs a new credential: true for the first caller only
   * (a conditional update, so two replicas tell the admins once).
   */
  async claimCredentialNotice(workspaceId: string, kind: SourceKind, at: Date): Promise<boolean> {
    const { count } = await this.db.source.updateMany({ where: { workspaceId, kind, credentialNoticeAt: null }, data: { credentialNoticeAt: at } });
    return count > 0;
  }

  /** A refreshed Hootsuite token pair. */
  async saveTokens(workspaceId: string, kind: SourceKind, secret: string, refreshSecret: string | null): Promise<void> {
    await this.db.source.updateMany({
      where: { workspaceId, kind },
      data: { secret: this.keys.encrypt(secret), refreshSecret: refreshSecret === null ? null : this.keys.encrypt(refreshSecret) },
    });
  }

  async observations(workspaceId: string, connectionIds?: number | readonly number[]): Promise<Observation[]> {
    const ids = connectionIds === undefined ? null : typeof connectionIds === 'number' ? [connectionIds] : [...connectionIds];
    const rows = await this.db.connectionObservation.findMany({
      where: { workspaceId, ...(ids === null ? {} : { connectionId: { in: ids } }) },
      orderBy: { connectionId: 'asc' },
    });
    return rows.map((row) => ({
      connectionId: row.connectionId,
      source: row.source as SourceKind | null,
      externalId: row.externalId,
      hasIntrospectionToken: row.introspectionToken !== null,
      observedState: row.observedState as Observation['observedState'],
      observedReason: row.observedReason,
      observedAt: row.observedAt,
    }));
  }

  async observation(workspaceId: string, connectionId: number): Promise<Observation | null> {
    return (await this.observations(workspaceId, connectionId))[0] ?? null;
  }

  async observe(workspaceId: string, connectionId: number, write: ObservationWrite): Promise<void> {
    await this.db.connectionObservation.upsert({ where: { connectionId }, create: { connectionId, workspaceId, ...write }, update: write });
  }

  /**
   * Sets (or with null, removes) the token a connection's introspection uses. What was said of the
   * token before is forgotten: it described another token (the next sync describes this one).
   */
  async setIntrospectionToken(workspaceId: string, connectionId: number, token: string | null): Promise<void> {
    const introspectionToken = token === null ? null : this.keys.encrypt(token);
    await this.db.connectionObservation.upsert({
      where: { connectionId },
      create: { connectionId, workspaceId, introspectionToken },
      update: { introspectionToken },
    });
    await this.forgetTokenDates(workspaceId, { connectionId });
  }

  /** Records what an introspection said of a connection's token (the caller writes only a change: it re-judges the connection). */
  async recordTokenDates(workspaceId: string, connectionId: number, dates: ObservedToken): Promise<void> {
    await this.db.connection.updateMany({
      where: { id: connectionId, workspaceId },
      data: { observedEnd: dates.end, observedEndFrom: dates.from, observedOn: dates.on, dataAccessEnd: dates.dataAccessEnd },
    });
  }

  /** Forgets what a source said of tokens: one connection's (`connectionId`), or everything one source said (`from`). */
  async forgetTokenDates(workspaceId: string, which: { connectionId: number } | { from: SourceKind }): Promise<void> {
    const where = 'connectionId' in which ? { id: which.connectionId } : { observedEndFrom: which.from };
    await this.db.connection.updateMany({
      where: { workspaceId, observedEndFrom: { not: null }, ...where },
      data: { observedEnd: null, observedEndFrom: null, observedOn: null, dataAccessEnd: null },
    });
  }

  /** The connections with an introspection token, decrypted. */
  async introspectionTokens(workspaceId: string): Promise<{ connectionId: number; token: string }[]> {
    const rows = await this.db.connectionObservation.findMany({
      where: { workspaceId, introspectionToken: { not: null } },
      select: { connectionId: true, introspectionToken: true },
      orderBy: { connectionId: 'asc' },
    });
    return rows.map((row) => ({ connectionId: row.connectionId, token: this.keys.decrypt(row.introspectionToken!) }));
  }
}
