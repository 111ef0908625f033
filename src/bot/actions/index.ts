import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { registerConfirmRemove } from './confirm-remove';
import { registerIWasActive } from './i-was-active';
import { registerItemMenu } from './item-menu';
import { registerMarkReconnected } from './mark-reconnected';
import { registerMarkRefreshed } from './mark-refreshed';
import { registerNextPage } from './next-page';
import { registerOpenFromHome } from './open-from-home';
import { registerOpenModals } from './open-modal';
import { registerSnooze } from './snooze';
import { registerViewHistory } from './view-history';

/** Buttons and menus: on cards, lists, Home, and delivery's warning messages (same ACTION ids). */
export function register(app: App, deps: BotDeps): void {
  registerMarkRefreshed(app, deps);
  registerIWasActive(app, deps);
  registerMarkReconnected(app, deps);
  registerSnooze(app, deps);
  registerItemMenu(app, deps);
  registerViewHistory(app, deps);
  registerConfirmRemove(app, deps);
  registerOpenModals(app, deps);
  registerNextPage(app, deps);
  registerOpenFromHome(app, deps);
}
