import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { historyPage } from '../history-query';
import { connectionListener } from './listener';

/** Shows the history to the presser alone, leaving the message as it is. */
export function registerViewHistory(app: App, deps: BotDeps): void {
  app.action(
    ACTION.viewHistory,
    connectionListener(deps, async (action, { respond }) => {
      const { text, blocks } = await historyPage(deps, action.workspace.id, action.connection, 0);
      await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
    }),
  );
}
