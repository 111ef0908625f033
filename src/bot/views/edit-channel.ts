import type { App } from '@slack/bolt';
import { ConflictError, NotFoundError } from '../../errors';
import { assertMay } from '../authorize';
import { VIEW } from '../blocks/action-ids';
import { CHANNEL_FIELD } from '../blocks/channel-modal';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { channelName, mention } from '../mrkdwn';
import { readChannelForm } from './channel-form';
import { FieldError, submissionListener } from './submission';

export function registerEditChannel(app: App, deps: BotDeps): void {
  app.view(
    VIEW.editChannel,
    submissionListener(deps, async ({ workspace, actor, values, metadata }) => {
      const existing = metadata.connectionId === undefined ? null : await deps.store.connections.findById(workspace.id, metadata.connectionId);
      if (!existing) throw new NotFoundError('That channel was removed meanwhile; nothing was changed.');
      assertMay(actor, 'lead', 'edit channels', existing);
      const { backups: _backups, ...changes } = readChannelForm(values, todayOf(deps, workspace));
      try {
        const connection = await deps.store.connections.update(workspace.id, existing.id, changes, actor.userId);
        return { note: `:pencil2: ${mention(actor.userId)} updated ${channelName(connection.name)}.`, connectionId: connection.id };
      } catch (error) {
        if (error instanceof ConflictError) throw new FieldError({ [CHANNEL_FIELD.name]: error.message });
        throw error;
      }
    }),
  );
}
