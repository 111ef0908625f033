/** The people behind requests: met once, recorded as members of their workspace with a role. */
import type { Member, Workspace } from '../domain';
import { notifyWorkspaceChanged, type ServiceDeps } from './deps';

/** What Slack says about a person seen for the first time (null when it could not be asked). */
export interface SlackProfile {
  /** A Slack workspace owner or admin. */
  admin: boolean;
  name: string | null;
  /** Of another organisation (their own workspace is not this one): see `meetVisitor`. */
  external?: boolean;
}

/** The workspace a request is for and the person asking. */
export interface Asker {
  workspace: Workspace;
  /** `external`: a person from another organisation (Slack Connect), who may only look. */
  actor: Member & { external?: boolean };
}

/**
 * The workspace and the member behind a request. The workspace is created the first time it is
 * seen (and its check scheduled); a person seen for the first time becomes `admin` when Slack says
 * they own or administer the workspace (so a fresh install has one), else `member`, with the name
 * Slack gives (cached for the command line and the demo). Someone Slack places in another
 * organisation is a visitor: nothing is written for them. A workspace with no name yet takes
 * `teamName`'s (the calendar and the report are named after it).
 */
export async function meet(
  deps: ServiceDeps,
  teamId: string,
  userId: string,
  profile: () => Promise<SlackProfile | null>,
  teamName: () => Promise<string | null> = async () => null,
): Promise<Asker> {
  const ensured = await deps.store.workspaces.ensure(teamId);
  let { workspace } = ensured;
  if (ensured.created) await notifyWorkspaceChanged(deps, teamId);
  // A workspace first seen without its name (single-workspace mode, an import) learns it once.
  if (workspace.name === null) {
    const name = await teamName();
    if (name) workspace = await deps.store.workspaces.updateSettings(teamId, { name });
  }
  const known = await deps.store.members.find(teamId, userId);
  if (known) return { workspace, actor: known };
  const seen = await profile();
  // Another organisation's admin is no admin here.
  if (seen?.external) return { workspace, actor: visitor(teamId, userId, deps.now()) };
  const actor = await deps.store.members.upsert(teamId, userId, { role: seen?.admin ? 'admin' : 'member', name: seen?.name ?? null });
  return { workspace, actor };
}

/**
 * A person from another organisation in a channel shared through Slack Connect: never written as
 * a member, no role, never an admin, whatever their own organisation says (services/permissions.ts).
 */
export async function meetVisitor(deps: Pick<ServiceDeps, 'store' | 'now'>, teamId: string, userId: string): Promise<Asker> {
  const workspace = await deps.store.workspaces.getById(teamId);
  return { workspace, actor: visitor(teamId, userId, deps.now()) };
}

function visitor(workspaceId: string, userId: string, at: Date): Asker['actor'] {
  return { workspaceId, userId, role: 'member', active: true, name: null, updatedAt: at, external: true };
}

/**
 * The names of people a channel names (an owner or a backup picked in a form) whom the bot has no
 * name for: asked of Slack once and cached, as `meet` caches the name of whoever uses the bot, so
 * the command line can show them. A person Slack cannot describe, or places in another
 * organisation, is not written. Returns how many names were learned.
 */
export async function learnNames(
  deps: Pick<ServiceDeps, 'store'>,
  workspaceId: string,
  userIds: readonly string[],
  profile: (userId: string) => Promise<SlackProfile | null>,
): Promise<number> {
  let learned = 0;
  for (const userId of new Set(userIds)) {
    const known = await deps.store.members.find(workspaceId, userId);
    if (known?.name) continue;
    const seen = await profile(userId);
    if (!seen?.name || seen.external) continue;
    // Someone new is recorded as `meet` would record them on their first request.
    await deps.store.members.upsert(workspaceId, userId, known ? { name: seen.name } : { role: seen.admin ? 'admin' : 'member', name: seen.name });
    learned += 1;
  }
  return learned;
}
