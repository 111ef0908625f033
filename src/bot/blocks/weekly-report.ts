/** The weekly report as a Slack message: the same lines as the CLI prints, in mrkdwn. */
import type { KnownBlock } from '@slack/types';
import { reportLines, type ReportStyle, type WeeklyReport } from '../../rules/weekly-report';
import { escapeMrkdwn, escapeName, escapeText, mention, truncate } from '../mrkdwn';
import { SLACK_TIME } from './slack-date';
import type { SlackMessage } from './warning-message';

/** A section's text may hold 3000 characters: the lines go into as many sections as they need. */
const SECTION_MAX = 2900;

const SLACK_STYLE: ReportStyle = {
  bold: (text) => `*${escapeMrkdwn(text)}*`,
  person: (userId) => mention(userId),
  channel: (name) => `*${escapeName(truncate(name, 80))}*`,
  time: SLACK_TIME,
  // Every line fits a section of its own, so no section is ever cut in the middle of a name.
  lineMax: SECTION_MAX,
};

export function buildWeeklyReportMessage(report: WeeklyReport): SlackMessage {
  const blocks: KnownBlock[] = [];
  let chunk: string[] = [];
  const flush = () => {
    const text = chunk.join('\n').trim();
    if (text) blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    chunk = [];
  };
  for (const line of reportLines(report, SLACK_STYLE)) {
    // A blank line starts a new part; a part longer than a section is cut into several.
    if (line === '' || chunk.join('\n').length + line.length + 1 > SECTION_MAX) flush();
    if (line !== '') chunk.push(line);
  }
  flush();
  return { text: escapeText(`Weekly channel report: ${report.workspaceName ?? report.workspaceId}, week to ${report.today}`), blocks: blocks.slice(0, 50) };
}

export function chartFileName(report: WeeklyReport): string {
  return `channel-deadlines-${report.today}.png`;
}

/** What a screen reader says for the chart. */
export function chartAltText(report: WeeklyReport): string {
  const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const counts = report.weeks.map((w) => sum(w.counts));
  return `Bar chart of channel deadlines: ${sum(report.overdueCounts)} overdue, then per week for 12 weeks from ${report.today}: ${counts.join(', ')}.`;
}
