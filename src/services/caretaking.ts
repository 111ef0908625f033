/**
 * What the owner, backups, team leaders and admins may do to a channel: record a refresh or the
 * owner's activity, snooze its warnings, add a backup (removing one is a lead's call).
 */
import { addDays, todayIn } from '../rules/calendar';
import type { Connection, FindingKind, IsoDate, Warning } from '../domain';
import { ValidationError } from '../errors';
import { changeConnection, settleAndAudit, type ChangeOf, type Recorded } from './connection-change';
import type { Acting, ChannelChange, ServiceDeps, Store } from './deps';
import { assertMay } from './permissions';

/**
 * Which open warnings a recorded date settles: a refresh starts a new token cycle (its expiry,
 * refresh and inactivity warnings end with the old one); the owner's activity ends inactivity only.
 */
export const SETTLED_BY: Record<'refresh' | 'activity', readonly FindingKind[]> = {
  refresh: ['expiry', 'data_access', 'refresh_due', 'inactivity'],
  activity: ['inactivity'],
};

/** The workspace's local date now: "Mark refreshed" means today where the team is. */
export function todayOf(deps: Pick<ServiceDeps, 'now'>, workspace: Acting['workspace']): IsoDate {
  return todayIn(deps.now(), workspace.timeZone);
}

export interface DateRecorded extends ChannelChange {
  on: IsoDate;
}

export async function recordRefresh(
  deps: ServiceDeps,
  { workspace, actor }: Acting,
  c: Connection,
  on: IsoDate = todayOf(deps, workspace),
): Promise<DateRecorded> {
  assertMay(actor, 'care', 'mark a channel refreshed', c);
  if (on < c.connectedAt) throw new ValidationError(`${on} is before ${c.name} was connected (${c.connectedAt}): a refresh cannot come first.`);
  const at = deps.now();
  const change = await writeRefresh(deps.store, { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at }, on);
  return { ...change, on, at };
}

/** A refresh on `on`, with what it settles; recording the date already on record writes nothing. The demo records through it too. */
export function writeRefresh(store: Store, change: ChangeOf, on: IsoDate): Promise<Recorded> {
  return changeConnection(store, change, { lastRefreshedAt: on }, 'connection.refresh', { on }, SETTLED_BY.refresh, 'lastRefreshedAt');
}

export async function recordActivity(
  deps: ServiceDeps,
  { workspace, actor }: Acting,
  c: Connection,
  on: IsoDate = todayOf(deps, workspace),
): Promise<DateRecorded> {
  assertMay(actor, 'care', "record the owner's activity", c);
  const at = deps.now();
  const who = { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at };
  const change = await changeConnection(deps.store, who, { ownerLastActiveAt: on }, 'connection.activity', { on }, SETTLED_BY.activity, 'ownerLastActiveAt');
  return { ...change, on, at };
}

/** "Until the next stage": a stage change gives the warning a new key, so the snooze ends with its stage. */
export const NEXT_STAGE = 'next';
/** Hours, or until the warning's next stage. */
export type SnoozeLength = number | typeof NEXT_STAGE;
/** Alerting tools offer 1 hour to a week; a month is the most we allow before the warning returns. */
export const MAX_SNOOZE_HOURS = 30 * 24;

export interface Snoozed {
  connection: Connection;
  /** Empty: the channel had no open warning to snooze (nothing was written). */
  snoozed: Warning[];
  /** When the first snoozed warning returns, or `next` (each at its next stage). */
  until: Date | typeof NEXT_STAGE;
  at: Date;
}

/** How long Slack lets a signed request be replayed (its timestamp may be five minutes old). */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export async function snoozeWarnings(
  deps: ServiceDeps,
  { workspace, actor }: Acting,
  c: Connection,
  length: SnoozeLength,
  warningIds?: readonly number[],
): Promise<Snoozed> {
  assertMay(actor, 'care', "snooze a channel's warnings", c);
  const at = deps.now();
  const open = await deps.store.warnings.listOpen(workspace.id, { connectionIds: [c.id] });
  const chosen = open.filter((w) => !warningIds?.length || warningIds.includes(w.id));
  if (!chosen.length) return { connection: c, snoozed: [], until: length === NEXT_STAGE ? NEXT_STAGE : new Date(at.getTime() + length * 3_600_000), at };
  const untilOf = (w: Warning) => (length === NEXT_STAGE ? nextStageStarts(w, at) : new Date(at.getTime() + length * 3_600_000));
  // The same snooze again within Slack's replay window (a retried or replayed request) is already
  // done: nothing is written and no second audit event recorded.
  const alreadyDone = chosen.every((w) => w.snoozedUntil !== null && w.snoozedUntil.getTime() >= untilOf(w).getTime() - REPLAY_WINDOW_MS);
  if (alreadyDone) return { connection: c, snoozed: chosen, until: length === NEXT_STAGE ? NEXT_STAGE : untilOf(chosen[0]!), at };
  await deps.store.transaction(async (tx) => {
    for (const w of chosen) await tx.warnings.snooze(workspace.id, [w.id], untilOf(w), actor.userId);
    const until = length === NEXT_STAGE ? NEXT_STAGE : untilOf(chosen[0]!).toISOString();
    await tx.audit.append({
      workspaceId: workspace.id,
      connectionId: c.id,
      actorId: actor.userId,
      action: 'connection.snooze',
      details: { until, warnings: chosen.length },
      at,
    });
  });
  return { connection: c, snoozed: chosen, until: length === NEXT_STAGE ? NEXT_STAGE : untilOf(chosen[0]!), at };
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

export interface BackupChange extends ChannelChange {
  userId: string;
}

export async function addBackup(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, userId: string): Promise<BackupChange> {
  assertMay(actor, 'care', 'add a backup admin', c);
  const at = deps.now();
  const change = await deps.store.transaction(async (tx) => {
    const connection = await tx.connections.addBackup(workspace.id, c.id, userId, actor.userId, at);
    // A backup is what a `no_backup` warning asks for.
    const who = { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at };
    return { connection, changed: true, resolvedWarnings: await settleAndAudit(tx, who, 'connection.backup.add', { userId }, ['no_backup']) };
  });
  return { ...change, userId, at };
}

export async function removeBackup(deps: ServiceDeps, { workspace, actor }: Acting, c: Connection, userId: string): Promise<BackupChange> {
  // Removing a safety net is a lead's call, unlike adding one.
  assertMay(actor, 'lead', 'remove a backup admin', c);
  const at = deps.now();
  const change = await deps.store.transaction(async (tx) => {
    const connection = await tx.connections.removeBackup(workspace.id, c.id, userId);
    const who = { workspaceId: workspace.id, connectionId: c.id, actorId: actor.userId, at };
    return { connection, changed: true, resolvedWarnings: await settleAndAudit(tx, who, 'connection.backup.remove', { userId }, []) };
  });
  return { ...change, userId, at };
}
