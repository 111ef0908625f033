/** `/channels status`: one page of channels, most urgent first, within Block Kit's 50-block limit. */
import type { KnownBlock } from '@slack/types';
import { networkLabel } from '../../rules/advice';
import type { Health } from '../../domain';
import type { ChannelEvaluation } from '../evaluation-cache';
import { channelName, escapeMrkdwn, escapeName, mention, truncate } from '../mrkdwn';
import { ACTION, CODEC } from '../interactions';
import { healthLabel } from './health-label';

export const STATUS_PAGE_SIZE = 20;

export interface StatusPageInput {
  /** Every matching report, sorted; the page is cut here. */
  reports: readonly ChannelEvaluation[];
  page: number;
  /** What the person asked for (`at-risk`, a network, a mention), for the title and the next page. */
  filter: string;
  title: string;
}

export function buildStatusPage({ reports, page, filter, title }: StatusPageInput): KnownBlock[] {
  const pages = Math.max(1, Math.ceil(reports.length / STATUS_PAGE_SIZE));
  const slice = reports.slice(page * STATUS_PAGE_SIZE, (page + 1) * STATUS_PAGE_SIZE);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: countsLine(reports, page, pages) }] },
  ];
  if (!slice.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No channels match. Add one with `/channels add`.' } });
  for (const report of slice) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: statusLine(report) } });
  if (page + 1 < pages) {
    blocks.push({
      type: 'actions',
      block_id: 'status_pages',
      elements: [
        {
          type: 'button',
          action_id: ACTION.nextPage,
          text: { type: 'plain_text', text: `Next page (${page + 2} of ${pages})` },
          value: CODEC.page.encode({ list: 'status', filter, page: page + 1 }),
        },
      ],
    });
  }
  return blocks;
}

function countsLine(reports: readonly ChannelEvaluation[], page: number, pages: number): string {
  const counts = new Map<Health, number>();
  for (const r of reports) counts.set(r.summary.health, (counts.get(r.summary.health) ?? 0) + 1);
  const parts = [...counts.entries()].map(([health, n]) => `${healthLabel(health)}: ${n}`);
  return truncate(`${reports.length} channel${reports.length === 1 ? '' : 's'} · ${parts.join(' · ')} · page ${page + 1} of ${pages}`, 2000);
}

/** One channel: health, name, network, next deadline, owner and what to do first. */
export function statusLine({ connection, summary, problems }: ChannelEvaluation): string {
  const head = `${healthLabel(summary.health)}  ${channelName(connection.name)} · ${networkLabel(connection.network)}`;
  const deadline = summary.nextDeadline ? `next deadline ${summary.nextDeadline}` : 'no deadline';
  const facts = `${deadline} · owner ${mention(connection.ownerId)}`;
  const todo = problems.length
    ? `:warning: Cannot judge this channel: ${escapeMrkdwn(problems.join('; '))}. Fix it with \`/channels edit\`.`
    : summary.nextStep
      ? `${escapeName(summary.findings[0]!.message)}\n_What to do:_ ${escapeMrkdwn(truncate(summary.nextStep, 400))}`
      : 'Nothing to do.';
  return truncate(`${head}\n${facts}\n${truncate(todo, 600)}`, 3000);
}
