import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps';
import { registerChannels } from './channels';

/** Slash commands: one, `/channels`, with its subcommands routed in router.ts. */
export function register(app: App, deps: BotDeps): void {
  registerChannels(app, deps);
}
