/**
 * What the status canvas in the alert channel shows (docs/workflows.md): the channels' health
 * counts, what needs action by owner, the deadlines of the next 30 days and, where sources exist,
 * each source's last sync. A read anyone may see; the canvas itself is kept by src/outbox/status-canvas.ts.
 */
import { addDays } from '../rules/calendar';
import { summarizeConnection } from '../rules/health';
import type { Finding } from '../rules/finding';
import type { DeadlineKind } from '../rules/deadlines';
import { HEALTHS, SOURCE_NAMES, type Connection, type Health, type IsoDate, type Network, type Workspace } from '../domain';
import type { ServiceDeps } from './deps';
import { judgeStale } from './channel-lists';
import { deadlinesOf, judge } from './evaluation';

/** The deadlines the canvas lists: this many days ahead. */
export const DEADLINE_DAYS = 30;
/** At most this many channels in "needs action" and this many deadlines: a canvas is read, not scrolled. */
const ACTION_LIMIT = 200;
const DEADLINE_LIMIT = 100;

/**
 * One source of channels (a management tool's account the team syncs from) and when it last
 * synced. Sources are another module's: until one is wired in through `StatusSources`, the canvas
 * has no sources part.
 */
export interface SourceSync {
  name: string;
  lastSyncAt: Date | null;
  /** Why the last sync failed, if it did. */
  problem?: string | null;
}

/** The seam for sources: each source of a workspace with its last sync. */
export type StatusSources = (workspaceId: string) => Promise<SourceSync[]>;

/** The workspace's sources as stored (docs/sources.md): each with its last sync, and why it failed. */
export function storedSources(deps: Pick<ServiceDeps, 'store'>): StatusSources {
  return async (workspaceId) =>
    (await deps.store.sources().list(workspaceId)).map((source) => ({
      name: SOURCE_NAMES[source.kind],
      lastSyncAt: source.lastSyncAt,
      problem: source.needsCredential ? 'needs a new credential' : source.lastSyncOk === false ? source.lastError : null,
    }));
}

export interface ActionItem {
  name: string;
  network: Network;
  health: Health;
  /** What to do first (the most urgent finding's advice). */
  nextStep: string | null;
  /** Since when something is overdue, or null. */
  overdueSince: IsoDate | null;
}

export interface OwnerActions {
  /** Null: nobody owns these channels. */
  ownerId: string | null;
  items: ActionItem[];
}

export interface DeadlineItem {
  date: IsoDate;
  name: string;
  network: Network;
  kind: DeadlineKind;
  ownerId: string | null;
}

export interface StatusSnapshot {
  workspaceName: string | null;
  today: IsoDate;
  /** Channels in use by health (retired ones left out). */
  counts: Record<Health, number>;
  total: number;
  /** Owners with the channels that need action, the owner with the worst first. */
  needsAction: OwnerActions[];
  /** Channels needing action beyond those listed. */
  moreActions: number;
  deadlines: DeadlineItem[];
  moreDeadlines: number;
  /** Null: the workspace has no sources. */
  sources: SourceSync[] | null;
}

const ACTION_HEALTHS = HEALTHS.filter((h) => h !== 'ok');

/** The status of a workspace as of now. */
export async function statusSnapshot(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'judging'>,
  workspace: Workspace,
  sources: StatusSources = async () => [],
): Promise<StatusSnapshot> {
  const rules = await judgeStale(deps, workspace);
  const inUse = { retired: false } as const;
  const soonBy = addDays(rules.today, DEADLINE_DAYS);
  const [counted, actionIds, soonIds, syncs] = await Promise.all([
    deps.store.health.counts(workspace.id, inUse, null, null),
    deps.store.health.page(workspace.id, { ...inUse, healths: ACTION_HEALTHS }, ACTION_LIMIT, 0),
    deps.store.health.page(workspace.id, { ...inUse, overdue: false, soonBy }, DEADLINE_LIMIT, 0),
    sources(workspace.id),
  ]);
  const counts = Object.fromEntries(HEALTHS.map((h) => [h, 0])) as Record<Health, number>;
  for (const c of counted) counts[c.health] += c.count;
  const total = HEALTHS.reduce((sum, h) => sum + counts[h], 0);
  const ids = [...new Set([...actionIds, ...soonIds])];
  const connections = ids.length ? await deps.store.connections.list(workspace.id, { ids }) : [];
  const byId = new Map(connections.map((c) => [c.id, c]));
  const { findings } = judge(rules, connections);
  const findingsOf = new Map<number, Finding[]>();
  for (const f of findings) findingsOf.set(f.connectionId, [...(findingsOf.get(f.connectionId) ?? []), f]);

  const owners = new Map<string | null, ActionItem[]>();
  for (const id of actionIds) {
    const c = byId.get(id);
    if (!c) continue;
    const summary = summarizeConnection(c, findingsOf.get(c.id) ?? [], { today: rules.today, policy: rules.policyFor(c.network, c.tool) });
    const item = { name: c.name, network: c.network, health: summary.health, nextStep: summary.nextStep, overdueSince: summary.overdue?.since ?? null };
    owners.set(c.ownerId, [...(owners.get(c.ownerId) ?? []), item]);
  }
  const actionTotal = ACTION_HEALTHS.reduce((sum, h) => sum + counts[h], 0);

  const all = deadlinesOf(rules, connections).filter((d) => d.date <= soonBy);
  const deadlines = all.slice(0, DEADLINE_LIMIT).map((d) => {
    const c = byId.get(d.connectionId) as Connection;
    return { date: d.date, name: c.name, network: c.network, kind: d.kind, ownerId: c.ownerId };
  });
  return {
    workspaceName: workspace.name,
    today: rules.today,
    counts,
    total,
    // The pages come most urgent first, so the first owner seen is the one with the worst channel.
    needsAction: [...owners].map(([ownerId, items]) => ({ ownerId, items })),
    moreActions: Math.max(0, actionTotal - actionIds.length),
    deadlines,
    moreDeadlines: Math.max(0, all.length - deadlines.length),
    sources: syncs.length ? syncs : null,
  };
}

/** The admins a note about the canvas goes to (the active ones). */
export async function activeAdmins(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<string[]> {
  return (await deps.store.members.list(workspaceId, { role: 'admin', active: true })).map((m) => m.userId);
}

/** The team leaders (the active ones): who gets a leaving person's channels when no successor is named. */
export async function activeTeamLeaders(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<string[]> {
  return (await deps.store.members.list(workspaceId, { role: 'team_leader', active: true })).map((m) => m.userId);
}
