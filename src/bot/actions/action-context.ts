/**
 * What a button press needs: the asker (re-checked, never trusted from the payload), the channel
 * its value names (looked up in the asker's workspace), and where the press came from.
 */
import type { BlockAction, BlockElementAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Connection } from '../../domain';
import { NotFoundError } from '../../errors';
import { resolveAsker } from '../actor';
import { parseConnectionValue, type ConnectionActionValue } from '../blocks/action-value';
import type { ModalMetadata } from '../blocks/modal-metadata';
import type { ActedMessage } from '../acted-message';
import type { BotDeps } from '../deps';
import type { OperationContext } from '../operations/context';

export interface ActionSource {
  /** A channel message (a warning or digest): updated with chat.update. */
  message: ActedMessage | null;
  /** An ephemeral message (a card or list from a command): replaced through response_url. */
  ephemeral: boolean;
}

export interface ConnectionAction extends OperationContext {
  connection: Connection;
  value: ConnectionActionValue;
  source: ActionSource;
}

/** The value of the pressed element: a button's value, or the chosen option of a select/overflow. */
export function pressedValue(action: BlockElementAction): string | undefined {
  const a = action as { value?: string; selected_option?: { value?: string } | null };
  return a.selected_option?.value ?? a.value;
}

export function sourceOf(body: BlockAction): ActionSource {
  const container = body.container as { is_ephemeral?: boolean; channel_id?: string; message_ts?: string };
  const ephemeral = container.is_ephemeral === true;
  const channel = body.channel?.id ?? container.channel_id;
  const ts = body.message?.ts ?? container.message_ts;
  if (ephemeral || !channel || !ts) return { message: null, ephemeral };
  return { message: { channel, ts, blocks: body.message?.blocks as KnownBlock[] | undefined, blockId: body.actions[0]?.block_id, text: body.message?.text }, ephemeral };
}

export async function connectionAction(deps: BotDeps, body: BlockAction, client: WebClient): Promise<ConnectionAction> {
  const action = body.actions[0];
  const value = action ? parseConnectionValue(pressedValue(action)) : null;
  if (!value || !body.team) throw new NotFoundError('This button does not name a channel any more; type `/channels status` to find it.');
  const { workspace, actor } = await resolveAsker(deps, client, body.team.id, body.user.id);
  const connection = await deps.store.connections.findById(workspace.id, value.connectionId);
  if (!connection) throw new NotFoundError('That channel was removed from Channel Keeper; type `/channels status` to see the current list.');
  return { deps, workspace, actor, connection, value, source: sourceOf(body) };
}

/** What a modal opened from this press must remember to update the message after submission. */
export function metadataFor(action: ConnectionAction, responseUrl: string): ModalMetadata {
  const message = action.source.message;
  // Blocks travel along only when small: private_metadata holds 3000 characters.
  const blocks = message?.blocks && JSON.stringify(message.blocks).length <= 2000 ? message.blocks : undefined;
  return {
    connectionId: action.connection.id,
    responseUrl: action.source.ephemeral ? responseUrl : undefined,
    fromCard: action.source.ephemeral,
    message: message ? { channel: message.channel, ts: message.ts, blockId: message.blockId, blocks } : undefined,
  };
}

