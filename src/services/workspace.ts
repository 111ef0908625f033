/** What concerns a whole workspace: roles, settings, network outages, members whose Slack account changed. */
import type { AuditEvent, Network, Role, Warning, Workspace } from '../domain';
import type { WorkspaceSettings } from '../store/workspace-repository';
import { notifyWorkspaceChanged, type Acting, type ServiceDeps } from './deps';
import { assertMay } from './permissions';

export interface RoleChange {
  /** `unchanged`: they already have that role; `last_admin`: taking it away would leave nobody to change settings. */
  outcome: 'changed' | 'unchanged' | 'last_admin';
  userId: string;
  role: Role;
  at: Date;
}

export async function setRole(deps: ServiceDeps, { workspace, actor }: Acting, userId: string, role: Role): Promise<RoleChange> {
  assertMay(actor, 'admin', 'change roles');
  const at = deps.now();
  // The last-admin guard reads and writes under the workspace's lock: two admins demoting each
  // other at once (on two replicas) are decided one after the other, and one of them is refused.
  const outcome = await deps.store.transaction(async (tx): Promise<RoleChange['outcome']> => {
    await tx.workspaces.lock(workspace.id);
    const before = await tx.members.find(workspace.id, userId);
    if (before?.role === role) return 'unchanged';
    if (before?.role === 'admin') {
      const admins = await tx.members.list(workspace.id, { role: 'admin', active: true });
      if (admins.length <= 1) return 'last_admin';
    }
    await tx.members.upsert(workspace.id, userId, { role });
    await tx.audit.append({
      workspaceId: workspace.id,
      actorId: actor.userId,
      action: 'role.change',
      details: { userId, from: before?.role ?? null, to: role },
      at,
    });
    return 'changed';
  });
  return { outcome, userId, role, at };
}

export interface OutageChange {
  network: Network;
  on: boolean;
  /** False when it already was so; `since` is then when the standing outage was declared. */
  changed: boolean;
  since: string | null;
  at: Date;
}

export async function setOutage(deps: ServiceDeps, { workspace, actor }: Acting, network: Network, on: boolean): Promise<OutageChange> {
  assertMay(actor, 'admin', 'declare a network outage');
  const at = deps.now();
  const since = workspace.outages[network] ?? null;
  if ((since !== null) === on) return { network, on, changed: false, since, at };
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.setOutage(workspace.id, network, on ? at : null);
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: on ? 'outage.on' : 'outage.off', details: { network }, at });
  });
  return { network, on, changed: true, since: on ? at.toISOString() : null, at };
}

export interface SettingsChange {
  workspace: Workspace;
  /** Each setting that changed, from what to what (also the audit event's details). */
  changed: Record<string, { from: unknown; to: unknown }>;
  /** Failed deliveries queued again. */
  retried: number;
  at: Date;
}

/**
 * Saves settings the caller has validated (the form and the CLI use the same validators), audits
 * what changed, retries failed deliveries (saving is what an admin does after fixing one: a new
 * channel, the bot invited) and reschedules the workspace's check through the injected hook.
 */
export async function changeSettings(deps: ServiceDeps, { workspace, actor }: Acting, next: WorkspaceSettings): Promise<SettingsChange> {
  assertMay(actor, 'admin', 'change settings');
  const at = deps.now();
  const changed = diff(workspace, next);
  const unchanged = Object.keys(changed).length === 0;
  const { saved, retried } = await deps.store.transaction(async (tx) => {
    // Saving is what an admin does after fixing why the status canvas could not be made: try again.
    await tx.statusCanvases.reset(workspace.id);
    // Saving without a change (or a replayed submission) still retries failed deliveries, but
    // writes no settings and no audit event.
    if (unchanged) return { saved: workspace, retried: await tx.warnings.retryFailed(workspace.id) };
    const saved = await tx.workspaces.updateSettings(workspace.id, next);
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'settings.change', details: { changed }, at });
    return { saved, retried: await tx.warnings.retryFailed(workspace.id) };
  });
  if (!unchanged) await notifyWorkspaceChanged(deps, workspace.id);
  return { workspace: saved, changed, retried, at };
}

function diff(before: Workspace, after: WorkspaceSettings): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = (before as unknown as Record<string, unknown>)[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}

/**
 * A Slack account was deactivated (or reactivated): whether its channels' owner is "gone" changes.
 * Event retries carry the same id, so a retry changes nothing twice. Returns whether anything changed.
 */
export async function memberActivityChanged(
  deps: ServiceDeps,
  workspaceId: string,
  user: { id: string; active: boolean; name: string | null },
  eventId?: string,
): Promise<boolean> {
  const at = deps.now();
  if (eventId && !(await deps.store.events.markProcessed(eventId, workspaceId, at))) return false;
  const known = await deps.store.members.find(workspaceId, user.id);
  if (known?.active === user.active) {
    // A new display name is news for the command line and the demo, not for the audit trail.
    if (known && user.name && known.name !== user.name) await deps.store.members.upsert(workspaceId, user.id, { name: user.name });
    return false;
  }
  // Someone the bot never met matters only when a channel names them as owner or backup.
  if (!known && !(await deps.store.connections.list(workspaceId, { involving: user.id })).length) return false;
  await deps.store.transaction(async (tx) => {
    await tx.members.upsert(workspaceId, user.id, { active: user.active, name: user.name });
    await tx.audit.append({
      workspaceId,
      actorId: 'system',
      action: user.active ? 'member.reactivated' : 'member.deactivated',
      details: { userId: user.id },
      at,
    });
  });
  // Their channels' "owner gone" warnings go out now, not at tomorrow's check; in the background,
  // so the event is answered at once.
  if (!user.active && deps.checkNow) {
    void deps.checkNow(workspaceId).catch((error: unknown) => deps.logger?.error({ err: error, workspace: workspaceId }, 'check after a deactivation failed'));
  }
  return true;
}

/** Whether the workspace is recorded (by the command line, or an earlier request from it). */
export async function isRecorded(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<boolean> {
  return (await deps.store.workspaces.findById(workspaceId)) !== null;
}

/** A page of the audit trail, newest first (`connectionId` absent: the whole workspace's), with the total. */
export async function historyOf(
  deps: Pick<ServiceDeps, 'store'>,
  workspaceId: string,
  page: { connectionId?: number; limit: number; offset: number },
): Promise<{ events: AuditEvent[]; total: number }> {
  const [events, total] = await Promise.all([deps.store.audit.list(workspaceId, page), deps.store.audit.count(workspaceId, page.connectionId)]);
  return { events, total };
}

/** The warnings Slack refused to take (the Home tab shows them to admins). */
export function failedDeliveries(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, limit: number): Promise<Warning[]> {
  return deps.store.warnings.listByState(workspaceId, 'failed', limit);
}

/** Failed deliveries go back to `pending` (their cause may be fixed: the bot was invited). Returns how many. */
export function retryFailedDeliveries(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<number> {
  return deps.store.warnings.retryFailed(workspaceId);
}

/**
 * A form (or any request Slack may send twice) is acted on once: true when `key` was not claimed
 * before. `releaseClaim` undoes it when the work was refused, so the same form may be sent again.
 */
export function claimOnce(deps: Pick<ServiceDeps, 'store' | 'now'>, key: string, workspaceId: string): Promise<boolean> {
  return deps.store.events.markProcessed(key, workspaceId, deps.now());
}

export function releaseClaim(deps: Pick<ServiceDeps, 'store'>, key: string): Promise<void> {
  return deps.store.events.forget(key);
}

/** How long the health and readiness routes wait for the database before calling it unreachable. */
export const DATABASE_PROBE_MS = 2_000;

/**
 * Throws when the database cannot be reached, or does not answer within `DATABASE_PROBE_MS` (the
 * health and readiness routes ask: a load balancer's probe must get an answer, not a hang).
 */
export function databaseReachable(deps: Pick<ServiceDeps, 'store'>, timeoutMs = DATABASE_PROBE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([deps.store.ping(), silence]).finally(() => clearTimeout(timer));
}
