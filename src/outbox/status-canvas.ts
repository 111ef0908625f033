/**
 * The status canvas of each workspace's alert channel (docs/workflows.md): made once, or the
 * channel's canvas found again and used; rewritten when the status changed, at most once a minute
 * per workspace; never made twice, across restarts and replicas. The one `StatusCanvas` row per
 * workspace holds the canvas id and its section ids, and work on it is claimed with a conditional
 * update (one replica at a time, like the outbox's claims). Slack is behind `CanvasPort`.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger';
import type { JudgingQueue } from '../services/judging';
import { activeAdmins, statusSnapshot, type StatusSnapshot, type StatusSources } from '../services/status-canvas';
import type { Store } from '../store/store';
import type { StatusCanvasRecord, StatusCanvasUpdate } from '../store/status-canvas-repository';

export const STATUS_CANVAS_TITLE = 'Channel Keeper status';

/** What a canvas call came to: `exists` (the channel has a canvas already), `gone` (ours was deleted), `unavailable` (the plan or channel cannot have one). */
export type CanvasResult<T> = ({ ok: true } & T) | { ok: false; outcome: 'exists' | 'gone' | 'unavailable' | 'retry'; code: string };

/** What the keeper needs of Slack, in domain words; the adapter (src/bot/delivery/canvas-port.ts) words the canvas. */
export interface CanvasPort {
  /** Makes the channel's canvas with the status (conversations.canvases.create). */
  create(channelId: string, title: string, status: StatusSnapshot): Promise<CanvasResult<{ canvasId: string }>>;
  /** The channel's canvas, made by anyone (conversations.info), or null. */
  channelCanvas(channelId: string): Promise<CanvasResult<{ canvasId: string | null }>>;
  /** The canvas's headings the status writes, by part, when the canvas carries our title (canvases.sections.lookup); empty otherwise. */
  sections(canvasId: string): Promise<CanvasResult<{ sectionIds: Record<string, string> }>>;
  /** Rewrites the canvas with the status (canvases.edit). */
  edit(canvasId: string, status: StatusSnapshot): Promise<CanvasResult<object>>;
  /** The admins' one note that the workspace cannot have the canvas, and why (`code`). */
  tellAdmins(adminIds: readonly string[], note: { code: string; channelId: string }): Promise<void>;
}

export interface CanvasPorts {
  forWorkspace(workspaceId: string): CanvasPort;
}

export type CanvasOutcome =
  | { outcome: 'created' | 'adopted' | 'edited' | 'unchanged' }
  /** Off by the setting, no alert channel, an uninstalled workspace, or Slack not configured. */
  | { outcome: 'off' }
  | { outcome: 'unavailable'; code: string }
  /** Another replica holds the claim, or the last edit is less than a minute old: try again at `at`. */
  | { outcome: 'later'; at: Date }
  | { outcome: 'retry'; code: string };

export interface StatusCanvasOptions {
  store: Store;
  ports: CanvasPorts;
  logger: Logger;
  now: () => Date;
  /** This replica's name in the claims. */
  holder: string;
  /** SLACK_ALERT_CHANNEL, for workspaces that chose none. */
  alertChannelFallback: string | null;
  /** Sources and their last sync, when that module is wired in. */
  sources?: StatusSources;
  /** The bot's queue of list judgings: the canvas waits for a judging in flight rather than run its own beside it. */
  judging?: JudgingQueue;
  /** The least time between two edits of a workspace's canvas (default a minute). */
  editIntervalMs?: number;
  /** How long after a change the canvas is looked at (changes arriving together make one edit). */
  settleMs?: number;
}

const EDIT_INTERVAL_MS = 60_000;
/** The claim's lease: a replica killed mid-edit frees the canvas after it. */
const LEASE_MS = 60_000;
const SETTLE_MS = 5_000;
/** A Slack failure is tried again after this long (a change meanwhile tries sooner). */
const RETRY_MS = 5 * 60_000;

export class StatusCanvasKeeper {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<CanvasOutcome>>();
  /** Workspaces touched while their refresh ran: looked at again after it. */
  private readonly touchedAgain = new Set<string>();
  private stopped = false;

  constructor(private readonly options: StatusCanvasOptions) {}

  /** The workspace's state may have changed: its canvas is looked at soon (once for many touches). */
  touch(workspaceId: string, delayMs = this.options.settleMs ?? SETTLE_MS): void {
    if (this.stopped) return;
    if (this.running.has(workspaceId)) {
      this.touchedAgain.add(workspaceId);
      return;
    }
    if (this.timers.has(workspaceId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(workspaceId);
      void this.refresh(workspaceId);
    }, delayMs);
    timer.unref();
    this.timers.set(workspaceId, timer);
  }

  /** Looks at the canvas now; a later try is scheduled when it must wait. */
  refresh(workspaceId: string): Promise<CanvasOutcome> {
    const inFlight = this.running.get(workspaceId);
    if (inFlight) return inFlight;
    const work = this.keep(workspaceId)
      .catch((error: unknown): CanvasOutcome => {
        this.options.logger.warn({ workspace: workspaceId, err: (error as Error).message }, 'status canvas not updated');
        return { outcome: 'retry', code: 'error' };
      })
      .then((result) => {
        this.running.delete(workspaceId);
        const now = this.options.now().getTime();
        if (this.touchedAgain.delete(workspaceId)) this.touch(workspaceId);
        else if (result.outcome === 'later') this.touch(workspaceId, Math.max(0, result.at.getTime() - now));
        else if (result.outcome === 'retry') this.touch(workspaceId, RETRY_MS);
        return result;
      });
    this.running.set(workspaceId, work);
    return work;
  }

  /** No more timers; a refresh in flight finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private async keep(workspaceId: string): Promise<CanvasOutcome> {
    const { store, now, holder } = this.options;
    const workspace = await store.workspaces.findById(workspaceId);
    if (!workspace || workspace.uninstalledAt || !workspace.statusCanvas) return { outcome: 'off' };
    const channelId = workspace.alertChannel ?? this.options.alertChannelFallback;
    if (!channelId) return { outcome: 'off' };
    const row = await store.statusCanvases.ensure(workspaceId, channelId);
    if (row.state === 'unavailable' && row.channelId === channelId) return { outcome: 'unavailable', code: row.problem ?? 'unavailable' };
    const editInterval = this.options.editIntervalMs ?? EDIT_INTERVAL_MS;
    const at = now();
    if (!(await store.statusCanvases.claim(workspaceId, holder, at, new Date(at.getTime() + LEASE_MS), new Date(at.getTime() - editInterval)))) {
      return { outcome: 'later', at: await this.nextTry(workspaceId, editInterval) };
    }
    let result: { outcome: CanvasOutcome; update: StatusCanvasUpdate } = { outcome: { outcome: 'retry', code: 'error' }, update: {} };
    try {
      const status = await statusSnapshot({ store, now, judging: this.options.judging }, workspace, this.options.sources);
      result = await this.write(workspaceId, row, channelId, status);
    } finally {
      await store.statusCanvases.release(workspaceId, holder, result.update);
    }
    if (result.outcome.outcome === 'unavailable') await this.tellAdminsOnce(workspaceId, channelId, result.outcome.code);
    return result.outcome;
  }

  /** Under the claim: edits our canvas, or makes it (or finds the channel's), and says what to store. */
  private async write(
    workspaceId: string,
    row: StatusCanvasRecord,
    channelId: string,
    status: StatusSnapshot,
  ): Promise<{ outcome: CanvasOutcome; update: StatusCanvasUpdate }> {
    const port = this.options.ports.forWorkspace(workspaceId);
    const contentHash = hashOf(status);
    const edited = (): StatusCanvasUpdate => ({ contentHash, editedAt: this.options.now() });
    const sameChannel = row.channelId === channelId;
    if (row.state === 'ready' && row.canvasId && sameChannel) {
      if (row.contentHash === contentHash) return { outcome: { outcome: 'unchanged' }, update: {} };
      const result = await port.edit(row.canvasId, status);
      if (result.ok) return { outcome: { outcome: 'edited' }, update: edited() };
      if (result.outcome !== 'gone') return this.failed(result, channelId);
      // Someone deleted it: the channel gets a new one.
    }
    const made = await port.create(channelId, STATUS_CANVAS_TITLE, status);
    if (made.ok) {
      const found = await port.sections(made.canvasId);
      const sectionIds = found.ok ? found.sectionIds : {};
      return { outcome: { outcome: 'created' }, update: { state: 'ready', channelId, canvasId: made.canvasId, sectionIds, problem: null, ...edited() } };
    }
    if (made.outcome !== 'exists') return this.failed(made, channelId);
    // The channel has a canvas: ours when its title heading is there (a create whose answer was
    // lost, by this replica or another); a canvas the team wrote is theirs and never overwritten.
    const existing = await port.channelCanvas(channelId);
    if (!existing.ok) return this.failed(existing, channelId);
    if (!existing.canvasId) return { outcome: { outcome: 'retry', code: 'canvas_not_found' }, update: {} };
    const found = await port.sections(existing.canvasId);
    if (!found.ok) return this.failed(found, channelId);
    if (!found.sectionIds.title) return this.failed({ outcome: 'unavailable', code: 'channel_canvas_not_ours' }, channelId);
    const rewritten = await port.edit(existing.canvasId, status);
    if (!rewritten.ok) return this.failed(rewritten, channelId);
    const update = { state: 'ready', channelId, canvasId: existing.canvasId, sectionIds: found.sectionIds, problem: null, ...edited() } as const;
    return { outcome: { outcome: 'adopted' }, update };
  }

  private failed(result: { outcome: 'exists' | 'gone' | 'unavailable' | 'retry'; code: string }, channelId: string) {
    if (result.outcome === 'unavailable') {
      return { outcome: { outcome: 'unavailable', code: result.code } as const, update: { state: 'unavailable', channelId, problem: result.code } as const };
    }
    return { outcome: { outcome: 'retry', code: result.code } as const, update: {} };
  }

  /** When the canvas may be looked at again: the claim's end, or a minute after the last edit. */
  private async nextTry(workspaceId: string, editInterval: number): Promise<Date> {
    const row = await this.options.store.statusCanvases.find(workspaceId);
    const times = [row?.claimedUntil?.getTime() ?? 0, (row?.editedAt?.getTime() ?? 0) + editInterval, this.options.now().getTime()];
    return new Date(Math.max(...times));
  }

  private async tellAdminsOnce(workspaceId: string, channelId: string, code: string): Promise<void> {
    const { store, now } = this.options;
    if (!(await store.statusCanvases.markNoticed(workspaceId, now()))) return;
    const admins = await activeAdmins({ store }, workspaceId);
    if (!admins.length) return;
    await this.options.ports
      .forWorkspace(workspaceId)
      .tellAdmins(admins, { code, channelId })
      .catch((error: Error) =>
        this.options.logger.warn({ workspace: workspaceId, err: error.message }, 'could not tell admins the status canvas is unavailable'),
      );
    this.options.logger.info({ workspace: workspaceId, code }, 'status canvas unavailable; admins told');
  }
}

function hashOf(status: StatusSnapshot): string {
  return createHash('sha256').update(JSON.stringify(status)).digest('hex');
}
