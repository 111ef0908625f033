/** One page of an audit trail (one channel's, or the whole workspace's), shared by the command and "Next page". */
import type { KnownBlock } from '@slack/types';
import type { Connection } from '../domain';
import type { BotDeps } from './deps';
import { buildHistoryPage, HISTORY_PAGE_SIZE } from './blocks/history-page';

/** `connection` null: every event of the workspace, including roles, settings and outages. */
export async function historyPage(deps: BotDeps, workspaceId: string, connection: Connection | null, page: number): Promise<{ text: string; blocks: KnownBlock[] }> {
  const connectionId = connection?.id;
  const [events, total] = await Promise.all([
    deps.store.audit.list(workspaceId, { connectionId, limit: HISTORY_PAGE_SIZE, offset: page * HISTORY_PAGE_SIZE }),
    deps.store.audit.count(workspaceId, connectionId),
  ]);
  const title = connection ? `History of ${connection.name}` : 'History of this workspace';
  return { text: title, blocks: buildHistoryPage({ title, connectionId: connectionId ?? null }, events, page, total) };
}
