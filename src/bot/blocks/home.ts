/**
 * App Home: counts by health, what is overdue, deadlines in the next 30 days (a past date is never
 * one of those), channels I own or back up.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import { checkHistoryLine, type CheckHistory } from '../../rules/check-history';
import { toolLabel } from '../../rules/advice';
import { HEALTHS, TOOLS, type Health, type Tool } from '../../domain';
import type { ChannelEvaluation } from '../evaluation-cache';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { ACTION } from '../interactions';
import { healthLabel } from './health-label';
import { SLACK_TIME } from './slack-date';
import { statusLine } from './status-page';
import { count } from '../../words';

/** Per section: three sections of 15 stay within App Home's 100 blocks. */
export const MAX_LISTED = 15;

/** What only admins see: deliveries that failed and settings still missing. */
export interface HomeAdminNotes {
  failedDeliveries: { channel: string; reason: string }[];
  missingSettings: string[];
  /** Whether the scheduled checks ran this week: a stopped bot must not look like a quiet week. */
  checks?: CheckHistory;
}

const MAX_FAILED = 5;

/** A list's first reports (most urgent first) and how many it holds in all. */
export interface HomeList {
  reports: readonly ChannelEvaluation[];
  count: number;
}

/** What App Home shows of the channels in use: counts, and the first of each list. */
export interface HomeContent {
  total: number;
  byHealth: ReadonlyMap<Health, number>;
  /** `null`: no tool recorded. */
  byTool: ReadonlyMap<Tool | null, number>;
  overdue: HomeList;
  /** Nothing overdue, and a date within 30 days (an owner gone is to be acted on today). */
  soon: HomeList;
  /** Owned or backed up by the person looking. */
  mine: HomeList;
}

export function buildHome({ total, byHealth, byTool, overdue, soon, mine }: HomeContent, admin?: HomeAdminNotes): HomeView {
  const counts = HEALTHS.map((h) => `${healthLabel(h)}: ${byHealth.get(h) ?? 0}`).join('\n');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Channel Keeper' } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${count(total, 'channel')}*\n${counts}` } },
    ...toolCounts(byTool),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        { type: 'button', action_id: ACTION.openAddChannel, text: { type: 'plain_text', text: 'Add a channel' }, value: 'home' },
        { type: 'button', action_id: ACTION.openSettings, text: { type: 'plain_text', text: 'Settings' }, value: 'home' },
      ],
    },
    ...(admin ? adminSection(admin) : []),
    ...section(`Overdue (${overdue.count.toLocaleString('en-US')})`, overdue),
    ...section(`Deadlines in the next 30 days (${soon.count.toLocaleString('en-US')})`, soon),
    ...section(`Channels I own or back up (${mine.count.toLocaleString('en-US')})`, mine),
  ];
  return { type: 'home', blocks };
}

/** How many channels each management tool holds (only the tools in use, then those with none recorded). */
function toolCounts(byTool: ReadonlyMap<Tool | null, number>): KnownBlock[] {
  const lines = TOOLS.map((tool) => ({ tool, count: byTool.get(tool) ?? 0 }))
    .filter(({ count }) => count > 0)
    .map(({ tool, count }) => `${tool === 'other' ? 'Other tools' : toolLabel(tool)}: ${count}`);
  if (!lines.length) return [];
  const unknown = byTool.get(null) ?? 0;
  if (unknown) lines.push(`No tool recorded: ${unknown}`);
  return [{ type: 'section', text: { type: 'mrkdwn', text: `*By tool*\n${lines.join('\n')}` } }];
}

function section(title: string, { reports, count: total }: HomeList): KnownBlock[] {
  const listed = reports.slice(0, MAX_LISTED).map((r): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: statusLine(r) } }));
  const more =
    total > MAX_LISTED
      ? [
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `and ${(total - MAX_LISTED).toLocaleString('en-US')} more: \`/channels status\`` }],
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
