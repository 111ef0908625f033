/** `/channels status`: one page of channels, most urgent first, within Block Kit's 50-block limit. */
import type { KnownBlock } from '@slack/types';
import { networkLabel } from '../../rules/advice';
import { HEALTHS, type Health } from '../../domain';
import type { ChannelEvaluation } from '../evaluation-cache';
import { escapeMrkdwn, escapeName, mention, truncate } from '../mrkdwn';
import { ACTION, CODEC } from '../interactions';
import { count } from '../../words';
import { mergeByAction } from '../../outbox/merge-items';
import { datesLine, healthLabel } from './health-label';
import { truncateAtWord } from './warning-format';

export const STATUS_PAGE_SIZE = 20;

export interface StatusPageInput {
  /** The page's reports, most urgent first. */
  reports: readonly ChannelEvaluation[];
  /** How many channels match, and how many of each health. */
  total: number;
  byHealth: ReadonlyMap<Health, number>;
  page: number;
  /** What the person asked for (`at-risk`, a network, a mention), for the title and the next page. */
  filter: string;
  title: string;
  /** Per channel id: where its state is read from and what was observed ("Hootsuite: reconnect needed"). */
  badges?: ReadonlyMap<number, string>;
}

export function buildStatusPage({ reports, total, byHealth, page, filter, title, badges }: StatusPageInput): KnownBlock[] {
  const pages = Math.max(1, Math.ceil(total / STATUS_PAGE_SIZE));
  const slice = reports.slice(0, STATUS_PAGE_SIZE);
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: countsLine(total, byHealth, page, pages) }] },
  ];
  if (!slice.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No channels match. Add one with `/channels add`.' } });
  for (const report of slice) {
    const badge = badges?.get(report.connection.id);
    const line = statusLine(report);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: badge ? truncateAtWord(`${line}\n${badge}`, 3000) : line } });
  }
  const after = total - (page + 1) * STATUS_PAGE_SIZE;
  if (after > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${after.toLocaleString('en-US')} more` }] });
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

/** The healths present, worst first. */
function countsLine(total: number, byHealth: ReadonlyMap<Health, number>, page: number, pages: number): string {
  const parts = [...HEALTHS]
    .reverse()
    .filter((health) => (byHealth.get(health) ?? 0) > 0)
    .map((health) => `${healthLabel(health)}: ${byHealth.get(health)}`);
  return truncate(`${count(total, 'channel')} · ${parts.join(' · ')} · page ${page + 1} of ${pages}`, 2000);
}

/**
 * One channel: health, name, network, its dates (what is overdue since when, when its token ends,
 * what is due next), owner and what to do first (findings one fix settles read as one).
 */
export function statusLine({ connection, summary, problems }: ChannelEvaluation): string {
  const head = `${healthLabel(summary.health)}  *${escapeName(truncateAtWord(connection.name, 200))}* · ${networkLabel(connection.network)}`;
  const facts = `${datesLine(summary)} · owner ${mention(connection.ownerId)}`;
  const [first] = mergeByAction(summary.findings.map((finding) => ({ connection, finding, warning: null })));
  const todo = problems.length
    ? `:warning: Cannot judge this channel: ${escapeMrkdwn(problems.join('; '))}. Fix it with \`/channels edit\`.`
    : first
      ? `${escapeName(truncateAtWord(first.finding.message, 400))}\n_What to do:_ ${escapeMrkdwn(truncateAtWord(first.finding.advice, 400))}`
      : 'Nothing to do.';
  return truncateAtWord(`${head}\n${facts}\n${truncateAtWord(todo, 1200)}`, 3000);
}
