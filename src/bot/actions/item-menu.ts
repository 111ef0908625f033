/**
 * The overflow menu of a digest item: each option's value is the connection value plus what to do,
 * `{"connectionId":N,"warningIds":[…],"do":"refresh"|"active"|"snooze","snooze":"7d"}`.
 */
import type { App } from '@slack/bolt';
import { ACTION } from '../blocks/action-ids';
import type { BotDeps } from '../deps';
import { todayOf } from '../health-report';
import { parseSnooze, recordActivity, recordRefresh, snoozeWarnings } from '../operations/caretaking';
import { UsageError } from '../usage-error';
import { pressedValue } from './action-context';
import { connectionListener, finishAction } from './listener';

export function registerItemMenu(app: App, deps: BotDeps): void {
  app.action(
    ACTION.itemMenu,
    connectionListener(deps, async (action, tools) => {
      const raw = tools.body.actions[0] ? pressedValue(tools.body.actions[0]) : undefined;
      const what = (JSON.parse(raw ?? '{}') as { do?: string }).do;
      const today = todayOf(deps, action.workspace);
      let note: string;
      if (what === 'refresh') note = await recordRefresh(action, action.connection, today);
      else if (what === 'active') note = await recordActivity(action, action.connection, today);
      else if (what === 'snooze') note = await snoozeWarnings(action, action.connection, parseSnooze(action.value.snooze ?? '1d'), action.value.warningIds);
      else throw new UsageError('I do not know that menu choice; use `/channels show <name>` instead.');
      await finishAction(action, tools, note);
    }),
  );
}
