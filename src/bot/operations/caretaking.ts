/**
 * What the owner, backups, team leaders and admins may do to a channel: record a refresh or the
 * owner's activity, snooze its warnings, add a backup. Each returns the note shown to the team.
 */
import type { Connection, IsoDate } from '../../domain';
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
const HOURS = { h: 1, d: 24, w: 24 * 7 } as const;
/** Alerting tools offer 1 hour to a week; a month is the most we allow before the warning returns. */
const MAX_SNOOZE_HOURS = 30 * 24;

export function parseSnooze(text: string | undefined): number {
  const match = DURATION.exec(text?.trim().toLowerCase() ?? '');
  const hours = match ? Number(match[1]) * HOURS[match[2] as keyof typeof HOURS] : 0;
  if (!match || hours < 1 || hours > MAX_SNOOZE_HOURS) {
    throw new UsageError('Snooze for how long? Use hours, days or weeks up to 30 days, e.g. `1d`, `7d`, `2w` or `12h`: `/channels snooze <name> 7d`');
  }
  return hours;
}

export async function snoozeWarnings({ deps, workspace, actor }: OperationContext, c: Connection, hours: number, warningIds?: number[]): Promise<string> {
  assertMay(actor, 'care', "snooze a channel's warnings", c);
  const now = deps.now();
  const open = await deps.store.warnings.listOpen(workspace.id, { connectionIds: [c.id] });
  const ids = open.map((w) => w.id).filter((id) => !warningIds?.length || warningIds.includes(id));
  if (!ids.length) throw new UsageError(`${channelName(c.name)} has no open warnings to snooze.`);
  const until = new Date(now.getTime() + hours * 3_600_000);
  await deps.store.transaction(async (tx) => {
    await tx.warnings.snooze(workspace.id, ids, until, actor.userId);
    await tx.audit.append({ workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, action: 'snooze', details: { until: until.toISOString(), warnings: ids.length }, at: now });
  });
  return `:zzz: ${mention(actor.userId)} snoozed ${ids.length} warning(s) of ${channelName(c.name)} until ${slackTime(until)}.`;
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
