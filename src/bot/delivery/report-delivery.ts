/**
 * Posts the weekly report to the alert channel: the message, then its chart through Slack's
 * files.uploadV2 flow (files.getUploadURLExternal → upload to the returned URL →
 * files.completeUploadExternal, which shares it into the channel). @slack/web-api's
 * `filesUploadV2` runs the three steps; the bot needs the `files:write` scope (manifest.yml).
 */
import type { WebClient } from '@slack/web-api';
import type { WeeklyReport } from '../../rules/weekly-report';
import type { Workspace } from '../../domain';
import type { Logger } from '../../logger';
import type { ReportDelivery, ReportPosted } from '../../runs/weekly-report-run';
import { buildWeeklyReportMessage, chartAltText, chartFileName } from '../blocks/weekly-report';
import { classifySlackError } from './slack-errors';

export interface ChartUpload {
  /** Where the file is shared: a channel, or a DM's `D…` id. */
  channelId: string;
  chart: Buffer;
  report: WeeklyReport;
  /** Shown with the file. */
  comment?: string;
}

/** Uploads the chart and shares it into `channelId`; returns Slack's file id (null if Slack named none). */
export async function uploadChart(client: WebClient, upload: ChartUpload): Promise<string | null> {
  const answer = (await client.filesUploadV2({
    channel_id: upload.channelId,
    file: upload.chart,
    filename: chartFileName(upload.report),
    title: `Deadlines per week from ${upload.report.today}`,
    alt_text: chartAltText(upload.report),
    ...(upload.comment ? { initial_comment: upload.comment } : {}),
  })) as { files?: { files?: { id?: string }[] }[] };
  return answer.files?.[0]?.files?.[0]?.id ?? null;
}

export class SlackReportDelivery implements ReportDelivery {
  /** `client`: one client, or (multi-workspace mode) the workspace's own, given its id. */
  constructor(
    private readonly client: WebClient | ((workspaceId: string) => WebClient),
    private readonly logger: Logger,
  ) {}

  async postReport(workspace: Workspace, report: WeeklyReport, chart: Buffer, channel: string): Promise<ReportPosted> {
    const message = buildWeeklyReportMessage(report);
    const client = typeof this.client === 'function' ? this.client(workspace.id) : this.client;
    let ts: string;
    try {
      const answer = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
      if (!answer.ts) return { ok: false, reason: 'Slack answered without a message ts' };
      ts = answer.ts;
    } catch (error) {
      return { ok: false, reason: describe(error, channel) };
    }
    try {
      // The chart follows the message, in the channel (not a thread), where the team looks.
      return { ok: true, channel, ts, fileId: await uploadChart(client, { channelId: channel, chart, report }) };
    } catch (error) {
      // The numbers are out; a chart that could not follow is logged, not a reason to post again.
      this.logger.warn({ workspace: workspace.id, channel, err: describe(error, channel) }, 'weekly report posted without its chart');
      return { ok: true, channel, ts, fileId: null };
    }
  }
}

function describe(error: unknown, channel: string): string {
  const failure = classifySlackError(error, channel);
  return failure.kind === 'permanent' ? failure.reason : failure.detail;
}
