/** Interactivity payloads as Slack sends them, with sensible defaults. */
import type { KnownBlock } from '@slack/types';
import { uniqueId } from '../../support/databases';

export interface ButtonPress {
  team: string;
  user: string;
  actionId: string;
  value: string;
  blockId?: string;
  /** A message in a channel (a warning) instead of an ephemeral card. */
  message?: { channel: string; ts: string; blocks: KnownBlock[]; text?: string };
  responseUrl: string;
  type?: string;
  selectedOption?: string;
}

export function blockActions(p: ButtonPress): Record<string, unknown> {
  const ephemeral = !p.message;
  const action =
    p.selectedOption !== undefined
      ? {
          type: p.type ?? 'static_select',
          action_id: p.actionId,
          block_id: p.blockId ?? 'b1',
          selected_option: { text: { type: 'plain_text', text: 'x' }, value: p.selectedOption },
          action_ts: '1',
        }
      : { type: 'button', action_id: p.actionId, block_id: p.blockId ?? 'b1', value: p.value, text: { type: 'plain_text', text: 'x' }, action_ts: '1' };
  return {
    type: 'block_actions',
    team: { id: p.team, domain: 'test' },
    user: { id: p.user, username: p.user.toLowerCase(), team_id: p.team },
    api_app_id: 'A0001',
    token: 'legacy',
    trigger_id: 'trigger-1',
    response_url: p.responseUrl,
    container: ephemeral
      ? { type: 'message', message_ts: '1700000000.000001', channel_id: 'CWORK', is_ephemeral: true }
      : { type: 'message', message_ts: p.message!.ts, channel_id: p.message!.channel, is_ephemeral: false },
    channel: { id: p.message?.channel ?? 'CWORK', name: 'work' },
    ...(p.message ? { message: { type: 'message', ts: p.message.ts, text: p.message.text ?? 'warning', blocks: p.message.blocks } } : {}),
    actions: [action],
  };
}

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

/** Each call is a new modal (its own view id) unless `viewId` says which one is submitted again. */
export function viewSubmission(
  team: string,
  user: string,
  callbackId: string,
  values: StateValues,
  privateMetadata = '{}',
  viewId = uniqueId('V'),
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: team, domain: 'test' },
    user: { id: user, name: user.toLowerCase(), team_id: team },
    api_app_id: 'A0001',
    token: 'legacy',
    trigger_id: 'trigger-2',
    view: {
      id: viewId,
      team_id: team,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      hash: 'h',
      app_id: 'A0001',
      bot_id: 'B1',
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
      close: null,
      submit: null,
      root_view_id: viewId,
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
      state: { values },
    },
  };
}

/** State values of one field (block_id = action_id, as our modals do it). */
export function fieldValue(id: string, value: Record<string, unknown>): StateValues {
  return { [id]: { [id]: value } };
}
