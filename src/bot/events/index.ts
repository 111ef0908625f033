import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { registerAppHomeOpened } from './app-home-opened';
import { registerUserChange } from './user-change';

/** Events API subscriptions; manifest.yml's bot_events must list exactly these (test/bot/manifest.test.ts). */
export const BOT_EVENTS = ['app_home_opened', 'user_change'] as const;

export function register(app: App, deps: BotDeps): void {
  registerAppHomeOpened(app, deps);
  registerUserChange(app, deps);
}
