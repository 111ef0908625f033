import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { markReconnected } from '../operations/leading';
import { connectionListener, finishAction } from './listener';

export function registerMarkReconnected(app: App, deps: BotDeps): void {
  app.action(
    ACTION.markReconnected,
    connectionListener(deps, async (action, tools) => {
      const note = await markReconnected(action, action.connection, todayOf(deps, action.workspace));
      await finishAction(action, tools, note);
    }),
  );
}
