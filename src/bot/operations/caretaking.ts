/**
 * What the owner, backups, team leaders and admins may do to a channel: record a refresh or the
 * owner's activity, snooze its warnings, add a backup. Each returns the note shown to the team.
 */
import { addDays } from '../../checks';
import type { Connection, IsoDate, Warning } from '../../domain';
import { ValidationError } from '../../errors';
import { assertMay } from '../authorize';
import { channelName, mention } from '../mrkdwn';
import { UsageError } from '../usage-error';
import { slackTime, type OperationContext } from './context';

export async function recordRefresh({ deps, workspace, actor }: OperationContext, c: Connection, on: IsoDate): Promise<string> {
  assertMay(actor, 'care', 'mark a channel refreshed', c);
  if (on < c.connectedAt) throw new ValidationError(`${on} is before ${c.name} was connected (${c.connectedAt}): a refresh cannot come first.`);
  const now = deps.now();
  const { changed } = await deps.store.connections.recordRefresh(workspace.id, c.id, on, actor.userId, now);
  if (!changed) throw new UsageError(`${channelName(c.name)} is already marked refreshed on ${on}: nothing changed.`);
  return `:white_check_mark: ${mention(actor.userId)} marked ${channelName(c.name)} refreshed on ${on} (${slackTime(now)}).`;
}

export async function recordActivity({ deps, workspace, actor }: OperationContext, c: Connection, on: IsoDate): Promise<string> {
  assertMay(actor, 'care', "record the owner's activity", c);
  const now = deps.now();
  const { changed } = await deps.store.connections.recordActivity(workspace.id, c.id, on, actor.userId, now);
  if (!changed) throw new UsageError(`The owner of ${channelName(c.name)} is already recorded active on ${on}: nothing changed.`);
  return `:white_check_mark: ${mention(actor.userId)} recorded the owner of ${channelName(c.name)} active on ${on} (${slackTime(now)}).`;
}

const DURATION = /^(\d{1,3})([hdw])$/;
/** "Until the next stage": a stage change gives the warning a new key, so the snooze ends with its stage. */
export const NEXT_STAGE = 'next';
export type SnoozeLength = number | typeof NEXT_STAGE;
const HOURS = { h: 1, d: 24, w: 24 * 7 } as const;
/** Alerting tools offer 1 hour to a week; a month is the most we allow before the warning returns. */
const MAX_SNOOZE_HOURS = 30 * 24;

export function parseSnooze(text: string | undefined): SnoozeLength {
  if (/^next([ _-]?stage)?$/.test(text?.trim().toLowerCase() ?? '')) return NEXT_STAGE;
  const match = DURATION.exec(text?.trim().toLowerCase() ?? '');
  const hours = match ? Number(match[1]) * HOURS[match[2] as keyof typeof HOURS] : 0;
  if (!match || hours < 1 || hours > MAX_SNOOZE_HOURS) {
    throw new UsageError('Snooze for how long? Use hours, days or weeks up to 30 days (`1d`, `7d`, `2w`, `12h`) or `next` (until the next stage): `/channels snooze <name> 7d`');
  }
  return hours;
}

export async function snoozeWarnings({ deps, workspace, actor }: OperationContext, c: Connection, length: SnoozeLength, warningIds?: number[]): Promise<string> {
  assertMay(actor, 'care', "snooze a channel's warnings", c);
  const now = deps.now();
  const open = await deps.store.warnings.listOpen(workspace.id, { connectionIds: [c.id] });
  const chosen = open.filter((w) => !warningIds?.length || warningIds.includes(w.id));
  if (!chosen.length) throw new UsageError(`${channelName(c.name)} has no open warnings to snooze.`);
  const untilOf = (w: Warning) => (length === NEXT_STAGE ? nextStageStarts(w, now) : new Date(now.getTime() + length * 3_600_000));
  await deps.store.transaction(async (tx) => {
    for (const w of chosen) await tx.warnings.snooze(workspace.id, [w.id], untilOf(w), actor.userId);
    const until = length === NEXT_STAGE ? NEXT_STAGE : untilOf(chosen[0]!).toISOString();
    await tx.audit.append({ workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, action: 'snooze', details: { until, warnings: chosen.length }, at: now });
  });
  const until = length === NEXT_STAGE ? 'its next stage' : slackTime(untilOf(chosen[0]!));
  return `:zzz: ${mention(actor.userId)} snoozed ${chosen.length} warning(s) of ${channelName(c.name)} until ${until}.`;
}

/**
 * When a warning's stage is over: by its due date every stage has moved on (and the new stage is a
 * new row); a daily `expired` reminder's stage is its day, so that one returns tomorrow.
 */
function nextStageStarts(w: Warning, now: Date): Date {
  const dayAfter = (date: IsoDate) => new Date(`${addDays(date, 1)}T00:00:00Z`);
  const afterDue = dayAfter(w.dueAt);
  const tomorrow = dayAfter(now.toISOString().slice(0, 10));
  return afterDue > tomorrow ? afterDue : tomorrow;
}

export async function addBackup({ deps, workspace, actor }: OperationContext, c: Connection, userId: string): Promise<string> {
  assertMay(actor, 'care', 'add a backup admin', c);
  await deps.store.connections.addBackup(workspace.id, c.id, userId, actor.userId, deps.now());
  return `:busts_in_silhouette: ${mention(actor.userId)} added ${mention(userId)} as a backup admin of ${channelName(c.name)} (${slackTime(deps.now())}).`;
}

export async function removeBackup({ deps, workspace, actor }: OperationContext, c: Connection, userId: string): Promise<string> {
  // Removing a safety net is a lead's call, unlike adding one.
  assertMay(actor, 'lead', 'remove a backup admin', c);
  await deps.store.connections.removeBackup(workspace.id, c.id, userId, actor.userId, deps.now());
  return `${mention(actor.userId)} removed ${mention(userId)} as a backup admin of ${channelName(c.name)} (${slackTime(deps.now())}).`;
}
