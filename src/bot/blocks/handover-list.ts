/** `/channels handover @leaving [@successor]`: what the person holds, or what moved to whom. */
import type { KnownBlock } from '@slack/types';
import { networkLabel } from '../../rules/advice';
import type { Connection } from '../../domain';
import { count } from '../../words';
import { channelName, mention } from '../mrkdwn';

const MAX_LINES = 40;
/** A section's text holds 3000 characters: whole lines go into as many sections as they need. */
const SECTION_MAX = 2900;

export function buildHandoverList(leavingId: string, connections: readonly Connection[], successorId: string | null): KnownBlock[] {
  const role = (c: Connection) => (c.ownerId === leavingId ? 'owner' : 'backup');
  const held = count(connections.length, 'channel');
  const title = successorId
    ? `${mention(leavingId)}'s ${held} ${connections.length === 1 ? 'was' : 'were'} handed over to ${mention(successorId)}:`
    : `${mention(leavingId)} owns or backs up ${held}. To hand them all over, type \`/channels handover @leaving @successor\`.`;
  // Whole lines per section (channelName shortens a long name itself): nothing is cut by the section's limit.
  const lines = connections.slice(0, MAX_LINES).map((c) => `• ${channelName(c.name)} · ${networkLabel(c.network)} · ${role(c)}`);
  if (connections.length > MAX_LINES) lines.push(`and ${(connections.length - MAX_LINES).toLocaleString('en-US')} more`);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk.join('\n') } });
    chunk = [];
  };
  for (const line of lines) {
    if (chunk.join('\n').length + line.length + 1 > SECTION_MAX) flush();
    chunk.push(line);
  }
  flush();
  return blocks;
}
