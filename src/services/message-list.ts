/**
 * The full list of a message the bot posted about many warnings (a digest, a DM): every warning it
 * carries, worst first, a page at a time, with the true totals. Everyone may view; only a message
 * stored for the asker's workspace is read.
 */
import { SEVERITIES, type Connection, type Severity, type Warning } from '../domain';
import { severityRank } from '../rules/finding';
import type { ServiceDeps } from './deps';

export interface MessageListPage {
  kind: string;
  /** The person a DM went to. */
  recipient: string | null;
  /** When the message was posted: its items are worded as of that day. */
  postedAt: Date;
  total: number;
  bySeverity: Partial<Record<Severity, number>>;
  settled: number;
  /** This page's warnings with their connections (a warning whose connection is gone is left out). */
  rows: { warning: Warning; connection: Connection }[];
}

const WORST_FIRST = [...SEVERITIES].sort((a, b) => severityRank(b) - severityRank(a));

/** One page (`offset`, `limit`) of the warnings of the message at `channel`/`ts`; null: not one of this workspace's. */
export async function messageListPage(
  deps: Pick<ServiceDeps, 'store'>,
  workspaceId: string,
  at: { channel: string; ts: string },
  offset: number,
  limit: number,
): Promise<MessageListPage | null> {
  const { store } = deps;
  const message = await store.postedMessages.findMessageHeader(at.channel, at.ts);
  if (!message || message.workspaceId !== workspaceId) return null;
  const counts = await store.postedMessages.countMessageWarnings(message.id);
  const bySeverity: Partial<Record<Severity, number>> = {};
  for (const severity of WORST_FIRST) if (counts.get(severity)) bySeverity[severity] = counts.get(severity);
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  // Worst first, then the earliest due: the page is read severity by severity from the offset on.
  const warnings: Warning[] = [];
  let skip = offset;
  for (const severity of WORST_FIRST) {
    const n = counts.get(severity) ?? 0;
    if (warnings.length >= limit) break;
    if (skip >= n) {
      skip -= n;
      continue;
    }
    warnings.push(...(await store.postedMessages.listMessageWarnings(message.id, severity, skip, limit - warnings.length)));
    skip = 0;
  }
  const connections = new Map<number, Connection | null>();
  const rows: MessageListPage['rows'] = [];
  for (const warning of warnings) {
    if (!connections.has(warning.connectionId)) connections.set(warning.connectionId, await store.connections.findById(workspaceId, warning.connectionId));
    const connection = connections.get(warning.connectionId);
    if (connection) rows.push({ warning, connection });
  }
  const settled = await store.postedMessages.countSettledWarnings(message.id);
  return { kind: message.kind, recipient: message.recipient, postedAt: message.createdAt, total, bySeverity, settled, rows };
}
