import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { removeConnection } from '../operations/administering';
import { connectionListener } from './listener';

export function registerConfirmRemove(app: App, deps: BotDeps): void {
  app.action(
    ACTION.confirmRemove,
    connectionListener(deps, async (action, { respond }) => {
      const note = await removeConnection(action, action.connection);
      await respond({ replace_original: true, text: note });
    }),
  );
  app.action(ACTION.cancel, async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });
}
