/** "Next page" on a status list or a history: runs the query in the button's value again, one page on. */
import type { App } from '@slack/bolt';
import { NotFoundError } from '../../errors';
import { resolveAsker } from '../actor';
import { ACTION } from '../blocks/action-ids';
import { parsePageValue } from '../blocks/action-value';
import { answerError } from '../answer-error';
import type { BotDeps } from '../deps';
import { historyPage } from '../history-query';
import { statusPage } from '../status-query';
import { pressedValue } from './action-context';
import { ephemeralReply, type ActionArgs } from './listener';

export function registerNextPage(app: App, deps: BotDeps): void {
  app.action(ACTION.nextPage, async ({ ack, body, client, respond }: ActionArgs) => {
    await ack();
    try {
      const action = body.actions[0];
      const value = action ? parsePageValue(pressedValue(action)) : null;
      if (!value || !body.team) throw new NotFoundError('This button has expired; type the command again.');
      const { workspace } = await resolveAsker(deps, client, body.team.id, body.user.id);
      let page;
      if (value.list === 'status') {
        page = await statusPage(deps, workspace, value.filter ?? '', value.page);
      } else {
        const connection = value.connectionId === undefined ? null : await deps.store.connections.findById(workspace.id, value.connectionId);
        if (value.connectionId !== undefined && !connection) throw new NotFoundError('That channel was removed from Channel Keeper.');
        page = await historyPage(deps, workspace.id, connection, value.page);
      }
      await respond({ replace_original: true, text: page.text, blocks: page.blocks });
    } catch (error) {
      await answerError(error, ephemeralReply(respond), deps.logger);
    }
  });
}
