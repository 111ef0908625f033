/**
 * `/channels show <name>`: one channel's health, its dates (what is overdue, when its token ends,
 * what is due next), findings with advice (those one fix settles read as one), people and the
 * actions on it.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { endOrigin, networkLabel, toolLabel } from '../../rules/advice';
import { currentObservation } from '../../rules/finding-rules';
import { DISCONNECT_REASONS, SOURCE_NAMES, type Connection } from '../../domain';
import type { ChannelEvaluation } from '../evaluation-cache';
import type { Observation } from '../../services/sources';
import { SLACK_TIME } from './slack-date';
import { escapeMrkdwn, escapeName, mention, truncate } from '../mrkdwn';
import { ACTION, CODEC } from '../interactions';
import { mergeByAction } from '../../outbox/merge-items';
import { datesLine, healthLabel } from './health-label';
import { truncateAtWord } from './warning-format';

export const CARD_ACTIONS_BLOCK = 'card_actions';
const MAX_FINDINGS = 10;

export function buildConnectionCard(report: ChannelEvaluation, note?: string, observation?: Observation | null): KnownBlock[] {
  const { connection: c, summary } = report;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${c.name} (${networkLabel(c.network)})`, 150) } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${healthLabel(summary.health)} · ${datesLine(summary)}` },
    },
    { type: 'section', fields: facts(report).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, 2000) })) },
  ];
  const observed = observedLines(report, observation ?? null);
  if (observed.length) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(observed.join('\n'), 3000) }] });
  if (report.problems.length) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`:warning: Cannot judge this channel: ${escapeMrkdwn(report.problems.join('; '))}`, 3000) },
    });
  }
  const items = mergeByAction(summary.findings.map((finding) => ({ connection: c, finding, warning: null })));
  for (const { finding } of items.slice(0, MAX_FINDINGS)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncateAtWord(`*${escapeName(finding.message)}*\n${escapeMrkdwn(finding.advice)}`, 3000) } });
  }
  if (items.length > MAX_FINDINGS)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${items.length - MAX_FINDINGS} more: \`/channels status\`` }] });
  if (!summary.findings.length && !report.problems.length)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'Nothing to do: every check passes.' } });
  if (note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(note, 3000) }] });
  blocks.push(cardActions(c));
  return blocks;
}

/**
 * What a source observed, each line saying where it comes from ("Hootsuite: reconnect needed
 * (10:42)", "LinkedIn: expires 2027-01-03"), and the predicted end saying what it is predicted from.
 */
export function observedLines({ connection: c, summary }: ChannelEvaluation, o: Observation | null): string[] {
  const lines: string[] = [];
  if (o?.source && (o.source === 'hootsuite' || o.source === 'buffer')) lines.push(`:link: ${SOURCE_NAMES[o.source]}`);
  if (o?.observedState === 'disconnected' && o.observedReason && o.observedAt) lines.push(`${escapeMrkdwn(o.observedReason)} (${SLACK_TIME(o.observedAt)})`);
  const said = currentObservation(c);
  const token = tokenSaid(c);
  if (c.observed && !said && c.lastRefreshedAt) {
    const from = SOURCE_NAMES[c.observed.from];
    lines.push(
      `${from} describes the token given on ${c.observed.on}, before the refresh on ${c.lastRefreshedAt}: give the new one (“Set introspection token”)`,
    );
  }
  if (token && c.status === 'connected') lines.push(`${token} (said on ${said!.on})`);
  if (said?.dataAccessEnd && c.status === 'connected') lines.push(`${SOURCE_NAMES[said.from]}: data access ends ${said.dataAccessEnd}`);
  if (summary.token && c.status === 'connected' && !token) lines.push(`Token end ${summary.token.endsOn}: ${endOrigin(c, summary.token.endsOn, null)}`);
  return o || said ? lines : [];
}

/** The token's end as the network said it ("LinkedIn: expires 2027-01-03", "Meta: does not expire"), or null. */
export function tokenSaid(c: Connection): string | null {
  const said = currentObservation(c);
  if (said === null || said.end === null) return null;
  return `${SOURCE_NAMES[said.from]}: ${said.end === 'never' ? 'does not expire' : `expires ${said.end}`}`;
}

/** "Token expires on": the day the current token ends, when the channel is in use. */
function tokenFact({ connection: c, summary, problems }: ChannelEvaluation): string | null {
  if (c.status !== 'connected' || c.retiredAt || c.archivedAt) return null;
  if (summary.token) return `*Token ${summary.token.ended ? 'expired' : 'expires'} on*\n${summary.token.endsOn}`;
  return `*Token expires on*\n${problems.length ? '_cannot tell: see below_' : '_no fixed end date_'}`;
}

function facts(report: ChannelEvaluation): string[] {
  const c = report.connection;
  const token = tokenFact(report);
  const backups = c.backups.length ? c.backups.map((b) => mention(b.userId)).join(', ') : '_none_';
  const list = [
    `*Owner*\n${mention(c.ownerId)}`,
    `*Backup admins*\n${truncate(backups, 1900)}`,
    `*Connected on*\n${c.connectedAt}`,
    `*Last refreshed*\n${c.lastRefreshedAt ?? '_never_'}`,
    ...(token ? [token] : []),
    `*Owner last active*\n${c.ownerLastActiveAt ?? '_unknown_'}`,
    `*Kind*\n${c.kind.replace(/_/g, ' ')}`,
  ];
  if (c.status === 'disconnected') {
    const reason = c.disconnectReason ? DISCONNECT_REASONS[c.disconnectReason] : 'Unknown';
    list.push(`*Disconnected*\n${c.disconnectedAt ?? ''} · ${reason}`);
  }
  if (c.url) list.push(`*URL*\n${escapeMrkdwn(truncate(c.url, 500))}`);
  // At most ten fields in a section: a channel in use has no retired or disconnected date, one not in use no token line.
  if (c.tool) list.push(`*Held in*\n${c.tool === 'other' ? 'another tool' : toolLabel(c.tool)}`);
  if (c.retiredAt) list.push(`*Retired*\n${c.retiredAt.toISOString().slice(0, 10)} · no warnings; \`/channels restore\` to use it again`);
  return list;
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: actionId, value, ...(style ? { style } : {}) };
}

function cardActions(c: Connection): ActionsBlock {
  const value = CODEC.button.encode({ connectionId: c.id, warningIds: [] });
  const elements: Button[] =
    c.status === 'disconnected'
      ? [button('Mark reconnected', ACTION.markReconnected, value, 'primary')]
      : [
          button('Mark refreshed', ACTION.markRefreshed, value, 'primary'),
          button('I was active', ACTION.iWasActive, value),
          button('Add backup', ACTION.addBackup, value),
          button('Reassign owner', ACTION.reassignOwner, value),
          button('Mark disconnected', ACTION.markDisconnected, value, 'danger'),
        ];
  elements.push(button('View history', ACTION.viewHistory, value));
  return { type: 'actions', block_id: CARD_ACTIONS_BLOCK, elements };
}
