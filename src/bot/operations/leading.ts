/** What team leaders and admins may do to a channel: reassign its owner, mark it disconnected or reconnected. */
import { DISCONNECT_REASONS, type Connection, type DisconnectReason, type IsoDate } from '../../domain';
import { assertMay } from '../authorize';
import { channelName, mention } from '../mrkdwn';
import { UsageError } from '../usage-error';
import { slackTime, type OperationContext } from './context';

export async function reassignOwner({ deps, workspace, actor }: OperationContext, c: Connection, ownerId: string): Promise<string> {
  assertMay(actor, 'lead', 'reassign an owner', c);
  if (c.ownerId === ownerId) throw new UsageError(`${mention(ownerId)} already owns ${channelName(c.name)}.`);
  await deps.store.connections.setOwner(workspace.id, c.id, ownerId, actor.userId, deps.now());
  return `:bust_in_silhouette: ${mention(actor.userId)} made ${mention(ownerId)} the owner of ${channelName(c.name)} (${slackTime(deps.now())}).`;
}

export async function markDisconnected({ deps, workspace, actor }: OperationContext, c: Connection, reason: DisconnectReason, on: IsoDate): Promise<string> {
  assertMay(actor, 'lead', 'mark a channel disconnected', c);
  if (c.status === 'disconnected') throw new UsageError(`${channelName(c.name)} is already marked disconnected (since ${c.disconnectedAt ?? 'an unknown date'}).`);
  await deps.store.connections.markDisconnected(workspace.id, c.id, reason, on, actor.userId, deps.now());
  return `:black_circle: ${mention(actor.userId)} marked ${channelName(c.name)} disconnected on ${on}: ${DISCONNECT_REASONS[reason]} (${slackTime(deps.now())}).`;
}

export async function markReconnected({ deps, workspace, actor }: OperationContext, c: Connection, on: IsoDate): Promise<string> {
  assertMay(actor, 'lead', 'mark a channel reconnected', c);
  if (c.status !== 'disconnected') throw new UsageError(`${channelName(c.name)} is not marked disconnected, so there is nothing to reconnect. To record a refresh, type \`/channels refresh <name>\`.`);
  await deps.store.connections.markReconnected(workspace.id, c.id, on, actor.userId, deps.now());
  return `:large_green_circle: ${mention(actor.userId)} marked ${channelName(c.name)} reconnected on ${on}: a new token cycle starts (${slackTime(deps.now())}).`;
}

export function parseDisconnectReason(text: string | undefined): DisconnectReason {
  if (text === undefined || text.trim() === '') return 'unknown';
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (key in DISCONNECT_REASONS) return key as DisconnectReason;
  throw new UsageError(`“${text.slice(0, 60).replace(/[<>&]/g, '')}” is not a reason I know. Use one of: ${Object.keys(DISCONNECT_REASONS).map((k) => `\`${k}\``).join(', ')}. E.g. \`/channels disconnected <name> password_change\``);
}
