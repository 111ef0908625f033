/**
 * Escalation in Slack (docs/rules.md "Escalation"): the note a message carrying a warning shows once
 * the warning climbed or someone took it ("⏫ Escalated to team leaders at 14:00", "🙋 @ana is on
 * it"), and the messages of a step: a DM to each person of the step, or a mention in the alert channel.
 */
import type { KnownBlock } from '@slack/types';
import { ESCALATION_LABEL, ladderFor } from '../../rules/escalation';
import type { EscalationRung, EscalationSettings, Warning } from '../../domain';
import { literal, mention, truncate } from '../mrkdwn';
import { buildDmMessage, dmItemBlockId } from './dm';
import { escapeAndTruncate, LIMITS } from './warning-format';
import type { WarningItem } from '../../outbox/warning-item';
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

/** The note goes right after the warning's block (its actions, or its DM/digest item); at the end when that block is gone. */
export function withEscalationNote(blocks: readonly KnownBlock[], blockId: string, note: string): KnownBlock[] {
  const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(note, 3000) }] };
  const index = blocks.findIndex((b) => b.block_id === blockId);
  const at = index === -1 ? blocks.length : index + 1;
  return [...blocks.slice(0, at), context, ...blocks.slice(at)].slice(0, LIMITS.blocks);
}

function hoursText(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} day${hours === 24 ? '' : 's'}` : `${hours} hour${hours === 1 ? '' : 's'}`;
}

const WHY: Record<EscalationRung['to'], string> = {
  owner: 'you own this channel',
  backups: 'you are a backup admin of this channel',
  leaders: 'you lead the team',
  channel: '',
};

/** The DM of a step to one person: why they hear of it, the warning, and the note. */
export function buildEscalationDm(input: { userId: string; item: WarningItem; rung: EscalationRung; alertChannel: string; note: string | null }): SlackMessage {
  const { userId, item, rung, alertChannel, note } = input;
  const base = buildDmMessage({ userId, items: [item], alertChannel });
  const intro = `⏫ Nobody has acted on this warning for ${hoursText(rung.afterHours)}, so it comes to you (${WHY[rung.to]}). Press *I’m on it* in <#${alertChannel}> to stop the escalation, or fix it.`;
  let blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(intro, LIMITS.sectionText) } }, ...base.blocks];
  if (note && item.warning) blocks = withEscalationNote(blocks, dmItemBlockId(item.warning.id), note);
  return { text: truncate(`⏫ Escalated to you: ${base.text}`, LIMITS.fallbackText), blocks };
}

/** The channel step: the warning again, with its buttons, mentioning its people (and @here when switched on). */
export function buildEscalationPost(input: {
  item: WarningItem;
  rung: EscalationRung;
  mentions: readonly string[];
  here: boolean;
  note: string | null;
}): SlackMessage {
  const { item, rung, mentions, here, note } = input;
  const base = buildConnectionMessage([item]);
  const who = [...(here ? ['<!here>'] : []), ...mentions.map((id) => mention(id))].join(' ');
  const name = escapeAndTruncate(`“${literal(item.connection.name)}”`, 300);
  const intro = `⏫ ${who ? `${who} ` : ''}Nobody has acted on ${name} for ${hoursText(rung.afterHours)}: fix it, or press *I’m on it* so the team knows it is taken.`;
  let blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(intro, LIMITS.sectionText) } }, ...base.blocks];
  if (note) blocks = withEscalationNote(blocks, WARNING_ACTIONS_BLOCK, note);
  return { text: truncate(`⏫ ${here ? '@here ' : ''}Escalated: ${base.text}`, LIMITS.fallbackText), blocks };
}
