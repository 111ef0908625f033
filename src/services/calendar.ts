/**
 * The calendar of deadlines: the `.ics` text of a workspace (or of one owner's channels), the secret
 * feed URLs that serve it, and rotating the workspace's secret. Reads need no permission beyond
 * knowing the secret (the CLI is trusted); making and rotating secrets are use cases with an audit.
 */
import { randomBytes } from 'node:crypto';
import type { AuditAction, Workspace } from '../domain';
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';
import { formatIcs } from '../transfer/ics';
import type { Acting, ServiceDeps } from './deps';
import { upcomingDeadlinesOf } from './evaluation';
import { assertMay } from './permissions';

/** Whose channels a calendar shows: the whole workspace, or the channels one person owns. */
export interface CalendarScope {
  ownerId?: string;
}

/** 192 random bits, URL-safe: the feed URL is the only key to the calendar. */
function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The shape of a secret this service makes; anything else is not looked up at all. */
export function isCalendarSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{32}$/.test(value);
}

/** The `.ics` text of a workspace's upcoming deadlines (retired, removed and disconnected channels have none). */
export async function calendarText(store: Store, workspace: Workspace, now: Date, scope: CalendarScope = {}): Promise<string> {
  const deadlines = await upcomingDeadlinesOf({ store }, workspace, now, scope.ownerId ? { ownerId: scope.ownerId } : {});
  const title = workspace.name ?? workspace.id;
  return formatIcs({
    name: scope.ownerId ? `Channel Keeper: ${title} (my channels)` : `Channel Keeper: ${title}`,
    timeZone: workspace.timeZone,
    workspaceId: workspace.id,
    stamp: now,
    deadlines,
  });
}

/** `channel-keeper export --format ics`: the workspace's calendar. */
export async function exportCalendar(store: Store, workspaceId: string, now: Date): Promise<string> {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) {
    throw new NotFoundError(
      `no workspace with id ${workspaceId}: check the id (a workspace exists once the bot is installed there or a file was imported into it)`,
    );
  }
  return calendarText(store, workspace, now);
}

/**
 * What a feed URL's secret opens: the workspace's calendar or one owner's, or nothing (null). A
 * workspace the app was uninstalled from serves no feed, nor does a deactivated owner's: the secret
 * is kept, so the same URL answers again after a reinstall or a reactivation.
 */
export async function calendarFeed(deps: Pick<ServiceDeps, 'store' | 'now'>, secret: string): Promise<string | null> {
  if (!isCalendarSecret(secret)) return null;
  const workspace = await deps.store.workspaces.findByCalendarSecret(secret);
  if (workspace) return workspace.uninstalledAt ? null : calendarText(deps.store, workspace, deps.now());
  const member = await deps.store.members.findByCalendarSecret(secret);
  if (!member?.active) return null;
  const owners = await deps.store.workspaces.findById(member.workspaceId);
  return owners && !owners.uninstalledAt ? calendarText(deps.store, owners, deps.now(), { ownerId: member.userId }) : null;
}

export interface CalendarSecret {
  secret: string;
  /** True when it was made now (the first time, or a rotation). */
  created: boolean;
  at: Date;
}

/** The workspace feed's secret, made the first time an admin asks. */
export async function workspaceCalendarSecret(deps: ServiceDeps, { workspace, actor }: Acting): Promise<CalendarSecret> {
  assertMay(actor, 'admin', "see the workspace's calendar feed");
  const at = deps.now();
  const existing = await deps.store.workspaces.calendarSecret(workspace.id);
  if (existing !== null) return { secret: existing, created: false, at };
  return rotate(deps, workspace.id, actor.userId, at, 'calendar.create');
}

/** A new secret for the workspace feed: the old URL stops answering at once. */
export async function rotateCalendarSecret(deps: ServiceDeps, { workspace, actor }: Acting): Promise<CalendarSecret> {
  assertMay(actor, 'admin', "rotate the calendar feed's secret");
  return rotate(deps, workspace.id, actor.userId, deps.now(), 'calendar.rotate');
}

async function rotate(
  deps: ServiceDeps,
  workspaceId: string,
  actorId: string,
  at: Date,
  action: Extract<AuditAction, `calendar.${string}`>,
): Promise<CalendarSecret> {
  const secret = newSecret();
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.setCalendarSecret(workspaceId, secret);
    // The secret itself is never written to the audit trail.
    await tx.audit.append({ workspaceId, actorId, action, details: {}, at });
  });
  return { secret, created: true, at };
}

/** A person's own feed (the channels they own): anyone may have one; `rotate` replaces it. */
export async function personalCalendarSecret(deps: ServiceDeps, { workspace, actor }: Acting, rotateIt = false): Promise<CalendarSecret> {
  const at = deps.now();
  const existing = await deps.store.members.calendarSecret(workspace.id, actor.userId);
  if (existing !== null && !rotateIt) return { secret: existing, created: false, at };
  const secret = newSecret();
  await deps.store.transaction(async (tx) => {
    await tx.members.setCalendarSecret(workspace.id, actor.userId, secret);
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'calendar.personal', details: { rotated: existing !== null }, at });
  });
  return { secret, created: true, at };
}
