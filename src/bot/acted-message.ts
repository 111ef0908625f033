/**
 * Updating a message in place after someone acted on it (a warning, a digest, a card): one helper
 * for every listener, also for delivery's own messages. Channel messages are rewritten with
 * chat.update; ephemeral ones (only their viewer sees them) through the action's response_url.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { truncate } from './mrkdwn';

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

/**
 * The message re-rendered to say who did what and when: the pressed actions block is replaced by a
 * context line (a section keeps its text and loses its accessory menu, the note following it), so
 * the same button cannot be pressed twice; the rest of the message (other items of a digest) stays.
 */
export function markBlocksActedOn(blocks: readonly KnownBlock[], actedBlockId: string | undefined, note: string): KnownBlock[] {
  const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(note, 3000) }] };
  const index = actedBlockId === undefined ? -1 : blocks.findIndex((b) => b.block_id === actedBlockId);
  if (index === -1) return [...blocks, context].slice(-50);
  const acted = blocks[index]!;
  if (acted.type === 'section' && acted.accessory) {
    const { accessory: _menu, ...text } = acted;
    return [...blocks.slice(0, index), text, context, ...blocks.slice(index + 1)].slice(0, 50);
  }
  return [...blocks.slice(0, index), context, ...blocks.slice(index + 1)];
}
