/** `/channels handover @leaving [@successor]`: what the person holds, or what moved to whom. */
import type { KnownBlock } from '@slack/types';
import { networkLabel } from '../../rules/advice';
import type { Connection } from '../../domain';
import { channelName, mention, truncate } from '../mrkdwn';

const MAX_LINES = 40;

export function buildHandoverList(leavingId: string, connections: readonly Connection[], successorId: string | null): KnownBlock[] {
  const role = (c: Connection) => (c.ownerId === leavingId ? 'owner' : 'backup');
  const title = successorId
    ? `${mention(leavingId)}'s ${connections.length} channel(s) were handed over to ${mention(successorId)}:`
    : `${mention(leavingId)} owns or backs up ${connections.length} channel(s). To hand them all over, type \`/channels handover @leaving @successor\`.`;
  const lines = connections.slice(0, MAX_LINES).map((c) => `• ${channelName(c.name)} · ${networkLabel(c.network)} · ${role(c)}`);
  if (connections.length > MAX_LINES) lines.push(`…and ${connections.length - MAX_LINES} more`);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  for (let i = 0; i < lines.length; i += 20)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.slice(i, i + 20).join('\n'), 3000) } });
  return blocks;
}
