/**
 * Updating a message in place after someone acted on it (a warning, a digest, a card): one helper
 * for every listener, also for delivery's own messages. Channel messages are rewritten with
 * chat.update; ephemeral ones (only their viewer sees them) through the action's response_url.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { markBlocksActedOn } from './blocks/acted-message';

export interface ActedMessage {
  channel: string;
  ts: string;
  /** The message's blocks as they were; without them the note goes into the thread instead. */
  blocks?: KnownBlock[];
  /** The actions block that was pressed: it is replaced by the note. */
  blockId?: string;
  /** Fallback text of the updated message. */
  text?: string;
}

/** Says who did what and when on the message itself (mrkdwn note, e.g. from an operation). */
export async function updateActedMessage(client: WebClient, message: ActedMessage, note: string): Promise<void> {
  if (!message.blocks?.length) {
    await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: note });
    return;
  }
  await client.chat.update({
    channel: message.channel,
    ts: message.ts,
    text: message.text ?? note,
    blocks: markBlocksActedOn(message.blocks, message.blockId, note),
  });
}
