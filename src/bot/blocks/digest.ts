/**
 * Many warnings for one alert channel in one run become one message instead of a flood: a header
 * with the true total, the totals by severity, the most urgent warnings (worst first, one section
 * each with an overflow menu of its actions) within Slack's 50-block limit, and "and N more" with a
 * button that opens the full list (src/bot/blocks/full-list.ts). Once someone acts on an item, the
 * listener replaces that item's menu with a note (src/bot/acted-message.ts).
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { count } from '../../words';
import { mention, truncate } from '../mrkdwn';
import { summarize, type MessageSummary } from '../../outbox/message-summary';
import { summaryLine, totalsBlock } from './full-list';
import { itemActions, itemMenu } from './warning-actions';
import { LIMITS, itemLine } from './warning-format';
import type { SlackMessage } from './warning-message';
import { mergeByAction, warningsIn } from '../../outbox/merge-items';
import { compareItems, type WarningItem } from '../../outbox/warning-item';

/** The header and the totals come first. */
const FIXED_BLOCKS = 2;

function itemBlock(item: WarningItem, index: number): SectionBlock {
  const { connection, warning } = item;
  const text = itemLine(item, connection.ownerId ? mention(connection.ownerId) : 'no owner');
  const section: SectionBlock = {
    type: 'section',
    // Unique within the message; the warning id lets a listener find the item it re-renders.
    block_id: `ck_item_${warning?.id ?? `n${index}`}`,
    text: { type: 'mrkdwn', text },
    accessory: itemMenu(itemActions(item)),
  };
  return section;
}

/**
 * The digest of `items` (all of the run's, or, in a rewrite, the most urgent with `summary`
 * counting every one the message carries).
 */
export function buildDigest(items: readonly WarningItem[], summary: MessageSummary = summarize(items.map((i) => i.finding.severity))): SlackMessage {
  const sorted = mergeByAction(items).sort(compareItems);
  const shown = sorted.slice(0, LIMITS.blocks - FIXED_BLOCKS);
  const heading = count(summary.total, 'channel warning');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`⚠️ ${heading}`, LIMITS.headerText), emoji: true } },
    totalsBlock(summary, shown.length, warningsIn(shown)),
    ...shown.map(itemBlock),
  ];
  const text = truncate(`${heading}: ${summaryLine(summary)}`, LIMITS.fallbackText);
  return { text, blocks };
}
