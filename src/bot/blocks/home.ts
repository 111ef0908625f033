/** App Home: counts by health, deadlines in the next 30 days, channels I own or back up. */
import type { HomeView, KnownBlock } from '@slack/types';
import { addDays } from '../../checks';
import { HEALTHS, type IsoDate } from '../../domain';
import type { ChannelReport } from '../health-report';
import { truncate } from '../mrkdwn';
import { ACTION } from './action-ids';
import { healthLabel } from './health-label';
import { statusLine } from './status-page';

const MAX_LISTED = 15;

export function buildHome(reports: readonly ChannelReport[], userId: string, today: IsoDate): HomeView {
  const counts = HEALTHS.map((h) => `${healthLabel(h)}: ${reports.filter((r) => r.summary.health === h).length}`).join('\n');
  const horizon = addDays(today, 30);
  const soon = reports.filter((r) => r.summary.nextDeadline !== null && r.summary.nextDeadline <= horizon);
  const mine = reports.filter((r) => r.connection.ownerId === userId || r.connection.backups.some((b) => b.userId === userId));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Channel Keeper' } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${reports.length} channels*\n${counts}` } },
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        { type: 'button', action_id: ACTION.openAddChannel, text: { type: 'plain_text', text: 'Add a channel' }, value: 'home' },
        { type: 'button', action_id: ACTION.openSettings, text: { type: 'plain_text', text: 'Settings' }, value: 'home' },
      ],
    },
    ...section(`Deadlines in the next 30 days (${soon.length})`, soon),
    ...section(`Channels I own or back up (${mine.length})`, mine),
  ];
  return { type: 'home', blocks };
}

function section(title: string, reports: readonly ChannelReport[]): KnownBlock[] {
  const listed = reports.slice(0, MAX_LISTED).map((r): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: statusLine(r) } }));
  const more = reports.length > MAX_LISTED ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${reports.length - MAX_LISTED} more: \`/channels status\`` }] } as KnownBlock] : [];
  return [{ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } }, ...(listed.length ? listed : [{ type: 'section', text: { type: 'mrkdwn', text: '_None._' } } as KnownBlock]), ...more];
}
