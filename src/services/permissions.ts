/**
 * Who may do what, in one place for every use case (Slack commands, buttons, modals and the CLI).
 * Callers never trust a button's value alone: they load the connection from the asker's workspace
 * and the service asks here before it writes anything.
 */
import type { Connection, Member, Role } from '../domain';
import { ChannelKeeperError } from '../errors';

/** The asker's role does not allow the action; the message says who may do it. */
export class PermissionError extends ChannelKeeperError {}

/** view: everyone; care: the channel's owner and backups plus leads; lead: team leaders and admins; admin: admins. */
export type Permission = 'view' | 'care' | 'lead' | 'admin';

/** Who acts: a Slack member, or the command line (`cli`, with an admin's rights). */
export type Actor = Pick<Member, 'role' | 'userId'> & {
  /** A person from another organisation (a channel shared through Slack Connect): may only look. */
  external?: boolean;
};

export const CLI_ACTOR: Actor = { userId: 'cli', role: 'admin' };

const WHO: Record<Permission, string> = {
  view: 'everyone',
  care: "the channel's owner, its backup admins, team leaders and admins",
  lead: 'team leaders and admins',
  admin: 'admins',
};

const RANK: Record<Role, number> = { member: 0, team_leader: 1, admin: 2 };

export function may(actor: Actor, permission: Permission, connection?: Pick<Connection, 'ownerId' | 'backups'>): boolean {
  if (actor.external && permission !== 'view') return false;
  switch (permission) {
    case 'view':
      return true;
    case 'admin':
      return actor.role === 'admin';
    case 'lead':
      return RANK[actor.role] >= RANK.team_leader;
    case 'care':
      if (RANK[actor.role] >= RANK.team_leader) return true;
      return connection !== undefined && (connection.ownerId === actor.userId || connection.backups.some((b) => b.userId === actor.userId));
  }
}

/** Throws a PermissionError saying who may do `what` (e.g. "mark a channel refreshed"). */
export function assertMay(actor: Actor, permission: Permission, what: string, connection?: Pick<Connection, 'ownerId' | 'backups'>): void {
  if (may(actor, permission, connection)) return;
  if (actor.external) {
    throw new PermissionError(
      `You are in this channel from another organisation (a channel shared through Slack Connect), so you may look but not ${what} here: only members of this workspace may change its channels.`,
    );
  }
  const role = actor.role === 'team_leader' ? 'a team leader' : `${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}`;
  throw new PermissionError(`Only ${WHO[permission]} may ${what}; you are ${role}. Ask an admin (\`/channels role\`) if you need more.`);
}
