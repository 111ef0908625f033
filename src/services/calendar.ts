/**
 * The calendar of deadlines: the `.ics` text of a workspace (or of one owner's channels), the secret
 * feed URLs that serve it, and rotating the workspace's secret. Reads need no permission beyond
 * knowing the secret (the CLI is trusted); making and rotating secrets are use cases with an audit.
 */
import { randomBytes } from 'node:crypto';
import type { AuditAction, Workspace } from '../domain';
import { DEADLINE_KINDS, type Deadline } from '../rules/deadlines';
import type { Store } from '../store/store';
import { icsChunks } from '../transfer/ics';
import type { Acting, ServiceDeps } from './deps';
import { deadlinesOf, workspaceRules } from './evaluation';
import { assertWorkspace, joinChunks, nextTurn } from './export-connections';
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

/** Channels read at a time while the calendar is made (smaller than the exports': each channel is read twice, with its deadlines' words). */
const CALENDAR_PAGE_SIZE = 200;

export interface CalendarOptions {
  /** Channels a page (tests set a small one). */
  pageSize?: number;
}

/**
 * The calendar's text in pieces, written a page of deadlines at a time. Calendar order needs every
 * deadline's date first: this pass over the channels (done before it returns, so a failing read
 * fails before anything is written) keeps one number a deadline; the pieces then read the
 * channels of each page of deadlines again and write them out in full. A channel changed in
 * between shows as it is now; one removed since is left out.
 */
async function openCalendar(
  store: Store,
  workspace: Workspace,
  now: Date,
  scope: CalendarScope,
  options: CalendarOptions = {},
): Promise<AsyncIterable<string>> {
  const pageSize = options.pageSize ?? CALENDAR_PAGE_SIZE;
  // Deadlines do not depend on who is gone: no member is read.
  const rules = workspaceRules(workspace, now, new Set());
  const filter = { retired: false, ...(scope.ownerId ? { ownerId: scope.ownerId } : {}) };
  const found: number[] = [];
  for (let afterId = 0; ;) {
    const page = await store.connectionPages.page(workspace.id, filter, afterId, pageSize);
    for (const d of deadlinesOf(rules, page)) found.push(deadlineKey(d));
    if (page.length < pageSize) break;
    afterId = page[page.length - 1]!.id;
    await nextTurn();
  }
  const keys = Float64Array.from(found).sort();
  async function* pages(): AsyncGenerator<Deadline[]> {
    for (let at = 0; at < keys.length;) {
      if (at > 0) await nextTurn();
      const ids = new Set<number>();
      let end = at;
      for (; end < keys.length; end++) {
        const id = channelOf(keys[end]!);
        if (ids.size >= pageSize && !ids.has(id)) break;
        ids.add(id);
      }
      const fresh = new Map(deadlinesOf(rules, await store.connectionPages.byIds(workspace.id, [...ids])).map((d) => [channelKind(d), d]));
      const page: Deadline[] = [];
      for (let i = at; i < end; i++) {
        const d = fresh.get(keys[i]! % DAY_FACTOR);
        if (d) page.push(d);
      }
      yield page;
      at = end;
    }
  }
  const title = workspace.name ?? workspace.id;
  const name = scope.ownerId ? `Channel Keeper: ${title} (my channels)` : `Channel Keeper: ${title}`;
  return icsChunks({ name, timeZone: workspace.timeZone, workspaceId: workspace.id, stamp: now }, pages());
}

/** A deadline as one number that sorts as the calendar does (date, then channel, then kind): 8 bytes a deadline. */
const DAY_FACTOR = 2 ** 33;
const DAY_MS = 86_400_000;

function deadlineKey(d: Deadline): number {
  return (Date.parse(`${d.date}T00:00:00Z`) / DAY_MS) * DAY_FACTOR + channelKind(d);
}

/** The channel and kind part of a key (a channel id is below 2³¹). */
function channelKind(d: Pick<Deadline, 'connectionId' | 'kind'>): number {
  return d.connectionId * 4 + DEADLINE_KINDS.indexOf(d.kind);
}

function channelOf(key: number): number {
  return Math.floor((key % DAY_FACTOR) / 4);
}

/** `channel-keeper export --format ics`: the workspace's calendar, in pieces; the workspace is checked first. */
export async function openCalendarExport(store: Store, workspaceId: string, now: Date, options: CalendarOptions = {}): Promise<AsyncIterable<string>> {
  return openCalendar(store, await assertWorkspace(store, workspaceId), now, {}, options);
}

/** The workspace's calendar as one text. */
export async function exportCalendar(store: Store, workspaceId: string, now: Date, options: CalendarOptions = {}): Promise<string> {
  return joinChunks(await openCalendarExport(store, workspaceId, now, options));
}

/**
 * What a feed URL's secret opens: the workspace's calendar or one owner's, in pieces, or nothing
 * (null). A workspace the app was uninstalled from serves no feed, nor does a deactivated owner's:
 * the secret is kept, so the same URL answers again after a reinstall or a reactivation.
 */
export async function openCalendarFeed(deps: Pick<ServiceDeps, 'store' | 'now'>, secret: string): Promise<AsyncIterable<string> | null> {
  if (!isCalendarSecret(secret)) return null;
  const workspace = await deps.store.workspaces.findByCalendarSecret(secret);
  if (workspace) return workspace.uninstalledAt ? null : openCalendar(deps.store, workspace, deps.now(), {});
  const member = await deps.store.members.findByCalendarSecret(secret);
  if (!member?.active) return null;
  const owners = await deps.store.workspaces.findById(member.workspaceId);
  return owners && !owners.uninstalledAt ? openCalendar(deps.store, owners, deps.now(), { ownerId: member.userId }) : null;
}

/** A feed's whole text, or null. */
export async function calendarFeed(deps: Pick<ServiceDeps, 'store' | 'now'>, secret: string): Promise<string | null> {
  const feed = await openCalendarFeed(deps, secret);
  return feed && joinChunks(feed);
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
