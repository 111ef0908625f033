/** The paged lists, `status` and `history`, each shared by its command and its "Next page" button. */
import { observationsFor } from '../services/sources';
import { sourceBadge } from './sources-page';
import type { KnownBlock } from '@slack/types';
import { isNetwork } from '../rules/policy';
import { networkLabel, toolLabel } from '../rules/advice';
import { listPage, type HealthFilter } from '../services/channel-lists';
import { historyOf } from '../services/workspace';
import { isTool, type Connection, type Health, type Workspace } from '../domain';
import type { BotDeps } from './deps';
import { buildHistoryPage, HISTORY_PAGE_SIZE } from './blocks/history-page';
import { buildStatusPage, STATUS_PAGE_SIZE } from './blocks/status-page';
import { evaluateChannels } from './evaluation-cache';
import { escapeMrkdwn, escapeText, truncate } from './mrkdwn';
import { isUserMention, parseUserMention } from './parse';
import { UsageError } from './answer-error';
import { count } from '../words';

const AT_RISK = ['at_risk', 'critical', 'disconnected'] as const;
export const STATUS_USAGE = '/channels status [at-risk | linkedin | hootsuite | @person | retired]';

export async function statusPage(deps: BotDeps, workspace: Workspace, rawFilter: string, page: number): Promise<{ text: string; blocks: KnownBlock[] }> {
  const filter = rawFilter.trim();
  const lower = filter.toLowerCase();
  // Retired channels only show when asked for.
  let where: HealthFilter = { retired: false };
  const tool = lower.replace(/[\s-]+/g, '_');
  let title = 'All channels, most urgent first';
  if (lower === 'at-risk' || lower === 'at_risk' || lower === 'atrisk') {
    where = { retired: false, healths: AT_RISK };
    title = 'Channels at risk or worse';
  } else if (isNetwork(lower)) {
    where = { network: lower };
    title = `${networkLabel(lower)} channels`;
  } else if (lower === 'retired') {
    where = { retired: true };
    title = 'Retired channels';
  } else if (isTool(tool)) {
    where = { retired: false, tool };
    title = tool === 'other' ? 'Channels held in another tool' : `Channels held in ${toolLabel(tool)}`;
  } else if (isUserMention(filter)) {
    const ownerId = parseUserMention(filter);
    where = { retired: false, ownerId };
    title = 'Channels owned by this person';
  } else if (filter !== '') {
    if (filter.startsWith('@')) parseUserMention(filter);
    throw new UsageError(`I cannot filter by “${escapeMrkdwn(truncate(filter, 80))}”. Try \`${STATUS_USAGE}\`.`);
  }
  // Only the page is read and judged; the counts come from the store.
  const { connections, counts } = await listPage(deps, workspace, where, { limit: STATUS_PAGE_SIZE, offset: page * STATUS_PAGE_SIZE });
  const reports = await evaluateChannels(deps, workspace, connections);
  const byHealth = new Map<Health, number>();
  for (const c of counts) byHealth.set(c.health, (byHealth.get(c.health) ?? 0) + c.count);
  const total = [...byHealth.values()].reduce((a, b) => a + b, 0);
  const observed = await observationsFor(
    deps,
    workspace.id,
    connections.map((c) => c.id),
  );
  const badges = new Map<number, string>();
  for (const c of connections) {
    const badge = sourceBadge(observed.get(c.id) ?? null, c);
    if (badge) badges.set(c.id, badge);
  }
  const blocks = buildStatusPage({ reports, total, byHealth, page, filter, title, badges });
  return { text: `${title}: ${count(total, 'channel')}`, blocks };
}

/** `connection` null: every event of the workspace, including roles, settings and outages. */
export async function historyPage(
  deps: BotDeps,
  workspaceId: string,
  connection: Connection | null,
  page: number,
): Promise<{ text: string; blocks: KnownBlock[] }> {
  const connectionId = connection?.id;
  const { events, total } = await historyOf(deps, workspaceId, { connectionId, limit: HISTORY_PAGE_SIZE, offset: page * HISTORY_PAGE_SIZE });
  const title = connection ? `History of ${connection.name}` : 'History of this workspace';
  return { text: escapeText(title), blocks: buildHistoryPage({ title, connectionId: connectionId ?? null }, events, page, total) };
}
