/**
 * "Evaluate a workspace now", in one place: its connections, whose owners are gone (inactive
 * members), the policy of each network as held in each tool (the workspace's overrides on top),
 * and its outages, assembled into the pure rules' findings. The check run, the evaluation cache
 * behind status, cards and App Home, the weekly report, the calendar and `channel-keeper workspaces`
 * all judge through here, so a channel has one health whoever asks.
 */
import { evaluateAll, type ConnectionProblem } from '../rules/evaluate';
import { outageHold, type OutageHold } from '../rules/outage';
import { resolvePolicy } from '../rules/policy';
import { todayIn } from '../rules/calendar';
import { upcomingDeadlines, type Deadline } from '../rules/deadlines';
import type { Finding } from '../rules/finding';
import type { Connection, IsoDate, Network, NetworkPolicy, Tool, Workspace } from '../domain';
import type { ServiceDeps } from './deps';
import { TimeSlice } from '../yield';

/** Connections judged between two looks at the clock while a whole workspace is judged. */
const JUDGED_PER_CHECK = 1_000;

/** How one workspace is judged today: everything a connection's findings depend on besides its own data. */
export interface WorkspaceRules {
  workspace: Workspace;
  /** The workspace's local date the rules are evaluated for. */
  today: IsoDate;
  /** The policy of a network held in a tool (`null`: none recorded), resolved once per pair. */
  policyFor: (network: Network, tool: Tool | null) => NetworkPolicy;
  /** No owner recorded, or the owner's Slack account is inactive. */
  isOwnerGone: (connection: Pick<Connection, 'ownerId'>) => boolean;
}

/** A workspace's connections judged: every finding that holds today, and what could not be judged. */
export interface WorkspaceEvaluation extends WorkspaceRules {
  connections: Connection[];
  /** The connections by id. */
  byId: ReadonlyMap<number, Connection>;
  /** Every finding that holds today, including those an outage holds back from the outbox. */
  findings: Finding[];
  problems: ConnectionProblem[];
  /** The networks marked as disrupted, and which findings and warnings that holds back. */
  hold: OutageHold;
}

/** The rules of a workspace as of `now`, given the ids of its inactive members (pure). */
export function workspaceRules(workspace: Workspace, now: Date, inactiveUserIds: ReadonlySet<string>): WorkspaceRules {
  // One policy per network and tool per evaluation: resolving it per connection is wasted work on big workspaces.
  const policies = new Map<string, NetworkPolicy>();
  return {
    workspace,
    today: todayIn(now, workspace.timeZone),
    policyFor(network, tool) {
      const key = tool === null ? network : `${network}:${tool}`;
      let policy = policies.get(key);
      if (!policy) {
        policy = resolvePolicy(network, workspace.policyOverrides, tool);
        policies.set(key, policy);
      }
      return policy;
    },
    isOwnerGone: (c) => c.ownerId === null || inactiveUserIds.has(c.ownerId),
  };
}

/** The rules of a workspace as of `at`: one read of its inactive members. */
export async function loadWorkspaceRules({ store }: Pick<ServiceDeps, 'store'>, workspace: Workspace, at: Date): Promise<WorkspaceRules> {
  return workspaceRules(workspace, at, await store.members.inactiveUserIds(workspace.id));
}

/** Judges the given connections (any subset of the workspace's) by the workspace's rules (pure). */
export function judge(rules: WorkspaceRules, connections: readonly Connection[]): { findings: Finding[]; problems: ConnectionProblem[] } {
  return evaluateAll(connections, { today: rules.today, policyFor: rules.policyFor, isOwnerGone: rules.isOwnerGone });
}

/**
 * Judges the connections in slices, letting the event loop in between (`TimeSlice`): tens of
 * thousands of channels judged in one go would hold back Slack's requests. Same findings, same order.
 */
async function judgeInSlices(rules: WorkspaceRules, connections: readonly Connection[]): Promise<ReturnType<typeof judge>> {
  const findings: Finding[] = [];
  const problems: ConnectionProblem[] = [];
  const slice = new TimeSlice();
  for (let start = 0; start < connections.length; start += JUDGED_PER_CHECK) {
    await slice.pause();
    const judged = judge(rules, connections.slice(start, start + JUDGED_PER_CHECK));
    for (const finding of judged.findings) findings.push(finding);
    for (const problem of judged.problems) problems.push(problem);
  }
  return { findings, problems };
}

/**
 * Every connection of a workspace (archived ones left out) judged as of `at`, in two bulk reads
 * (connections and inactive members) whatever the number of channels.
 */
export async function evaluateWorkspace({ store }: Pick<ServiceDeps, 'store'>, workspace: Workspace, at: Date): Promise<WorkspaceEvaluation> {
  const [connections, inactive] = await Promise.all([store.connections.list(workspace.id), store.members.inactiveUserIds(workspace.id)]);
  const rules = workspaceRules(workspace, at, inactive);
  const { findings, problems } = await judgeInSlices(rules, connections);
  const byId = new Map(connections.map((c) => [c.id, c]));
  return { ...rules, connections, byId, findings, problems, hold: outageHold(workspace, byId) };
}

/** The deadlines ahead of the given connections, by the workspace's policies (pure). */
export function deadlinesOf(rules: Pick<WorkspaceRules, 'today' | 'policyFor'>, connections: readonly Connection[]): Deadline[] {
  return upcomingDeadlines(connections, { today: rules.today, policyFor: (c) => rules.policyFor(c.network, c.tool) });
}
