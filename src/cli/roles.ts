/**
 * `channel-keeper roles --workspace <id> [--json]`: every person the bot knows in a workspace with
 * their role. `channel-keeper roles set <user id> <role> --workspace <id>` changes one: the way
 * back when no admin is left in Slack (the command line is trusted, as for `settings`). The change
 * is the Slack command's use case, audited, with the same last-admin guard.
 */
import { DATABASE_VARIABLES } from '../config';
import { ROLES, type Member, type Role } from '../domain';
import { NotFoundError, ValidationError } from '../errors';
import { CLI_ACTOR } from '../services/permissions';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';
import { textTable } from './text-table';
import { enumWords, personLabel } from '../words';

/** Slack user ids: U… (or W… on Enterprise Grid). */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export interface RoleLine {
  workspace: string;
  userId: string;
  name: string | null;
  role: Role;
  active: boolean;
}

export const rolesCommand = defineCommand({
  name: 'roles',
  summary: "list a workspace's people with their roles, or set one",
  description:
    'Without arguments: every person the bot knows in the workspace with their role (admins first). With "set <user id> <role>": gives that person the role (admin, team_leader or member), e.g. to name an admin again when none is left. Taking away the last admin is refused.',
  examples: ['roles --workspace T0123ABCD', 'roles --workspace T0123ABCD --json', 'roles set U0123ABCD admin --workspace T0123ABCD'],
  configure: (command) =>
    command
      .argument('[action]', 'set: change a person’s role (left out: list the roles)')
      .argument('[user]', 'the Slack user id (U…), with set')
      .argument('[role]', `the new role, with set: ${ROLES.join(', ')}`)
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--json', 'one JSON line per person (or for the change)'),
  async action({ args, opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const json = opts.json === true;
    const [action, userArg, roleArg] = args;
    if (action === undefined) {
      const lines = await withStore(commandConfig(DATABASE_VARIABLES), async (store) => {
        await findWorkspace(store, workspaceId);
        return rolesOf(workspaceId, await store.members.list(workspaceId));
      });
      if (json) for (const line of lines) io.out(JSON.stringify(line));
      else if (lines.length) io.out(formatRoles(lines));
      else
        io.err(
          `nobody in ${workspaceId} has used the bot yet: a person is known (and an admin of the Slack workspace becomes an admin here) once they use /channels or open its Home tab`,
        );
      return 0;
    }
    if (action !== 'set') {
      throw new ValidationError(
        `unknown action "${action}": type "roles --workspace ${workspaceId}" to list, or "roles set <user id> <role> --workspace ${workspaceId}"`,
      );
    }
    const { userId, role } = checkChange(workspaceId, userArg, roleArg);
    const change = await withStore(commandConfig(DATABASE_VARIABLES), async (store) => {
      const workspace = await findWorkspace(store, workspaceId);
      const member = await store.members.find(workspaceId, userId);
      if (!member) {
        throw new NotFoundError(
          `nobody with user id ${userId} is known in ${workspaceId}: "roles --workspace ${workspaceId}" lists who is (a person is known once they use /channels or open the bot's Home tab)`,
        );
      }
      const { setRole } = await import('../services/workspace');
      return { ...(await setRole({ store, now: () => new Date() }, { workspace, actor: CLI_ACTOR }, userId, role)), active: member.active, name: member.name };
    });
    if (json) io.out(JSON.stringify({ workspace: workspaceId, userId, role, outcome: change.outcome }));
    const who = personLabel(userId, change.name);
    if (change.outcome === 'last_admin') {
      io.err(`refused: ${who} is the last admin of ${workspaceId}; make someone else admin first ("roles set <user id> admin --workspace ${workspaceId}")`);
      return 1;
    }
    io.err(
      change.outcome === 'unchanged'
        ? `${who} already is ${enumWords(role)} in ${workspaceId}: nothing changed`
        : `${who} is now ${enumWords(role)} in ${workspaceId}`,
    );
    // An admin whose Slack account is deactivated cannot act: the workspace still has no admin who can.
    if (role === 'admin' && !change.active) io.err(`note: the Slack account of ${who} is deactivated; make an active person admin too`);
    return 0;
  },
});

function checkChange(workspaceId: string, userId: string | undefined, role: string | undefined): { userId: string; role: Role } {
  const usage = `type "roles set <user id> <${ROLES.join('|')}> --workspace ${workspaceId}"`;
  if (!userId || !role) throw new ValidationError(`set needs a user id and a role: ${usage}`);
  if (!SLACK_USER_ID.test(userId)) {
    throw new ValidationError(`"${userId}" is not a Slack user id (such as U0123ABCD; in Slack: the person's profile, ⋮, "Copy member ID"): ${usage}`);
  }
  if (!(ROLES as readonly string[]).includes(role)) throw new ValidationError(`unknown role "${role}": the roles are ${ROLES.join(', ')}; ${usage}`);
  return { userId, role: role as Role };
}

async function findWorkspace(store: import('../store/store').Store, workspaceId: string) {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) throw new NotFoundError(`no workspace with id ${workspaceId}: "channel-keeper workspaces" lists the ids`);
  return workspace;
}

const RANK: Record<Role, number> = { admin: 0, team_leader: 1, member: 2 };

export function rolesOf(workspace: string, members: readonly Member[]): RoleLine[] {
  return [...members]
    .sort((a, b) => RANK[a.role] - RANK[b.role] || a.userId.localeCompare(b.userId))
    .map((m) => ({ workspace, userId: m.userId, name: m.name, role: m.role, active: m.active }));
}

export function formatRoles(lines: readonly RoleLine[]): string {
  const rows = [['user', 'name', 'role', 'account'], ...lines.map((l) => [l.userId, l.name ?? '—', enumWords(l.role), l.active ? 'active' : 'deactivated'])];
  return textTable(rows).join('\n');
}
