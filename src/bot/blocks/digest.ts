/**
 * Many warnings for one channel in one run become one digest message instead of a flood: worst
 * first, one section per warning with an overflow menu of its actions, within Slack's 50-block
 * limit; what does not fit is counted and pointed to `/channels status at-risk`. Once someone acts on
 * an item, the listener replaces that item's menu with a note (src/bot/acted-message.ts).
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { SEVERITIES, type Severity } from '../../domain';
import { networkLabel } from '../../rules/advice';
import { literal, mention, truncate } from '../mrkdwn';
import { itemActions, itemMenu } from './warning-actions';
import { LIMITS, SEVERITY_EMOJI, SEVERITY_LABEL, escapeAndTruncate } from './warning-format';
import type { SlackMessage } from './warning-message';
import { mergeByAction } from '../../outbox/merge-items';
import { compareItems, type WarningItem } from '../../outbox/warning-item';

export const MORE_HINT = '`/channels status at-risk`';
/** Header and summary come first; one block is kept for the "and N more" line. */
const FIXED_BLOCKS = 2;

/** How many items a digest shows; the rest are counted in its last line. */
function digestCapacity(total: number): number {
  const room = LIMITS.blocks - FIXED_BLOCKS;
  return total <= room ? total : room - 1;
}

function summary(items: readonly WarningItem[]): string {
  const counts = new Map<Severity, number>();
  for (const item of items) counts.set(item.finding.severity, (counts.get(item.finding.severity) ?? 0) + 1);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts.has(s))
    .map((s) => `${SEVERITY_EMOJI[s]} ${counts.get(s)} ${SEVERITY_LABEL[s].toLowerCase()}`)
    .join(' · ');
}

function itemBlock(item: WarningItem, index: number): SectionBlock {
  const { connection, finding, warning } = item;
  const owner = connection.ownerId ? mention(connection.ownerId) : 'no owner';
  const name = escapeAndTruncate(`${networkLabel(connection.network)} “${literal(connection.name)}”`, 300);
  const text = `${SEVERITY_EMOJI[finding.severity]} *${name}* · due ${finding.dueAt} · ${owner}\n${escapeAndTruncate(literal(finding.message), 2000)}`;
  const section: SectionBlock = {
    type: 'section',
    // Unique within the message; the warning id lets a listener find the item it re-renders.
    block_id: `ck_item_${warning?.id ?? `n${index}`}`,
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
    accessory: itemMenu(itemActions(item)),
  };
  return section;
}

export function buildDigest(items: readonly WarningItem[]): SlackMessage {
  const sorted = mergeByAction(items).sort(compareItems);
  const shown = sorted.slice(0, digestCapacity(sorted.length));
  const more = sorted.length - shown.length;
  const heading = sorted.length === 1 ? '1 channel warning' : `${sorted.length} channel warnings`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`⚠️ ${heading}`, LIMITS.headerText), emoji: true } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: summary(sorted) }] },
    ...shown.map(itemBlock),
  ];
  if (more > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${more} more: ${MORE_HINT}` }] });
  const text = truncate(`${heading}: ${summary(sorted)}`, LIMITS.fallbackText);
  return { text, blocks };
}
