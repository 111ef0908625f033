/** "Mark disconnected": why (the seed's list of reasons) and since when. */
import type { ModalView, PlainTextOption } from '@slack/types';
import { DISCONNECT_REASONS, type Connection, type IsoDate } from '../../domain';
import { truncate } from '../mrkdwn';
import { VIEW, CODEC, type ModalMetadata } from '../interactions';

export const DISCONNECT_FIELD = { reason: 'reason', on: 'disconnected_on' } as const;

export function buildDisconnectModal(connection: Connection, today: IsoDate, metadata: ModalMetadata): ModalView {
  const options: PlainTextOption[] = Object.entries(DISCONNECT_REASONS).map(([value, label]) => ({
    text: { type: 'plain_text', text: truncate(label, 75) },
    value,
  }));
  return {
    type: 'modal',
    callback_id: VIEW.markDisconnected,
    private_metadata: CODEC.modal.encode({ ...metadata, connectionId: connection.id }),
    title: { type: 'plain_text', text: 'Mark disconnected' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: truncate(connection.name, 3000) } },
      {
        type: 'input',
        block_id: DISCONNECT_FIELD.reason,
        label: { type: 'plain_text', text: 'Why' },
        element: { type: 'static_select', action_id: DISCONNECT_FIELD.reason, options, initial_option: options[options.length - 1] },
      },
      {
        type: 'input',
        block_id: DISCONNECT_FIELD.on,
        label: { type: 'plain_text', text: 'Disconnected on' },
        element: { type: 'datepicker', action_id: DISCONNECT_FIELD.on, initial_date: today },
      },
    ],
  };
}
