/**
 * The form every message about many warnings shares (the alert channel's digest, a person's DM):
 * the true totals by severity, the most urgent items, and "and N more" with a button that opens
 * the full list, a modal a page at a time (Previous / Next) of every warning the message carries.
 */
import type { Button, KnownBlock, ModalView, SectionBlock } from '@slack/types';
import { SEVERITIES } from '../../domain';
import type { MessageSummary } from '../../outbox/message-summary';
import { severityRank } from '../../rules/finding';
import { count } from '../../words';
import { ACTION, CODEC, type FullListButton } from '../interactions';
import { mention, truncate } from '../mrkdwn';
import { LIMITS, SEVERITY_EMOJI, SEVERITY_LABEL, itemLine } from './warning-format';
import type { WarningItem } from '../../outbox/warning-item';

/** Warnings per page of the full list (a modal allows 100 blocks; each warning is one). */
export const FULL_LIST_PAGE_SIZE = 20;

const WORST_FIRST = [...SEVERITIES].sort((a, b) => severityRank(b) - severityRank(a));

/** "🔴 12 critical · 🟠 100 at risk · 🟡 288 attention" (and "✅ 3 settled" once some are). */
export function summaryLine(summary: MessageSummary): string {
  const parts = WORST_FIRST.filter((s) => summary.bySeverity[s]).map(
    (s) => `${SEVERITY_EMOJI[s]} ${summary.bySeverity[s]!.toLocaleString('en-US')} ${SEVERITY_LABEL[s].toLowerCase()}`,
  );
  if (summary.settled) parts.push(`✅ ${summary.settled.toLocaleString('en-US')} settled`);
  return parts.join(' · ');
}

/** The button that opens the full list (the message it is on names itself through the press). */
function fullListButton(total: number): Button {
  return {
    type: 'button',
    action_id: ACTION.fullList,
    text: { type: 'plain_text', text: truncate(`Full list (${total.toLocaleString('en-US')})`, LIMITS.buttonText) },
    value: CODEC.fullList.encode({ page: 0 }),
  };
}

/**
 * The totals, and when not every item fits: how many more, with the button to the full list. It
 * comes right after the header, so a rewrite that adds notes under items never cuts it off.
 */
export function totalsBlock(summary: MessageSummary, shown: number, shownWarnings = shown): KnownBlock {
  const line = summaryLine(summary);
  // A merged item shows several warnings of one connection: "and N more" counts the warnings not shown.
  const more = summary.total - shownWarnings;
  if (more <= 0) return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(line || ' ', LIMITS.sectionText) }] };
  const top = shown === 1 ? 'The most urgent is below' : `The ${shown} most urgent are below`;
  const text = `${line}\n${top}, *and ${more.toLocaleString('en-US')} more*: the full list has every one.`;
  const section: SectionBlock = {
    type: 'section',
    block_id: 'ck_totals',
    text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) },
    accessory: fullListButton(summary.total),
  };
  return section;
}

export interface FullListPage {
  /** Where the list's message is (the page buttons name it). */
  message: { channel: string; ts: string };
  /** Whose DM it is, when it is one. */
  recipient: string | null;
  summary: MessageSummary;
  /** This page's items, worst first. */
  items: readonly WarningItem[];
  page: number;
}

/** The full list of a message's warnings, one page. */
export function buildFullListModal({ message, recipient, summary, items, page }: FullListPage): ModalView {
  const pages = Math.max(1, Math.ceil(summary.total / FULL_LIST_PAGE_SIZE));
  const whose = recipient ? `${mention(recipient)}'s ${count(summary.total, 'warning')}` : count(summary.total, 'warning');
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*${whose}*, most urgent first\n${summaryLine(summary)}`, LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Page ${page + 1} of ${pages}` }] },
    { type: 'divider' },
  ];
  for (const item of items) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: listedLine(item) } });
  if (!items.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No warnings on this page.' } });
  const turns: Button[] = [];
  const to = (p: number): string => CODEC.fullList.encode({ page: p, message } satisfies FullListButton);
  if (page > 0) turns.push({ type: 'button', action_id: ACTION.fullListPrevious, text: { type: 'plain_text', text: 'Previous' }, value: to(page - 1) });
  if (page + 1 < pages) turns.push({ type: 'button', action_id: ACTION.fullListNext, text: { type: 'plain_text', text: 'Next' }, value: to(page + 1) });
  if (turns.length) blocks.push({ type: 'actions', block_id: 'ck_full_list_pages', elements: turns });
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'All warnings' },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

const STATE_NOTE: Partial<Record<string, string>> = { resolved: ' · ✅ resolved', snoozed: ' · 💤 snoozed' };

function listedLine(item: WarningItem): string {
  const owner = item.connection.ownerId ? mention(item.connection.ownerId) : 'no owner';
  const state = (item.warning && STATE_NOTE[item.warning.state]) ?? '';
  return itemLine(item, `${owner}${state}`);
}
