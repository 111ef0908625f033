/** Submissions of the "Add backup" and "Reassign owner" modals. */
import type { App } from '@slack/bolt';
import type { Connection } from '../../domain';
import { NotFoundError } from '../../errors';
import { VIEW } from '../blocks/action-ids';
import { PERSON_FIELD } from '../blocks/person-modal';
import type { BotDeps } from '../deps';
import { addBackup } from '../operations/caretaking';
import { reassignOwner } from '../operations/leading';
import { field, FieldError, type Submission } from './submission';
import { submissionListener } from './submission';

async function picked(deps: BotDeps, s: Submission): Promise<{ connection: Connection; userId: string }> {
  const connection = s.metadata.connectionId === undefined ? null : await deps.store.connections.findById(s.workspace.id, s.metadata.connectionId);
  if (!connection) throw new NotFoundError('That channel was removed meanwhile; nothing was changed.');
  const userId = field(s.values, PERSON_FIELD)?.selected_user;
  if (!userId) throw new FieldError({ [PERSON_FIELD]: 'Choose a person.' });
  return { connection, userId };
}

export function registerPersonPicks(app: App, deps: BotDeps): void {
  app.view(
    VIEW.addBackup,
    submissionListener(deps, async (s) => {
      const { connection, userId } = await picked(deps, s);
      if (connection.ownerId === userId) throw new FieldError({ [PERSON_FIELD]: 'That person owns the channel; choose someone else as backup.' });
      if (connection.backups.some((b) => b.userId === userId)) throw new FieldError({ [PERSON_FIELD]: 'That person already is a backup admin.' });
      return { note: await addBackup(s, connection, userId), connectionId: connection.id };
    }),
  );
  app.view(
    VIEW.reassignOwner,
    submissionListener(deps, async (s) => {
      const { connection, userId } = await picked(deps, s);
      if (connection.ownerId === userId) throw new FieldError({ [PERSON_FIELD]: 'That person already owns the channel.' });
      return { note: await reassignOwner(s, connection, userId), connectionId: connection.id };
    }),
  );
}
