/** Marking one item of a built message as acted on (a note in place of its buttons). */
import type { KnownBlock } from '@slack/types';
import { truncate } from '../mrkdwn';

/**
 * The message re-rendered to say who did what and when: the acted actions block is replaced by a
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
