import { isUniqueViolation, type Db, type Tx } from './client';

/** Where a workspace's status canvas stands (see the StatusCanvas model). */
export type StatusCanvasState = 'none' | 'ready' | 'unavailable';

export interface StatusCanvasRecord {
  workspaceId: string;
  channelId: string;
  state: StatusCanvasState;
  canvasId: string | null;
  sectionIds: Record<string, string>;
  contentHash: string | null;
  editedAt: Date | null;
  claimedBy: string | null;
  claimedUntil: Date | null;
  problem: string | null;
  noticeAt: Date | null;
}

/** What the holder of the claim writes back. */
export interface StatusCanvasUpdate {
  channelId?: string;
  state?: StatusCanvasState;
  canvasId?: string | null;
  sectionIds?: Record<string, string>;
  contentHash?: string | null;
  editedAt?: Date | null;
  problem?: string | null;
}

type Row = Omit<StatusCanvasRecord, 'state' | 'sectionIds'> & { state: string; sectionIds: string };

function toRecord(row: Row): StatusCanvasRecord {
  let sectionIds: Record<string, string> = {};
  try {
    sectionIds = JSON.parse(row.sectionIds) as Record<string, string>;
  } catch {
    sectionIds = {};
  }
  return {
    workspaceId: row.workspaceId,
    channelId: row.channelId,
    state: (['none', 'ready', 'unavailable'] as const).find((s) => s === row.state) ?? 'none',
    canvasId: row.canvasId,
    sectionIds,
    contentHash: row.contentHash,
    editedAt: row.editedAt,
    claimedBy: row.claimedBy,
    claimedUntil: row.claimedUntil,
    problem: row.problem,
    noticeAt: row.noticeAt,
  };
}

/**
 * The one status canvas row per workspace. Work on the canvas is claimed with a conditional update
 * (one winner across replicas); the row's unique key is what keeps a second canvas from being made.
 */
export class StatusCanvasRepository {
  constructor(private readonly db: Db | Tx) {}

  async find(workspaceId: string): Promise<StatusCanvasRecord | null> {
    const row = await this.db.statusCanvas.findUnique({ where: { workspaceId } });
    return row ? toRecord(row) : null;
  }

  /** The row of the workspace, created (`none`, for `channelId`) when missing. */
  async ensure(workspaceId: string, channelId: string): Promise<StatusCanvasRecord> {
    const found = await this.find(workspaceId);
    if (found) return found;
    try {
      return toRecord(await this.db.statusCanvas.create({ data: { workspaceId, channelId } }));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.find(workspaceId))!;
    }
  }

  /**
   * Takes the claim when nobody holds it (or its holder's lease ran out) and the last edit is
   * older than `editedBefore`: true for the one winner.
   */
  async claim(workspaceId: string, holder: string, now: Date, until: Date, editedBefore: Date): Promise<boolean> {
    const { count } = await this.db.statusCanvas.updateMany({
      where: {
        workspaceId,
        AND: [{ OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] }, { OR: [{ editedAt: null }, { editedAt: { lte: editedBefore } }] }],
      },
      data: { claimedBy: holder, claimedUntil: until },
    });
    return count === 1;
  }

  /** Writes the holder's result and lets the claim go; false when the claim is no longer the holder's. */
  async release(workspaceId: string, holder: string, update: StatusCanvasUpdate = {}): Promise<boolean> {
    const { sectionIds, ...rest } = update;
    const { count } = await this.db.statusCanvas.updateMany({
      where: { workspaceId, claimedBy: holder },
      data: { ...rest, ...(sectionIds ? { sectionIds: JSON.stringify(sectionIds) } : {}), claimedBy: null, claimedUntil: null },
    });
    return count === 1;
  }

  /** Marks the admins told of `problem`: true for the one caller that marks it first. */
  async markNoticed(workspaceId: string, now: Date): Promise<boolean> {
    const { count } = await this.db.statusCanvas.updateMany({ where: { workspaceId, noticeAt: null }, data: { noticeAt: now } });
    return count === 1;
  }

  /** A canvas found unavailable is tried again (settings saved: the plan or the channel may have changed). */
  async reset(workspaceId: string): Promise<void> {
    await this.db.statusCanvas.updateMany({ where: { workspaceId, state: 'unavailable' }, data: { state: 'none', problem: null, noticeAt: null } });
  }
}
