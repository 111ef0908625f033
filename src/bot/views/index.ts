import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { registerAddChannel } from './add-channel';
import { registerEditChannel } from './edit-channel';
import { registerMarkDisconnected } from './mark-disconnected';
import { registerPersonPicks } from './person-pick';
import { registerSettings } from './settings';

/** Modal submissions (callback ids in blocks/action-ids.ts VIEW). */
export function register(app: App, deps: BotDeps): void {
  registerAddChannel(app, deps);
  registerEditChannel(app, deps);
  registerPersonPicks(app, deps);
  registerMarkDisconnected(app, deps);
  registerSettings(app, deps);
}
