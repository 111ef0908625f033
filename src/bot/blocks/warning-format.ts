/**
 * Small text helpers the warning builders share: escaping, truncation to Block Kit limits,
 * severity labels and mentions. Pure; no Slack client here.
 */
import type { Severity } from '../../domain';
import { escapeMrkdwn, literal, mention, truncate } from '../mrkdwn';
import { networkLabel } from '../../rules/advice';
import { EXPIRED_STAGE } from '../../rules/finding';
import type { WarningItem } from '../../outbox/warning-item';

/** Slack limits the builders stay within. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  optionText: 75,
  fallbackText: 3000, // far below Slack's 40,000: the fallback is a notification, not the message
} as const;

/** The emoji Slack shows for the shortcodes of src/bot/blocks/health-label.ts, as characters so plain text reads the same. */
export const SEVERITY_EMOJI: Record<Severity, string> = {
  attention: '🟡',
  at_risk: '🟠',
  critical: '🔴',
  disconnected: '⚫',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  attention: 'Attention',
  at_risk: 'At risk',
  critical: 'Critical',
  disconnected: 'Disconnected',
};

/**
 * What an item's date is: a date ahead is when it is due; a date the finding says has passed is
 * named for what it is ("Expired on", "Overdue since"), never "Due". A merged item that a refresh
 * fixes before the token ends says "Refresh before".
 */
export function dueLabel(item: Pick<WarningItem, 'finding' | 'parts'>): string {
  const { kind, stage } = item.finding;
  if (item.parts?.some((p) => p.finding.kind === 'expiry' && p.finding.stage !== EXPIRED_STAGE)) return 'Refresh before';
  if (kind === 'expiry' && stage === EXPIRED_STAGE) return 'Expired on';
  if (kind === 'data_access' && stage === EXPIRED_STAGE) return 'Ended on';
  if (kind === 'refresh_due' && stage === 'overdue') return 'Overdue since';
  if (kind === 'inactivity' && stage === 'critical') return 'Past the limit since';
  if (kind === 'disconnected') return 'Disconnected since';
  return 'Due';
}

/** Truncates after escaping, without cutting an entity such as `&amp;` in half. */
export function escapeAndTruncate(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  const cut = truncate(escaped, max);
  return cut.replace(/&[a-z]{0,3}…$/, '…');
}

/** Shortens text at a word boundary (never inside a word, a mention or an entity), ending with "…". */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.search(/\s\S*$/);
  const head = space > max / 2 ? cut.slice(0, space) : truncate(text, max).slice(0, -1);
  return `${head.replace(/[\s,;:·]+$/, '')}…`;
}

/** `<@U1>, <@U2>`, or the fallback when there is nobody. */
export function mentions(userIds: readonly string[], none: string): string {
  return userIds.length ? userIds.map(mention).join(', ') : none;
}

/** The same list as it reads in Slack, for plain-text rendering. */
export function plainMentions(userIds: readonly string[], none: string): string {
  return userIds.length ? userIds.map((id) => `@${id}`).join(', ') : none;
}

/**
 * One warning as a list line, the same in a digest, a DM and the full list: severity, the channel,
 * what the date is ("refresh before …", "overdue since …"), `who` (the owner, or the reader's role),
 * then the finding's words.
 */
export function itemLine(item: WarningItem, who: string): string {
  const { connection, finding } = item;
  const name = escapeAndTruncate(`${networkLabel(connection.network)} “${literal(connection.name)}”`, 300);
  const text = `${SEVERITY_EMOJI[finding.severity]} *${name}* · ${dueLabel(item).toLowerCase()} ${finding.dueAt} · ${who}\n${escapeAndTruncate(literal(finding.message), 2000)}`;
  return truncate(text, LIMITS.sectionText);
}
