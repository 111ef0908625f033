/**
 * One warning as a Slack message (Block Kit) and as plain text (what the `demo` command prints).
 * Both read the same: what is wrong, what to do, by when, whose it is, and the buttons that record
 * the fix. Once someone acts, the listener replaces the buttons with a note (src/bot/acted-message.ts).
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { networkLabel } from '../../rules/advice';
import { literal, mention, truncate } from '../mrkdwn';
import { ACTION_LABEL, actionElements, itemActions } from './warning-actions';
import { LIMITS, SEVERITY_EMOJI, SEVERITY_LABEL, dueLabel, escapeAndTruncate, mentions, plainMentions } from './warning-format';
import { mergeByAction } from '../../outbox/merge-items';
import { compareItems, type WarningItem } from '../../outbox/warning-item';

export interface SlackMessage {
  /** The notification / screen-reader fallback. */
  text: string;
  blocks: KnownBlock[];
}

export const WARNING_ACTIONS_BLOCK = 'ck_warning_actions';

function title(item: WarningItem): string {
  return `${SEVERITY_EMOJI[item.finding.severity]} ${networkLabel(item.connection.network)} “${item.connection.name}”`;
}

function backupIds(item: WarningItem): string[] {
  return item.connection.backups.map((b) => b.userId);
}

function fields(item: WarningItem): SectionBlock['fields'] {
  const { finding, connection } = item;
  return [
    `*Severity*\n${SEVERITY_EMOJI[finding.severity]} ${SEVERITY_LABEL[finding.severity]}`,
    `*${dueLabel(item)}*\n${finding.dueAt}`,
    `*Owner*\n${connection.ownerId ? mention(connection.ownerId) : '_nobody on record_'}`,
    `*Backups*\n${mentions(backupIds(item), '_none_')}`,
  ].map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, LIMITS.fieldText) }));
}

export function buildWarningMessage(item: WarningItem): SlackMessage {
  const { finding } = item;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title(item), LIMITS.headerText), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: escapeAndTruncate(`*${literal(finding.message)}*\n${finding.advice}`, LIMITS.sectionText) },
    },
    { type: 'section', fields: fields(item) },
  ];
  blocks.push({ type: 'actions', block_id: WARNING_ACTIONS_BLOCK, elements: actionElements(itemActions(item)) });
  const text = escapeAndTruncate(`${SEVERITY_EMOJI[finding.severity]} ${literal(finding.message)}`, LIMITS.fallbackText);
  return { text, blocks };
}

/** The actions block of one item (its worst row's id) in a message about a connection with several items. */
export function itemActionsBlockId(warningId: number): string {
  return `${WARNING_ACTIONS_BLOCK}_${warningId}`;
}

/**
 * One message for everything one run found about one connection: findings one fix settles read as
 * one item (src/outbox/merge-items); the worst item leads (header, owner and backups), each item
 * follows with what to do and its own actions. A single item is the single warning message.
 */
export function buildConnectionMessage(items: readonly WarningItem[]): SlackMessage {
  const sorted = mergeByAction(items).sort(compareItems);
  if (sorted.length === 1) return buildWarningMessage(sorted[0]!);
  const worst = sorted[0]!;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title(worst), LIMITS.headerText), emoji: true } },
    { type: 'section', fields: fields(worst) },
  ];
  sorted.forEach((item, index) => {
    const { finding, warning } = item;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: escapeAndTruncate(`${SEVERITY_EMOJI[finding.severity]} *${literal(finding.message)}*\n${finding.advice}`, LIMITS.sectionText),
      },
    });
    blocks.push({
      type: 'actions',
      block_id: warning ? itemActionsBlockId(warning.id) : `${WARNING_ACTIONS_BLOCK}_n${index}`,
      elements: actionElements(itemActions(item)),
    });
  });
  const text = escapeAndTruncate(`${SEVERITY_EMOJI[worst.finding.severity]} ${sorted.map((i) => literal(i.finding.message)).join(' · ')}`, LIMITS.fallbackText);
  return { text, blocks: blocks.slice(0, LIMITS.blocks) };
}

/** The same message as plain text, as it reads in Slack (mentions shown as @id). */
export function renderWarningText(item: WarningItem): string {
  const { finding, connection } = item;
  const owner = connection.ownerId ? `@${connection.ownerId}` : 'nobody on record';
  const buttons = itemActions(item).map(({ action }) => `[${ACTION_LABEL[action] ?? action}]`);
  return [
    `${title(item)} · ${SEVERITY_LABEL[finding.severity]}`,
    finding.message,
    finding.advice,
    `${dueLabel(item)} ${finding.dueAt} · Owner ${owner} · Backups ${plainMentions(backupIds(item), 'none')}`,
    buttons.join(' '),
  ].join('\n');
}
