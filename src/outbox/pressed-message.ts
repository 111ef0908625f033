/**
 * A button press rewrites the pressed message at once, through the same rewrite the worker uses
 * (rewrite.ts): only a message the bot stored for the presser's workspace, found by its channel and
 * ts (nothing a payload says about it is trusted).
 */
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { PostedMessages } from './messages';
import { rewriteMessage, type RewriteOutcome } from './rewrite';
import type { SlackPort } from './slack-port';

/**
 * A button press on a message: the message at `channel`/`ts`, if the bot stored it for this
 * workspace, is rebuilt and rewritten at once with the note on the pressed item. `elsewhere`: not
 * one of the bot's stored messages of this workspace (the listener answers in its thread instead).
 */
export async function rewritePressedMessage(
  deps: { store: Store; logger: Logger; now: () => Date; defaultAlertChannel?: string | null },
  port: SlackPort,
  workspaceId: string,
  message: { channel: string; ts: string },
  acted?: { blockId?: string; note: string },
): Promise<RewriteOutcome | 'elsewhere'> {
  const messages = new PostedMessages(deps.store);
  const id = await messages.findAt(message.channel, message.ts);
  const stored = id === null ? null : await messages.find(id);
  if (!stored || stored.workspaceId !== workspaceId) return 'elsewhere';
  const rewriteDeps = { store: deps.store, messages, logger: deps.logger, alertChannelFallback: deps.defaultAlertChannel ?? null };
  return rewriteMessage(rewriteDeps, port, stored.id, deps.now(), acted);
}
