import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { recordRefresh } from '../operations/caretaking';
import { connectionListener, finishAction } from './listener';

/** "Mark refreshed": refreshed today (for another day, `/channels refresh <name> <date>`). */
export function registerMarkRefreshed(app: App, deps: BotDeps): void {
  app.action(
    ACTION.markRefreshed,
    connectionListener(deps, async (action, tools) => {
      const note = await recordRefresh(action, action.connection, todayOf(deps, action.workspace));
      await finishAction(action, tools, note);
    }),
  );
}
