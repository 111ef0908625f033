/** What only admins may do: remove a channel, change roles, declare network outages. */
import { networkLabel } from '../../checks';
import { ROLES, type Connection, type Network, type Role } from '../../domain';
import { isDisconnectionNoise } from '../../checks/outage';
import { assertMay } from '../authorize';
import { reportOn } from '../health-report';
import { channelName, escapeMrkdwn, mention } from '../mrkdwn';
import { UsageError } from '../usage-error';
import { slackTime, type OperationContext } from './context';

export async function removeConnection({ deps, workspace, actor }: OperationContext, c: Connection): Promise<string> {
  assertMay(actor, 'admin', 'remove a channel', c);
  await deps.store.connections.archive(workspace.id, c.id, actor.userId, deps.now());
  return `:wastebasket: ${mention(actor.userId)} removed ${channelName(c.name)} (${slackTime(deps.now())}). Its history is kept.`;
}

export function parseRole(text: string | undefined): Role {
  const role = text?.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (role && (ROLES as readonly string[]).includes(role)) return role as Role;
  throw new UsageError(`Which role? Use one of ${ROLES.map((r) => `\`${r}\``).join(', ')}: \`/channels role @person team_leader\``);
}

export async function setRole({ deps, workspace, actor }: OperationContext, userId: string, role: Role): Promise<string> {
  assertMay(actor, 'admin', 'change roles');
  const before = await deps.store.members.find(workspace.id, userId);
  if (before?.role === role) throw new UsageError(`${mention(userId)} already is ${role.replace('_', ' ')}.`);
  if (before?.role === 'admin') {
    const admins = await deps.store.members.list(workspace.id, { role: 'admin', active: true });
    if (admins.length <= 1) throw new UsageError(`${mention(userId)} is the last admin: make someone else admin first, or nobody could change settings.`);
  }
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.members.upsert(workspace.id, userId, { role });
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'role.change', details: { userId, from: before?.role ?? null, to: role }, at: now });
  });
  return `${mention(actor.userId)} made ${mention(userId)} ${role === 'admin' ? 'an admin' : role === 'team_leader' ? 'a team leader' : 'a member'} (${slackTime(now)}).`;
}

export async function setOutage({ deps, workspace, actor }: OperationContext, network: Network, on: boolean): Promise<string> {
  assertMay(actor, 'admin', 'declare a network outage');
  const declared = workspace.outages[network] !== undefined;
  const label = networkLabel(network);
  if (declared === on) throw new UsageError(on ? `A ${label} outage is already declared (since ${workspace.outages[network]}).` : `No ${label} outage is declared.`);
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.setOutage(workspace.id, network, on ? now : null);
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: on ? 'outage.on' : 'outage.off', details: { network }, at: now });
  });
  return on
    ? `:rotating_light: ${mention(actor.userId)} declared a *${label} outage* (${slackTime(now)}). Per-channel disconnection warnings for ${label} are held back until it is lifted with \`/channels outage ${network} off\`.`
    : `:white_check_mark: ${mention(actor.userId)} lifted the *${label} outage* (${slackTime(now)}). ${await outageSummary(deps, workspace, network)}`;
}

const SUMMARY_NAMES = 10;

/**
 * The single summary posted when an outage is lifted: which of the network's channels are now
 * disconnected or past their token's end, the noise that was held back while it lasted.
 */
async function outageSummary(deps: OperationContext['deps'], workspace: OperationContext['workspace'], network: Network): Promise<string> {
  const label = networkLabel(network);
  const connections = await deps.store.connections.list(workspace.id, { network });
  const reports = await reportOn(deps, workspace, connections);
  const hit = reports.filter((r) => r.summary.findings.some((f) => isDisconnectionNoise(f.kind, f.stage)));
  if (!hit.length) return `All ${connections.length} ${label} channel(s) look connected: nothing was held back.`;
  const names = hit.slice(0, SUMMARY_NAMES).map((r) => `• ${channelName(r.connection.name)}: ${escapeMrkdwn(r.summary.findings[0]!.message)}`);
  const more = hit.length > SUMMARY_NAMES ? [`…and ${hit.length - SUMMARY_NAMES} more: \`/channels status ${network}\``] : [];
  return [`${hit.length} of ${connections.length} ${label} channel(s) need reconnecting; their warnings resume with the next check:`, ...names, ...more].join('\n');
}
