/**
 * Whether the scheduled checks ran (src/rules/check-history.ts has the rules): the "checks ran N of
 * N days" line of App Home and the weekly report, and the notice to admins after a gap of more than
 * a day with no replica running, told once per gap across restarts and replicas.
 */
import { checkHistory, CHECK_HISTORY_DAYS, missedChecks, type CheckFire, type CheckHistory, type MissedChecks } from '../rules/check-history';
import type { Workspace } from '../domain';
import type { ServiceDeps } from './deps';

/** The workspace's last week of scheduled checks, as of `at`. */
export async function checkHistoryOf(deps: Pick<ServiceDeps, 'store'>, workspace: Workspace, at: Date): Promise<CheckHistory> {
  // A day more than the week: a fire caught up late on the window's first day still started after it.
  const fires = await deps.store.scheduler.checkFires(workspace.id, new Date(at.getTime() - (CHECK_HISTORY_DAYS + 1) * 86_400_000));
  const history = checkHistory(fires, scheduleOf(workspace, fires), at);
  if (history.lastCheck) return history;
  // None in the week: the last check ever (a bot stopped for weeks shows when it last checked).
  const last = await deps.store.scheduler.latestCheckFire(workspace.id, at, { ok: true });
  return { ...history, lastCheck: last?.finishedAt ?? null };
}

/**
 * When checks were due: from the workspace's creation, or its first recorded check if that is
 * earlier (a workspace whose rows were moved keeps the history of its checks).
 */
function scheduleOf(workspace: Workspace, fires: readonly CheckFire[]) {
  const first = fires.reduce((min, f) => (f.scheduledAt < min ? f.scheduledAt : min), workspace.createdAt);
  return { checkTime: workspace.checkTime, timeZone: workspace.timeZone, since: first };
}

/** Tells a workspace's admins which checks were missed; `serve` wires it to the admin notices of its Slack delivery. */
export type TellAdminsOfMissedChecks = (workspace: Workspace, missed: MissedChecks) => Promise<unknown>;

/** The key recording that a gap was told: unique, so one replica, once, across restarts. */
export function missedChecksKey(workspaceId: string, missed: MissedChecks): string {
  return `missed:${workspaceId}:${missed.after.toISOString()}`;
}

/**
 * At `serve`'s start: for each installed workspace, the checks due since its last scheduled check
 * recorded before `startedAt` (so the catch-up this start runs does not hide the gap); more than a
 * day of them is told to its admins, once per gap. Returns the gaps this call told.
 */
export async function tellMissedChecks(
  deps: Pick<ServiceDeps, 'store' | 'now' | 'logger'>,
  { startedAt, holder, tell }: { startedAt: Date; holder: string; tell: TellAdminsOfMissedChecks },
): Promise<{ workspaceId: string; missed: MissedChecks }[]> {
  const told: { workspaceId: string; missed: MissedChecks }[] = [];
  for (const workspace of await deps.store.workspaces.list()) {
    try {
      const last = await deps.store.scheduler.latestCheckFire(workspace.id, startedAt);
      const missed = missedChecks(last?.scheduledAt ?? null, scheduleOf(workspace, last ? [last] : []), startedAt);
      if (!missed) continue;
      const key = missedChecksKey(workspace.id, missed);
      if (!(await deps.store.scheduler.claimFire(key, holder, deps.now()))) continue;
      // Finished at once: a row left unfinished would look like a fire whose replica died.
      await deps.store.scheduler.finishFire(key, `ok: ${missed.days} checks missed since ${missed.since.toISOString()}`, deps.now());
      await tell(workspace, missed);
      told.push({ workspaceId: workspace.id, missed });
      deps.logger?.warn({ workspace: workspace.id, days: missed.days, since: missed.since }, 'checks were missed while no replica ran: admins told');
    } catch (error) {
      deps.logger?.warn({ workspace: workspace.id, err: (error as Error).message }, 'could not tell admins of missed checks');
    }
  }
  return told;
}
