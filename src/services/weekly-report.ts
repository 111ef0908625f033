/**
 * The weekly report of a workspace as of an instant (docs/rules.md, "The weekly report"): loads the
 * channels, today's findings, the week's warnings and audit events, and hands them to the pure
 * `buildWeeklyReport`. Read-only, so it needs no permission: anyone in the workspace may ask for it
 * (`/channels report`), the CLI is trusted, and the scheduler posts it to the alert channel.
 */
import { buildWeeklyReport, REPORT_WEEK_DAYS, type WeeklyReport } from '../rules/weekly-report';
import { REPORTED_ACTIONS, type Workspace } from '../domain';
import { NotFoundError } from '../errors';
import { checkHistoryOf } from './check-history';
import type { ServiceDeps } from './deps';
import { deadlinesOf, evaluateWorkspace } from './evaluation';

export async function weeklyReportOf(deps: Pick<ServiceDeps, 'store'>, workspace: Workspace, at: Date): Promise<WeeklyReport> {
  const { store } = deps;
  const since = new Date(at.getTime() - REPORT_WEEK_DAYS * 86_400_000);
  const [evaluation, members, warnings, events, checks] = await Promise.all([
    evaluateWorkspace(deps, workspace, at),
    store.members.list(workspace.id),
    store.reports.warningsOpenDuring(workspace.id, since, at),
    store.reports.auditBetween(workspace.id, since, at, Object.values(REPORTED_ACTIONS)),
    checkHistoryOf(deps, workspace, at),
  ]);
  const { today, connections, findings } = evaluation;
  // Retired channels give no findings and no deadlines: the report counts them apart.
  const deadlines = deadlinesOf(evaluation, connections);
  return buildWeeklyReport({
    workspace,
    at,
    today,
    connections,
    findings,
    deadlines,
    warnings,
    events,
    names: new Map(members.map((m) => [m.userId, m.name])),
    checks,
  });
}

/** By workspace id (the CLI and the scheduler); a clear error when there is no such workspace. */
export async function weeklyReport(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  workspaceId: string,
  at: Date = deps.now(),
): Promise<{ workspace: Workspace; report: WeeklyReport }> {
  const workspace = await deps.store.workspaces.findById(workspaceId);
  if (!workspace) {
    throw new NotFoundError(
      `no workspace with id ${workspaceId}: check the id (a workspace exists once the bot is installed there or a file was imported into it)`,
    );
  }
  return { workspace, report: await weeklyReportOf(deps, workspace, at) };
}
