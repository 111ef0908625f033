import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { parseSnooze, snoozeWarnings } from '../operations/caretaking';
import { connectionListener, finishAction } from './listener';

/** Snooze select/overflow/button: the chosen value is `{"connectionId":N,"warningIds":[…],"snooze":"7d"}`. */
export function registerSnooze(app: App, deps: BotDeps): void {
  app.action(
    ACTION.snooze,
    connectionListener(deps, async (action, tools) => {
      const note = await snoozeWarnings(action, action.connection, parseSnooze(action.value.snooze ?? '1d'), action.value.warningIds);
      await finishAction(action, tools, note);
    }),
  );
}
