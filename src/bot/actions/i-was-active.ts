import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { recordActivity } from '../operations/caretaking';
import { connectionListener, finishAction } from './listener';

export function registerIWasActive(app: App, deps: BotDeps): void {
  app.action(
    ACTION.iWasActive,
    connectionListener(deps, async (action, tools) => {
      const note = await recordActivity(action, action.connection, todayOf(deps, action.workspace));
      await finishAction(action, tools, note);
    }),
  );
}
