/**
 * App Home: counts by health, what is overdue, deadlines in the next 30 days (a past date is never
 * one of those), channels I own or back up.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { addDays } from '../../rules/calendar';
import { checkHistoryLine, type CheckHistory } from '../../rules/check-history';
import { toolLabel } from '../../rules/advice';
import { HEALTHS, TOOLS, type IsoDate } from '../../domain';
import type { ChannelEvaluation } from '../evaluation-cache';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { ACTION } from '../interactions';
import { healthLabel } from './health-label';
import { SLACK_TIME } from './slack-date';
import { statusLine } from './status-page';
import { count } from '../../words';

/** Per section: three sections of 15 stay within App Home's 100 blocks. */
const MAX_LISTED = 15;

/** What only admins see: deliveries that failed and settings still missing. */
export interface HomeAdminNotes {
  failedDeliveries: { channel: string; reason: string }[];
  missingSettings: string[];
  /** Whether the scheduled checks ran this week: a stopped bot must not look like a quiet week. */
  checks?: CheckHistory;
}

const MAX_FAILED = 5;

export function buildHome(reports: readonly ChannelEvaluation[], userId: string, today: IsoDate, admin?: HomeAdminNotes): HomeView {
  const counts = HEALTHS.map((h) => `${healthLabel(h)}: ${reports.filter((r) => r.summary.health === h).length}`).join('\n');
  const horizon = addDays(today, 30);
  const overdue = reports.filter((r) => r.summary.overdue !== null);
  // Nothing overdue: every date is today or later (an owner gone is to be acted on today).
  const soon = reports.filter(
    (r) =>
      r.summary.overdue === null &&
      ((r.summary.nextDeadline !== null && r.summary.nextDeadline.date <= horizon) || r.summary.findings.some((f) => f.dueAt <= horizon)),
  );
  const mine = reports.filter((r) => r.connection.ownerId === userId || r.connection.backups.some((b) => b.userId === userId));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Channel Keeper' } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${count(reports.length, 'channel')}*\n${counts}` } },
    ...toolCounts(reports),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        { type: 'button', action_id: ACTION.openAddChannel, text: { type: 'plain_text', text: 'Add a channel' }, value: 'home' },
        { type: 'button', action_id: ACTION.openSettings, text: { type: 'plain_text', text: 'Settings' }, value: 'home' },
      ],
    },
    ...(admin ? adminSection(admin) : []),
    ...section(`Overdue (${overdue.length.toLocaleString('en-US')})`, overdue),
    ...section(`Deadlines in the next 30 days (${soon.length.toLocaleString('en-US')})`, soon),
    ...section(`Channels I own or back up (${mine.length.toLocaleString('en-US')})`, mine),
  ];
  return { type: 'home', blocks };
}

/** How many channels each management tool holds (only the tools in use, then those with none recorded). */
function toolCounts(reports: readonly ChannelEvaluation[]): KnownBlock[] {
  const lines = TOOLS.map((tool) => ({ tool, count: reports.filter((r) => r.connection.tool === tool).length }))
    .filter(({ count }) => count > 0)
    .map(({ tool, count }) => `${tool === 'other' ? 'Other tools' : toolLabel(tool)}: ${count}`);
  if (!lines.length) return [];
  const unknown = reports.filter((r) => r.connection.tool === null).length;
  if (unknown) lines.push(`No tool recorded: ${unknown}`);
  return [{ type: 'section', text: { type: 'mrkdwn', text: `*By tool*\n${lines.join('\n')}` } }];
}

function section(title: string, reports: readonly ChannelEvaluation[]): KnownBlock[] {
  const listed = reports.slice(0, MAX_LISTED).map((r): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: statusLine(r) } }));
  const more =
    reports.length > MAX_LISTED
      ? [
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `and ${(reports.length - MAX_LISTED).toLocaleString('en-US')} more: \`/channels status\`` }],
          } as KnownBlock,
        ]
      : [];
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
    ...(listed.length ? listed : [{ type: 'section', text: { type: 'mrkdwn', text: '_None._' } } as KnownBlock]),
    ...more,
  ];
}

function adminSection({ failedDeliveries, missingSettings, checks }: HomeAdminNotes): KnownBlock[] {
  if (!failedDeliveries.length && !missingSettings.length && !checks) return [];
  const lines = [
    ...(checks ? [`${checks.ran < checks.expected ? ':warning:' : ':white_check_mark:'} ${checkHistoryLine(checks, SLACK_TIME)}`] : []),
    ...missingSettings.map((text) => `:warning: ${escapeMrkdwn(text)}`),
    ...failedDeliveries.slice(0, MAX_FAILED).map((f) => `:x: Not delivered (${escapeMrkdwn(f.channel)}): ${escapeMrkdwn(f.reason)}`),
    ...(failedDeliveries.length > MAX_FAILED ? [`and ${count(failedDeliveries.length - MAX_FAILED, 'more failed delivery', 'more failed deliveries')}`] : []),
    ...(failedDeliveries.length ? ['Fix the cause (e.g. invite the bot to the alert channel), then save *Settings*: failed deliveries are retried.'] : []),
  ];
  return [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'For admins' } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
  ];
}
