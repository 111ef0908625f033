/**
 * Escalation in Slack (docs/rules.md "Escalation"): the note a message carrying a warning shows once
 * the warning climbed or someone took it ("⏫ Escalated to team leaders at 14:00", "🙋 @ana is on
 * it"), and the messages of the steps, batched per recipient: one DM per person per window listing
 * every warning that climbed to them, one post per window in the alert channel.
 */
import type { KnownBlock } from '@slack/types';
import { ESCALATION_LABEL, ladderFor } from '../../rules/escalation';
import { SEVERITIES, type EscalationRung, type EscalationSettings, type Severity, type Warning } from '../../domain';
import type { EscalatedItem } from '../../outbox/slack-port';
import { compareItems } from '../../outbox/warning-item';
import { count } from '../../words';
import { literal, mention, truncate } from '../mrkdwn';
import { buildDigest } from './digest';
import { buildDmMessage, dmItemBlockId } from './dm';
import { escapeAndTruncate, LIMITS, SEVERITY_EMOJI, SEVERITY_LABEL } from './warning-format';
import { buildConnectionMessage, WARNING_ACTIONS_BLOCK, type SlackMessage } from './warning-message';

/** A date Slack shows in each reader's own time zone, with a UTC fallback. */
export function slackDate(at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^{date_short_pretty} at {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

/**
 * What a message says of a warning's climb, or null when it never climbed and nobody took it. The
 * step's name comes from the workspace's ladder in force.
 */
export function escalationNote(warning: Warning, settings: EscalationSettings | undefined): string | null {
  const lines: string[] = [];
  if (warning.escalationStep > 0 && warning.escalatedAt) {
    const rung = ladderFor(settings, warning.severity)[warning.escalationStep - 1];
    const to = rung ? ESCALATION_LABEL[rung.to] : `step ${warning.escalationStep}`;
    lines.push(`⏫ Escalated to ${to} ${slackDate(warning.escalatedAt)}`);
  }
  if (warning.acknowledgedBy) {
    const when = warning.acknowledgedAt ? ` (since ${slackDate(warning.acknowledgedAt)})` : '';
    lines.push(`🙋 ${mention(warning.acknowledgedBy)} is on it${when}: no further escalation`);
  }
  return lines.length ? lines.join('\n') : null;
}

/** The block of a digest's item (src/bot/blocks/digest.ts), which a rewrite finds it by. */
function digestItemBlockId(warningId: number): string {
  return `ck_item_${warningId}`;
}

/** A DM's or digest's item: past the list's "and N more" it is not shown, and neither is its note. */
const LIST_ITEM = /^ck_(dm|item)_/;

/**
 * The note goes right after the warning's block (its actions, or its DM/digest item); at the end when
 * a message's actions block is gone. A message already at Block Kit's block limit gets the note inside
 * the item's own section instead, so no item and no "and N more" line is pushed out.
 */
export function withEscalationNote(blocks: readonly KnownBlock[], blockId: string, note: string): KnownBlock[] {
  const index = blocks.findIndex((b) => b.block_id === blockId);
  if (index === -1 && LIST_ITEM.test(blockId)) return [...blocks];
  const target = index === -1 ? undefined : blocks[index];
  if (blocks.length >= LIMITS.blocks && target?.type === 'section' && target.text) {
    const text = { ...target.text, text: truncate(`${target.text.text}\n${note}`, LIMITS.sectionText) };
    return [...blocks.slice(0, index), { ...target, text }, ...blocks.slice(index + 1)];
  }
  const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(note, 3000) }] };
  const at = index === -1 ? blocks.length : index + 1;
  return [...blocks.slice(0, at), context, ...blocks.slice(at)].slice(0, LIMITS.blocks);
}

function hoursText(hours: number): string {
  return hours % 24 === 0 ? count(hours / 24, 'day') : count(hours, 'hour');
}

const WHY: Record<EscalationRung['to'], string> = {
  owner: 'you own this channel',
  backups: 'you are a backup admin of this channel',
  leaders: 'you lead the team',
  channel: '',
};

const WHY_MANY: Record<EscalationRung['to'], string> = {
  owner: 'you own some of these channels',
  backups: 'you are a backup admin of some of them',
  leaders: 'you lead the team',
  channel: '',
};

/** People a channel post names before it counts the rest: a mention list that stays readable. */
const MAX_MENTIONS = 30;

/** "🔴 150 critical · 🟠 250 at risk": the true totals of a batch, worst first. */
function totals(items: readonly EscalatedItem[]): string {
  const counts = new Map<Severity, number>();
  for (const { item } of items) counts.set(item.finding.severity, (counts.get(item.finding.severity) ?? 0) + 1);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts.has(s))
    .map((s) => `${SEVERITY_EMOJI[s]} ${counts.get(s)!.toLocaleString('en-US')} ${SEVERITY_LABEL[s].toLowerCase()}`)
    .join(' · ');
}

/** Each item's climb or "I'm on it" under it, as a rewrite shows them too (src/bot/delivery/rebuild.ts). */
function withNotes(
  blocks: KnownBlock[],
  items: readonly EscalatedItem[],
  escalation: EscalationSettings,
  blockIdOf: (warningId: number) => string,
): KnownBlock[] {
  let out = blocks;
  for (const { item } of [...items].sort((a, b) => compareItems(a.item, b.item))) {
    const note = item.warning ? escalationNote(item.warning, escalation) : null;
    if (note && item.warning) out = withEscalationNote(out, blockIdOf(item.warning.id), note);
  }
  return out;
}

/**
 * The DM of the escalation steps that reached one person in a window: why they hear of it, the
 * totals, the most urgent warnings (the DM's own list, "and N more" past it) and each one's climb.
 */
export function buildEscalationDm(input: {
  userId: string;
  escalated: readonly EscalatedItem[];
  alertChannel: string;
  escalation: EscalationSettings;
}): SlackMessage {
  const { userId, escalated: items, alertChannel, escalation } = input;
  const base = buildDmMessage({ userId, items: items.map((i) => i.item), alertChannel });
  const first = items[0]!;
  let intro: string;
  let text: string;
  if (items.length === 1) {
    intro = `⏫ Nobody has acted on this warning for ${hoursText(first.rung.afterHours)}, so it comes to you (${WHY[first.rung.to]}). Press *I’m on it* in <#${alertChannel}> to stop the escalation, or fix it.`;
    text = `⏫ Escalated to you: ${base.text}`;
  } else {
    const why = [...new Set(items.map((i) => WHY_MANY[i.rung.to]))].join('; ');
    const what = `${count(items.length, 'warning')} nobody acted on`;
    intro = `⏫ ${what} came to you (${why}): ${totals(items)}. Press *I’m on it* on each in <#${alertChannel}> to stop its escalation, or fix them.`;
    text = `⏫ Escalated to you: ${what} (${totals(items)})`;
  }
  // The intro takes the place of the DM's own greeting, which speaks of channels they look after.
  const body = base.blocks[0] && !base.blocks[0].block_id ? base.blocks.slice(1) : base.blocks;
  const blocks = withNotes([section(intro), ...body], items, escalation, dmItemBlockId);
  return { text: truncate(text, LIMITS.fallbackText), blocks };
}

/**
 * The channel steps' post of a window: the warnings again with their buttons (one warning: its own
 * message; more: a digest of the most urgent, "and N more" past it), mentioning every warning's
 * people (and @here when switched on).
 */
export function buildEscalationPost(input: {
  escalated: readonly EscalatedItem[];
  mentions: readonly string[];
  here: boolean;
  escalation: EscalationSettings;
}): SlackMessage {
  const { escalated: items, mentions, here, escalation } = input;
  const shown = mentions.slice(0, MAX_MENTIONS).map((id) => mention(id));
  if (mentions.length > shown.length) shown.push(`and ${count(mentions.length - shown.length, 'other')}`);
  const who = [...(here ? ['<!here>'] : []), ...shown].join(' ');
  if (items.length === 1) {
    const { item, rung } = items[0]!;
    const base = buildConnectionMessage([item]);
    const name = escapeAndTruncate(`“${literal(item.connection.name)}”`, 300);
    const intro = `⏫ ${who ? `${who} ` : ''}Nobody has acted on ${name} for ${hoursText(rung.afterHours)}: fix it, or press *I’m on it* so the team knows it is taken.`;
    const blocks = withNotes([section(intro), ...base.blocks], items, escalation, () => WARNING_ACTIONS_BLOCK);
    return { text: truncate(`⏫ ${here ? '@here ' : ''}Escalated: ${base.text}`, LIMITS.fallbackText), blocks };
  }
  const digest = buildDigest(items.map((i) => i.item));
  // The intro takes the digest header's place: a header cannot mention anyone.
  const body = digest.blocks[0]?.type === 'header' ? digest.blocks.slice(1) : digest.blocks;
  const what = `${count(items.length, 'warning')} nobody acted on`;
  const intro = `⏫ ${who ? `${who}: ` : ''}${what} reached this channel. Fix them, or choose *I’m on it* in an item’s menu so the team knows it is taken.`;
  const blocks = withNotes([section(intro), ...body], items, escalation, digestItemBlockId);
  return { text: truncate(`⏫ ${here ? '@here ' : ''}Escalated: ${what} (${totals(items)})`, LIMITS.fallbackText), blocks };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}
