/**
 * The evaluation cache behind cards and the pages of status and App Home (the lists pick their page
 * from the stored health, src/services/channel-lists.ts): channels judged as of now
 * by the same evaluation as the scheduled check (src/services/evaluation). Evaluation is CPU work
 * (about half a millisecond per channel), so it runs in slices that yield to the event loop (other
 * requests keep being acked within Slack's 3 s), and each channel's result is remembered until its
 * data, its owner's presence, the policy or the day change.
 */
import { yieldToEventLoop } from '../yield';
import { compareUrgency, summarizeConnection, type ConnectionSummary } from '../rules/health';
import type { Finding } from '../rules/finding';
import type { Connection, IsoDate, Workspace } from '../domain';
import type { ServiceDeps } from '../services/deps';
import { judge, loadWorkspaceRules } from '../services/evaluation';

/** What an evaluation needs: the services' store and clock, and the app's cache. */
export type EvaluationCacheDeps = ServiceDeps & { evaluations: EvaluationCache };

export interface ChannelEvaluation {
  connection: Connection;
  summary: ConnectionSummary;
  /** Why the stored data cannot be judged (a future date…); empty when fine. */
  problems: string[];
}

const SLICE = 200;
const MAX_CACHED_WORKSPACES = 50;

interface Cached {
  key: string;
  summary: ConnectionSummary;
  problems: string[];
}

/**
 * Per workspace, per connection id: each app makes its own (`new EvaluationCache()` in createApp).
 * A Map keeps insertion order, so the oldest workspace is evicted first.
 */
export class EvaluationCache {
  private readonly workspaces = new Map<string, Map<number, Cached>>();

  of(workspaceId: string): Map<number, Cached> {
    let entries = this.workspaces.get(workspaceId);
    if (entries) {
      this.workspaces.delete(workspaceId);
    } else {
      entries = new Map();
      if (this.workspaces.size >= MAX_CACHED_WORKSPACES) this.workspaces.delete(this.workspaces.keys().next().value!);
    }
    this.workspaces.set(workspaceId, entries);
    return entries;
  }
}

/** Everything a connection's findings depend on. */
function keyOf(c: Connection, today: IsoDate, ownerGone: boolean, policyKey: string): string {
  return `${today}|${policyKey}|${ownerGone}|${c.updatedAt.getTime()}|${c.backups.map((b) => b.userId).join(',')}|${c.ownerId}|${c.status}`;
}

/** Reports for the given connections, most urgent first. */
export async function evaluateChannels(deps: EvaluationCacheDeps, workspace: Workspace, connections: readonly Connection[]): Promise<ChannelEvaluation[]> {
  const rules = await loadWorkspaceRules(deps, workspace, deps.now());
  const { today, isOwnerGone } = rules;
  const policyKey = JSON.stringify(workspace.policyOverrides);
  const entries = deps.evaluations.of(workspace.id);
  const reports: ChannelEvaluation[] = [];
  const stale: Connection[] = [];
  for (const connection of connections) {
    const hit = entries.get(connection.id);
    if (hit && hit.key === keyOf(connection, today, isOwnerGone(connection), policyKey))
      reports.push({ connection, summary: hit.summary, problems: hit.problems });
    else stale.push(connection);
  }
  for (let i = 0; i < stale.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    const slice = stale.slice(i, i + SLICE);
    const { findings, problems } = judge(rules, slice);
    const byConnection = new Map<number, Finding[]>();
    for (const f of findings) byConnection.set(f.connectionId, [...(byConnection.get(f.connectionId) ?? []), f]);
    const problemsOf = new Map(problems.map((p) => [p.connectionId, p.reasons]));
    for (const connection of slice) {
      const report = {
        connection,
        summary: summarizeConnection(connection, byConnection.get(connection.id) ?? [], {
          today,
          policy: rules.policyFor(connection.network, connection.tool),
        }),
        problems: problemsOf.get(connection.id) ?? [],
      };
      entries.set(connection.id, { key: keyOf(connection, today, isOwnerGone(connection), policyKey), summary: report.summary, problems: report.problems });
      reports.push(report);
    }
  }
  return reports.sort((a, b) => compareUrgency(a.summary, b.summary));
}

export async function evaluateChannel(deps: EvaluationCacheDeps, workspace: Workspace, connection: Connection): Promise<ChannelEvaluation> {
  const [report] = await evaluateChannels(deps, workspace, [connection]);
  return report!;
}
