import type { App } from '@slack/bolt';
import { ConflictError } from '../../errors';
import { assertMay } from '../authorize';
import { VIEW } from '../blocks/action-ids';
import { CHANNEL_FIELD } from '../blocks/channel-modal';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { channelName, mention } from '../mrkdwn';
import { readChannelForm } from './channel-form';
import { FieldError, submissionListener } from './submission';

export function registerAddChannel(app: App, deps: BotDeps): void {
  app.view(
    VIEW.addChannel,
    submissionListener(deps, async ({ workspace, actor, values }) => {
      assertMay(actor, 'lead', 'add channels');
      const input = readChannelForm(values, todayOf(deps, workspace));
      try {
        const connection = await deps.store.connections.create(workspace.id, input, actor.userId);
        return { note: `:heavy_plus_sign: ${mention(actor.userId)} added ${channelName(connection.name)}. See it with \`/channels show ${connection.name.replace(/[<>&`]/g, '')}\`.` };
      } catch (error) {
        if (error instanceof ConflictError) throw new FieldError({ [CHANNEL_FIELD.name]: error.message });
        throw error;
      }
    }),
  );
}
