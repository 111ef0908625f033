/** The small modals behind "Add backup" and "Reassign owner": pick one person. */
import type { ModalView } from '@slack/types';
import type { Connection } from '../../domain';
import { truncate } from '../mrkdwn';
import { VIEW, CODEC, type ModalMetadata } from '../interactions';

export const PERSON_FIELD = 'person';

export function buildPersonModal(kind: 'backup' | 'owner', connection: Connection, metadata: ModalMetadata): ModalView {
  const backup = kind === 'backup';
  return {
    type: 'modal',
    callback_id: backup ? VIEW.addBackup : VIEW.reassignOwner,
    private_metadata: CODEC.modal.encode({ ...metadata, connectionId: connection.id }),
    title: { type: 'plain_text', text: backup ? 'Add a backup admin' : 'Reassign owner' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: {
          type: 'plain_text',
          text: truncate(
            `${connection.name}: ${backup ? 'someone who can reconnect it if the owner cannot.' : 'the new owner refreshes it under their own login.'}`,
            3000,
          ),
        },
      },
      {
        type: 'input',
        block_id: PERSON_FIELD,
        label: { type: 'plain_text', text: backup ? 'Backup admin' : 'New owner' },
        element: { type: 'users_select', action_id: PERSON_FIELD },
      },
    ],
  };
}
