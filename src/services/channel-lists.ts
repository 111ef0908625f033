/**
 * The lists behind `/channels status` and App Home at any size: each channel's health is judged by
 * the same evaluation as the check (src/services/evaluation) and kept in the store, judged again
 * only when what it depends on changed (the day, the policy, the owner's presence, the backups or
 * the channel itself). A page is then one ORDER BY … LIMIT and the counts one grouped query, so a
 * request reads a page of channels, not the workspace.
 */
import { yieldToEventLoop } from '../yield';
import { createHash } from 'node:crypto';
import { summarizeConnection, type ConnectionSummary } from '../rules/health';
import { severityRank, type Finding } from '../rules/finding';
import { addDays } from '../rules/calendar';
import type { Connection, Workspace } from '../domain';
import { NO_DATE, type HealthCount, type HealthFilter, type HealthRecord } from '../store/health-repository';
import type { ServiceDeps } from './deps';
import { judge, loadWorkspaceRules, type WorkspaceRules } from './evaluation';

export type { HealthCount, HealthFilter } from '../store/health-repository';

/** Connections judged per slice: the event loop gets a turn between slices. */
const SLICE = 1000;

/** One page of a list, most urgent first, and the counts of the whole list. */
export interface ListPage {
  rules: WorkspaceRules;
  connections: Connection[];
  counts: HealthCount[];
}

/** A page of the workspace's channels that `filter` picks, most urgent first, with the counts by health and tool. */
export async function listPage(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'judging'>,
  workspace: Workspace,
  filter: HealthFilter,
  page: { limit: number; offset: number },
): Promise<ListPage> {
  const rules = await judgeStale(deps, workspace);
  const [ids, counts] = await Promise.all([
    deps.store.health.page(workspace.id, filter, page.limit, page.offset),
    deps.store.health.counts(workspace.id, filter, null, null),
  ]);
  return { rules, connections: await inOrder(deps, workspace.id, ids), counts };
}

/** App Home's lists: the first `limit` overdue, due within `days`, and the person's, with the counts of the channels in use. */
export interface HomeLists {
  rules: WorkspaceRules;
  counts: HealthCount[];
  overdue: Connection[];
  soon: Connection[];
  mine: Connection[];
}

export async function homeLists(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'judging'>,
  workspace: Workspace,
  userId: string,
  days: number,
  limit: number,
): Promise<HomeLists> {
  const rules = await judgeStale(deps, workspace);
  const soonBy = addDays(rules.today, days);
  const inUse = { retired: false } as const;
  const first = async (filter: HealthFilter) => inOrder(deps, workspace.id, await deps.store.health.page(workspace.id, { ...inUse, ...filter }, limit, 0));
  const [counts, overdue, soon, mine] = await Promise.all([
    deps.store.health.counts(workspace.id, inUse, soonBy, userId),
    first({ overdue: true }),
    first({ overdue: false, soonBy }),
    first({ involving: userId }),
  ]);
  return { rules, counts, overdue, soon, mine };
}

async function inOrder(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, ids: number[]): Promise<Connection[]> {
  if (!ids.length) return [];
  const byId = new Map((await deps.store.connections.list(workspaceId, { ids })).map((c) => [c.id, c]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Judges the channels whose stored health is stale, a slice at a time; returns the rules of today. */
export function judgeStale(deps: Pick<ServiceDeps, 'store' | 'now' | 'judging'>, workspace: Workspace): Promise<WorkspaceRules> {
  return deps.judging ? deps.judging.run(workspace.id, () => judgeStaleNow(deps, workspace)) : judgeStaleNow(deps, workspace);
}

async function judgeStaleNow(deps: Pick<ServiceDeps, 'store' | 'now'>, workspace: Workspace): Promise<WorkspaceRules> {
  const rules = await loadWorkspaceRules(deps, workspace, deps.now());
  const policyKey = createHash('sha256')
    .update(JSON.stringify(workspace.policyOverrides ?? null))
    .digest('hex');
  const stale = await deps.store.health.staleIds(workspace.id, rules.today, policyKey);
  for (let i = 0; i < stale.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    const connections = await deps.store.connections.list(workspace.id, { ids: stale.slice(i, i + SLICE) });
    const { findings } = judge(rules, connections);
    const byConnection = new Map<number, Finding[]>();
    for (const f of findings) byConnection.set(f.connectionId, [...(byConnection.get(f.connectionId) ?? []), f]);
    const records = connections.map((c) => {
      const summary = summarizeConnection(c, byConnection.get(c.id) ?? [], { today: rules.today, policy: rules.policyFor(c.network, c.tool) });
      return recordOf(c, summary, rules, policyKey);
    });
    await deps.store.health.save(records);
  }
  return rules;
}

function recordOf(c: Connection, summary: ConnectionSummary, rules: WorkspaceRules, policyKey: string): HealthRecord {
  const dates = [summary.nextDeadline?.date, ...summary.findings.map((f) => f.dueAt)].filter((d): d is string => d !== undefined);
  return {
    connectionId: c.id,
    workspaceId: c.workspaceId,
    day: rules.today,
    policyKey,
    ownerGone: rules.isOwnerGone(c),
    backupCount: c.backups.length,
    judgedUpdate: c.updatedAt,
    worse: -severityRank(summary.health),
    health: summary.health,
    urgentDate: summary.overdue?.since ?? summary.nextDeadline?.date ?? NO_DATE,
    name: c.name,
    overdue: summary.overdue !== null,
    soonest: summary.overdue === null && dates.length ? dates.reduce((a, b) => (b < a ? b : a)) : null,
  };
}

/**
 * Judges the workspace's stale channels ahead of the first list of the day (serve calls it after
 * the scheduled check), so that `/channels status` and App Home then read stored health only.
 */
export async function warmChannelLists(deps: Pick<ServiceDeps, 'store' | 'now' | 'judging'>, workspaceId: string): Promise<void> {
  const workspace = await deps.store.workspaces.findById(workspaceId);
  if (workspace) await judgeStale(deps, workspace);
}
