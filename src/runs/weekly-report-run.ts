/**
 * The weekly report's fire: once a week per workspace (its `reportDay` at `reportTime`, or at the
 * check time), claimed through the coordinator like the daily check (`report:<workspace>:<minute>`),
 * the report is assembled (src/services/weekly-report), its chart drawn (src/chart) and both handed
 * to a `ReportDelivery` (Slack: src/bot/delivery/report-delivery).
 */
import { DateTime } from 'luxon';
import { deadlineChartPng } from '../chart/deadline-chart';
import { validateCheckTime } from '../checks';
import type { WeeklyReport } from '../checks';
import { WEEKDAYS, type Workspace } from '../domain';
import type { Logger } from '../logger';
import { weeklyReportOf } from '../services/weekly-report';
import type { Store } from '../store/store';

export type ReportPosted = { ok: true; channel: string; ts: string; fileId: string | null } | { ok: false; reason: string };

export interface ReportDelivery {
  /** Posts the report and its chart (PNG bytes) to `channel`; never throws for a Slack refusal. */
  postReport(workspace: Workspace, report: WeeklyReport, chart: Buffer, channel: string): Promise<ReportPosted>;
}

/** No Slack configured: the report is logged (its numbers), not posted. */
export class LogReportDelivery implements ReportDelivery {
  constructor(private readonly logger: Logger) {}

  async postReport(workspace: Workspace, report: WeeklyReport, chart: Buffer, channel: string): Promise<ReportPosted> {
    this.logger.info(
      { workspace: workspace.id, channel, health: report.health, deadlines: report.deadlines.length, chartBytes: chart.length },
      'weekly report (no Slack configured: not posted)',
    );
    return { ok: false, reason: 'no Slack configured' };
  }
}

export function reportTaskName(workspaceId: string): string {
  return `report:${workspaceId}`;
}

/** `M H * * D` for the workspace's report day and time; null when the report is off. */
export function reportCronExpression(workspace: Pick<Workspace, 'reportDay' | 'reportTime' | 'checkTime'>): string | null {
  if (workspace.reportDay === 'off') return null;
  const time = validateCheckTime(workspace.reportTime ?? workspace.checkTime);
  if (!time.ok) throw new RangeError(time.errors.map((e) => e.message).join('; '));
  const [hours, minutes] = time.value.split(':').map(Number);
  // cron counts Sunday as 0; WEEKDAYS starts on Monday.
  return `${minutes} ${hours} * * ${(WEEKDAYS.indexOf(workspace.reportDay) + 1) % 7}`;
}

/** The latest instant, at or before `now`, that a weekly `M H * * D` expression fires at in `zone`. */
export function latestWeeklyFireTime(expression: string, zone: string, now: Date): Date {
  const [minute, hour, , , day] = expression.split(' ').map(Number);
  const local = DateTime.fromJSDate(now, { zone });
  let fire = local.set({ weekday: (day === 0 ? 7 : day!) as 1 | 2 | 3 | 4 | 5 | 6 | 7, hour, minute, second: 0, millisecond: 0 });
  if (fire > local) fire = fire.minus({ weeks: 1 }).set({ hour, minute });
  return fire.toJSDate();
}

export interface WeeklyReportDeps {
  store: Store;
  delivery: ReportDelivery;
  /** SLACK_ALERT_CHANNEL, for workspaces that have not chosen one. */
  alertChannelFallback?: string | null;
}

/** Assembles, draws and posts one workspace's report as of `at`; returns the fire's outcome line. */
export async function sendWeeklyReport(deps: WeeklyReportDeps, workspaceId: string, at: Date): Promise<string> {
  const workspace = await deps.store.workspaces.findById(workspaceId);
  if (!workspace) return 'skipped: the workspace is gone';
  const channel = workspace.alertChannel ?? deps.alertChannelFallback ?? null;
  if (!channel) return 'skipped: no alert channel (choose one with /channels settings)';
  const report = await weeklyReportOf(deps, workspace, at);
  const posted = await deps.delivery.postReport(workspace, report, deadlineChartPng(report.weeks), channel);
  return posted.ok ? `ok: posted to ${posted.channel} at ${posted.ts}${posted.fileId ? ` with chart ${posted.fileId}` : ''}` : `failed: ${posted.reason}`;
}
