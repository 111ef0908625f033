/**
 * "Connect Hootsuite" (docs/sources.md): the OAuth state handed to the tool for the admin who
 * pressed the button, consumed once and only until it expires. Nothing here logs a state.
 */
import { isSourceKind, type SourceKind } from '../domain';
import type { Db, Tx } from './client';

export interface SourceOAuthStateRecord {
  state: string;
  workspaceId: string;
  /** The admin who pressed the button. */
  userId: string;
  kind: SourceKind;
  expiresAt: Date;
}

export class SourceOAuthStateRepository {
  constructor(private readonly db: Db | Tx) {}

  /**
   * Stores a state. A workspace keeps at most `keep` unfinished ones: past it the oldest go (that
   * connect must start again), so pressing the button over and over cannot grow the table.
   * Expired states of every workspace go on the way.
   */
  async issue(record: SourceOAuthStateRecord, keep: number, now: Date): Promise<void> {
    await this.db.sourceOAuthState.deleteMany({ where: { expiresAt: { lte: now } } });
    await this.db.sourceOAuthState.create({ data: record });
    // Every state lives as long, so the soonest to expire are the oldest.
    const beyond = await this.db.sourceOAuthState.findMany({
      where: { workspaceId: record.workspaceId },
      orderBy: [{ expiresAt: 'desc' }, { state: 'asc' }],
      skip: keep,
      select: { state: true },
    });
    if (beyond.length) await this.db.sourceOAuthState.deleteMany({ where: { state: { in: beyond.map((row) => row.state) } } });
  }

  /** Consumes a state once: its record, or null when unknown, used already or expired. */
  async take(state: string, now: Date): Promise<SourceOAuthStateRecord | null> {
    const row = await this.db.sourceOAuthState.findUnique({ where: { state } });
    if (!row) return null;
    // The delete decides: of two callbacks with one state, only one deletes it.
    const { count } = await this.db.sourceOAuthState.deleteMany({ where: { state } });
    if (count !== 1 || row.expiresAt <= now || !isSourceKind(row.kind)) return null;
    return { state: row.state, workspaceId: row.workspaceId, userId: row.userId, kind: row.kind, expiresAt: row.expiresAt };
  }
}
