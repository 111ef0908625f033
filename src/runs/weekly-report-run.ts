/**
 * The weekly report's fire: once a week per workspace (its `reportDay` at `reportTime`, or at the
 * check time), claimed, kept alive and taken over through the coordinator like the daily check
 * (`report:<workspace>:<minute>`),
 * the report is assembled (src/services/weekly-report), its chart drawn (src/chart) and both handed
 * to a `ReportDelivery` (Slack: src/bot/delivery/report-delivery).
 */
import { DateTime } from 'luxon';
import { validateCheckTime } from '../rules/policy-validation';
import type { WeeklyReport } from '../rules/weekly-report';
import { WEEKDAYS, type Workspace } from '../domain';
import type { Logger } from '../logger';
import { weeklyReportOf } from '../services/weekly-report';
import type { Store } from '../store/store';
import type { FireOutcome } from './coordinator';

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

/** What a fire's run may tell its fire while it runs (the scheduler gives it; `channel-keeper report` has none). */
export interface ReportFire {
  /** The note a replica that ran this fire before left on it (it died mid-run), or null. */
  previousNote: string | null;
  /** Notes on the fire that posting begins; false when another replica has taken the fire over. */
  notePosting(note: string): Promise<boolean>;
}

const POSTING = 'posting to ';

/**
 * Assembles, draws and posts one workspace's report as of `at`; returns the fire's outcome.
 *
 * Not idempotent: Slack keeps no key for the report, so a second run would post it twice. The run
 * therefore notes on its fire just before posting (a conditional write: it fails once another
 * replica has taken the fire over, and then this run does not post). A replica that takes over a
 * fire whose run died after that note posts nothing: the report may be in the channel already, and
 * a missing report is put right by next week's, a duplicate is not. A run that died earlier (while
 * assembling, the long part) is simply run again.
 */
export async function sendWeeklyReport(deps: WeeklyReportDeps, workspaceId: string, at: Date, fire?: ReportFire): Promise<FireOutcome> {
  if (fire?.previousNote?.startsWith(POSTING)) {
    return { status: 'skipped', detail: `the replica that ran this fire stopped while ${fire.previousNote}; not posted again` };
  }
  const workspace = await deps.store.workspaces.findById(workspaceId);
  if (!workspace) return { status: 'skipped', detail: 'the workspace is gone' };
  const channel = workspace.alertChannel ?? deps.alertChannelFallback ?? null;
  if (!channel) return { status: 'skipped', detail: 'no alert channel (choose one with /channels settings)' };
  const report = await weeklyReportOf(deps, workspace, at);
  // Loaded when a report is sent, not by every serve that never sends one (resvg and the fonts: about 13 MB).
  const chart = (await import('../chart/deadline-chart')).deadlineChartPng(report);
  if (fire && !(await fire.notePosting(`${POSTING}${channel}`))) return { status: 'skipped', detail: 'another replica took this fire over' };
  const posted = await deps.delivery.postReport(workspace, report, chart, channel);
  return posted.ok
    ? { status: 'ok', detail: `posted to ${posted.channel} at ${posted.ts}${posted.fileId ? ` with chart ${posted.fileId}` : ''}` }
    : { status: 'failed', detail: posted.reason };
}
