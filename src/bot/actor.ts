/**
 * The workspace and the member behind a request. A user seen for the first time is looked up with
 * `users.info`: Slack workspace owners and admins become `admin` (so a fresh install has one),
 * everyone else `member`.
 */
import type { WebClient } from '@slack/web-api';
import type { Member, Workspace } from '../domain';
import { notifyWorkspaceChanged } from '../services/deps';
import type { BotDeps } from './deps';

export interface Asker {
  workspace: Workspace;
  actor: Member;
}

export async function resolveAsker(deps: BotDeps, client: WebClient, teamId: string, userId: string): Promise<Asker> {
  const { workspace, created } = await deps.store.workspaces.ensure(teamId);
  if (created) await notifyWorkspaceChanged(deps, teamId);
  const known = await deps.store.members.find(teamId, userId);
  if (known) return { workspace, actor: known };
  let slackAdmin = false;
  let name: string | null = null;
  try {
    const info = await client.users.info({ user: userId });
    slackAdmin = info.user?.is_admin === true || info.user?.is_owner === true;
    name = info.user?.real_name ?? info.user?.name ?? null;
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, userId }, 'users.info failed; treating the user as a member');
  }
  const actor = await deps.store.members.upsert(teamId, userId, { role: slackAdmin ? 'admin' : 'member', name });
  return { workspace, actor };
}

/** The alert channel: the workspace's own choice, else SLACK_ALERT_CHANNEL. */
export function alertChannelOf(deps: BotDeps, workspace: Workspace): string | null {
  return workspace.alertChannel ?? deps.defaultAlertChannel;
}
