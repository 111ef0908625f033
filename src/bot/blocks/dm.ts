/**
 * Direct messages: one per person per run, listing the warnings about channels they own or back
 * up in the digest's form (their totals, the most urgent, "and N more" with the full list); and the
 * notices admins get when warnings cannot reach the alert channel.
 */
import type { KnownBlock } from '@slack/types';
import { mention, truncate } from '../mrkdwn';
import { summarize, type MessageSummary } from '../../outbox/message-summary';
import { totalsBlock } from './full-list';
import { LIMITS, itemLine } from './warning-format';
import type { SlackMessage } from './warning-message';
import { mergeByAction, warningsIn } from '../../outbox/merge-items';
import { compareItems, type WarningItem } from '../../outbox/warning-item';

/** A DM is a heads-up, not the place to act: a short list, the rest counted. */
export const DM_MAX_ITEMS = 20;

export interface DmInput {
  userId: string;
  items: readonly WarningItem[];
  /** Where the full warnings (with buttons) were posted. */
  alertChannel: string;
  /** The totals of every warning the DM carries (absent: the items'; a rewrite words the most urgent only). */
  summary?: MessageSummary;
}

function section(text: string, blockId?: string): KnownBlock {
  return { type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

/** The block of one warning in a DM, so the message can be rewritten when the warning is settled. */
export function dmItemBlockId(warningId: number): string {
  return `ck_dm_${warningId}`;
}

function roleOf(item: WarningItem, userId: string): string {
  if (item.connection.ownerId === userId) return 'you own it';
  // A team leader hears of a warning nobody acted on (docs/rules.md "Escalation").
  return item.connection.backups.some((b) => b.userId === userId) ? 'you are a backup' : 'escalated to you';
}

export function buildDmMessage({ userId, items, alertChannel, summary = summarize(items.map((i) => i.finding.severity)) }: DmInput): SlackMessage {
  const sorted = mergeByAction(items).sort(compareItems);
  const shown = sorted.slice(0, DM_MAX_ITEMS);
  const total = summary.total;
  // One channel's findings merged into one item read as that channel, not as "2 warnings".
  const oneChannel = total === items.length && sorted.length === 1;
  const count = total === 1 || oneChannel ? 'a channel you look after needs' : `${total.toLocaleString('en-US')} warnings about channels you look after need`;
  const intro = `Hi ${mention(userId)}, ${count} attention. The details and buttons are in <#${alertChannel}>.`;
  const blocks: KnownBlock[] = [section(intro)];
  if (total > 1) blocks.push(totalsBlock(summary, shown.length, warningsIn(shown)));
  for (const item of shown) {
    const blockId = item.warning ? dmItemBlockId(item.warning.id) : undefined;
    blocks.push(section(itemLine(item, roleOf(item, userId)), blockId));
  }
  return {
    text: truncate(
      `${count} attention`.replace(/^./, (c) => c.toUpperCase()),
      LIMITS.fallbackText,
    ),
    blocks,
  };
}

/** To admins when no alert channel is set: nothing is lost, but nothing is posted either. */
export function buildNoAlertChannelNotice(pending: number): SlackMessage {
  const waiting = pending === 1 ? '1 warning is' : `${pending} warnings are`;
  const text =
    `Channel Keeper has no alert channel, so ${waiting} waiting to be posted. ` +
    'Choose one with `/channels settings` (or set `SLACK_ALERT_CHANNEL` for the whole install), ' +
    'then invite the bot there with `/invite @Channel Keeper`. The warnings are kept and posted at the next check.';
  return { text, blocks: [section(text)] };
}

/** To admins when Slack refuses the alert channel for good (bot not invited, archived…). */
export function buildDeliveryFailedNotice(reason: string, count: number): SlackMessage {
  const what = count === 1 ? '1 warning' : `${count} warnings`;
  const text = `Channel Keeper could not post ${what}: ${reason}. Until then they are listed in \`/channels status\`.`;
  return { text, blocks: [section(text)] };
}
