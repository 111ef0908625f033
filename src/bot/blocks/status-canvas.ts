/**
 * The status canvas in Slack's canvas markdown (docs/workflows.md): the title heading, then one
 * heading per part, each found again by its text (canvases.sections.lookup). People are mentioned
 * with canvas mentions (`![](@U…)`).
 */
import { networkLabel } from '../../rules/advice';
import { HEALTHS } from '../../domain';
import { DEADLINE_DAYS, type StatusSnapshot } from '../../services/status-canvas';
import { STATUS_CANVAS_TITLE } from '../../outbox/status-canvas';
import { count } from '../../words';
import { deadlineWords, healthLabel } from './health-label';

/** The headings of the parts, by the key their section id is stored under. */
export const CANVAS_HEADINGS = {
  health: 'Health',
  action: 'Needs action, by owner',
  deadlines: `Deadlines in the next ${DEADLINE_DAYS} days`,
  sources: 'Sources',
} as const;

/** Markdown's own characters in names people typed stay text. */
function escapeCanvas(text: string): string {
  return text.replace(/[\\`*_~[\]()#|<>!]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

function person(userId: string | null): string {
  return userId ? `![](@${userId})` : '_nobody_';
}

export function statusMarkdown(status: StatusSnapshot): string {
  const lines: string[] = [`# ${STATUS_CANVAS_TITLE}`, ''];
  const team = status.workspaceName ? `${escapeCanvas(status.workspaceName)}, ` : '';
  lines.push(`${team}as of ${status.today}. Channel Keeper rewrites this canvas when something changes; edits here are overwritten.`, '');

  lines.push(`## ${CANVAS_HEADINGS.health}`, '');
  if (!status.total) lines.push('No channels recorded yet: add one with `/channels add`.');
  else {
    lines.push(`${count(status.total, 'channel')} in use:`, '');
    for (const health of HEALTHS) if (status.counts[health]) lines.push(`- ${healthLabel(health)}: ${status.counts[health]}`);
  }
  lines.push('');

  lines.push(`## ${CANVAS_HEADINGS.action}`, '');
  if (!status.needsAction.length) lines.push('Nothing needs action.');
  for (const owner of status.needsAction) {
    lines.push(`### ${owner.ownerId ? person(owner.ownerId) : 'No owner'}`, '');
    for (const item of owner.items) {
      const overdue = item.overdueSince ? ` · overdue since ${item.overdueSince}` : '';
      const step = item.nextStep ? `: ${escapeCanvas(item.nextStep)}` : '';
      lines.push(`- **${escapeCanvas(item.name)}** (${networkLabel(item.network)}) · ${healthLabel(item.health)}${overdue}${step}`);
    }
    lines.push('');
  }
  if (status.moreActions) lines.push(`And ${count(status.moreActions, 'more channel')}: \`/channels status at-risk\` lists them all.`, '');

  lines.push(`## ${CANVAS_HEADINGS.deadlines}`, '');
  if (!status.deadlines.length) lines.push('No deadline in the next 30 days.');
  for (const d of status.deadlines) {
    lines.push(`- ${d.date} · **${escapeCanvas(d.name)}** (${networkLabel(d.network)}): ${deadlineWords(d.kind)} ${d.date} · ${person(d.ownerId)}`);
  }
  if (status.moreDeadlines) lines.push('', `And ${count(status.moreDeadlines, 'more deadline')}: \`/channels calendar\` has them all.`);
  lines.push('');

  if (status.sources) {
    lines.push(`## ${CANVAS_HEADINGS.sources}`, '');
    for (const s of status.sources) {
      const synced = s.lastSyncAt ? `last synced ${s.lastSyncAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'never synced';
      lines.push(`- **${escapeCanvas(s.name)}**: ${synced}${s.problem ? ` (last sync failed: ${escapeCanvas(s.problem)})` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The admins' one note when the workspace cannot have the canvas: why, and what to do. */
export function canvasUnavailableNote(code: string, channelId: string): string {
  const channel = `<#${channelId}>`;
  const head = `:information_source: Channel Keeper could not keep its status canvas in ${channel}`;
  const tail =
    'It carries on without it: warnings, `/channels status` and App Home work as before. To stop this note for good, turn the status canvas off in `/channels settings`.';
  const why =
    code === 'missing_scope'
      ? 'the app lacks the `canvases:write` permission. Update the app from its manifest (docs/workflows.md) and reinstall it, then save `/channels settings` to try again.'
      : code === 'not_in_channel' || code === 'channel_not_found' || code === 'is_archived'
        ? `the bot cannot reach the channel (Slack said \`${code}\`). Invite it with \`/invite @Channel Keeper\` or choose another alert channel, then save \`/channels settings\`.`
        : code === 'channel_canvas_not_ours'
          ? 'the channel already has a canvas the team wrote, and Channel Keeper never writes over it. Remove that canvas or choose another alert channel, then save `/channels settings`.'
          : `this Slack plan or workspace does not allow it (Slack said \`${code}\`): channel canvases need a paid plan. Once they are allowed, save \`/channels settings\` to try again.`;
  return `${head}: ${why}\n${tail}`;
}
