/** `/channels remove <name>` asks first: removing hides the channel from every list (the audit trail stays). */
import type { KnownBlock } from '@slack/types';
import type { Connection } from '../../domain';
import { channelName } from '../mrkdwn';
import { ACTION, CODEC } from '../interactions';

export function buildConfirmRemove(connection: Connection): KnownBlock[] {
  const value = CODEC.button.encode({ connectionId: connection.id, warningIds: [] });
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `Remove ${channelName(connection.name)} from Channel Keeper? No more warnings will be sent for it; its history is kept.` },
    },
    {
      type: 'actions',
      block_id: 'confirm_remove',
      elements: [
        { type: 'button', action_id: ACTION.confirmRemove, text: { type: 'plain_text', text: 'Remove' }, style: 'danger', value },
        { type: 'button', action_id: ACTION.cancel, text: { type: 'plain_text', text: 'Cancel' }, value },
      ],
    },
  ];
}
