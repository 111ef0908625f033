/**
 * `/channels report`: the weekly report now, for the asker alone. An ephemeral message cannot carry
 * a file, so the chart goes to the asker's DM with the bot (files.uploadV2 into that DM) and the
 * ephemeral text says so. Not shared into the channel the command came from: the asker asked for
 * it privately, the people there did not, and the bot may not even be a member of that channel.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Member, Workspace } from '../domain';
import { weeklyReportOf } from '../services/weekly-report';
import { buildWeeklyReportMessage } from './blocks/weekly-report';
import type { BotDeps } from './deps';
import { uploadChart } from './delivery/report-delivery';
import { classifySlackError } from './delivery/slack-errors';

export async function answerReport(
  deps: BotDeps,
  workspace: Workspace,
  actor: Member,
  client: WebClient,
  ephemeral: (text: string, blocks?: KnownBlock[]) => Promise<void>,
): Promise<void> {
  const report = await weeklyReportOf(deps, workspace, deps.now());
  const message = buildWeeklyReportMessage(report);
  let note: string;
  try {
    // A post to a user id lands in the bot's DM with them and names that DM: no im:write needed.
    const dm = await client.chat.postMessage({ channel: actor.userId, text: `The deadline chart of the report you asked for (${report.today}):` });
    if (!dm.channel) throw new Error('Slack named no DM channel');
    await uploadChart(client, { channelId: dm.channel, chart: (await import('../chart/deadline-chart')).deadlineChartPng(report), report });
    note = ':bar_chart: The chart of deadlines per week is in your DM with me.';
  } catch (error) {
    const failure = classifySlackError(error, actor.userId);
    deps.logger.warn({ workspace: workspace.id, err: failure.kind === 'permanent' ? failure.code : failure.detail }, 'report chart not sent to the DM');
    note = ':warning: I could not send you the chart (Slack refused the upload); the numbers above are complete. `channel-keeper report --png` writes it too.';
  }
  await ephemeral(message.text, [...message.blocks.slice(0, 49), { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }]);
}
