/**
 * The workspace and the member behind a request (the `meet` use case), with `users.info` as the
 * way to learn about a person seen for the first time.
 */
import type { WebClient } from '@slack/web-api';
import type { Member, Workspace } from '../domain';
import { meet } from '../services/workspace';
import type { BotDeps } from './deps';

export interface Asker {
  workspace: Workspace;
  /** `external`: a person from another organisation (see identity.ts), who may only look. */
  actor: Member & { external?: boolean };
}

export async function resolveAsker(deps: BotDeps, client: WebClient, teamId: string, userId: string, external = false): Promise<Asker> {
  if (external) {
    // Never written as a member: no role, never an admin, whatever their own organisation says.
    const workspace = await deps.store.workspaces.getById(teamId);
    return { workspace, actor: { workspaceId: teamId, userId, role: 'member', active: true, name: null, updatedAt: deps.now(), external: true } };
  }
  return meet(deps, teamId, userId, async () => {
    try {
      const info = await client.users.info({ user: userId });
      return { admin: info.user?.is_admin === true || info.user?.is_owner === true, name: info.user?.real_name ?? info.user?.name ?? null };
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, userId }, 'users.info failed; treating the user as a member');
      return null;
    }
  });
}

/** The alert channel: the workspace's own choice, else SLACK_ALERT_CHANNEL. */
export function alertChannelOf(deps: BotDeps, workspace: Workspace): string | null {
  return workspace.alertChannel ?? deps.defaultAlertChannel;
}
