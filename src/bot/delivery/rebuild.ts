/**
 * The blocks of a stored message as it should read now (src/outbox/rewrite.ts rebuilds its items
 * from the database): built with the builder it was posted with, each settled item saying who
 * settled it and when without its buttons, a climb or an "I'm on it" under its item, and a message
 * whose items are all settled saying so first.
 */
import type { KnownBlock } from '@slack/types';
import { actorOf, type Warning } from '../../domain';
import type { Rewrite } from '../../outbox/slack-port';
import { markBlocksActedOn } from '../blocks/acted-on';
import { escalationNote, slackDate, withEscalationNote } from '../blocks/escalation';
import { buildDigest } from '../blocks/digest';
import { buildDmMessage, dmItemBlockId } from '../blocks/dm';
import { buildConnectionMessage, itemActionsBlockId, WARNING_ACTIONS_BLOCK, type SlackMessage } from '../blocks/warning-message';
import { mention, truncate } from '../mrkdwn';
import { mergeByAction, partsOf } from '../../outbox/merge-items';

const SETTLED: ReadonlySet<string> = new Set(['resolved', 'snoozed']);

/** The message a rewrite describes, built with the builder it was posted with. */
export function rebuildMessage(rewrite: Rewrite): SlackMessage {
  const { items, acted } = rewrite;
  let message: SlackMessage;
  if (rewrite.kind === 'digest') message = buildDigest(items, rewrite.summary);
  else if (rewrite.kind === 'dm')
    message = buildDmMessage({ userId: rewrite.recipient ?? '', items, alertChannel: rewrite.alertChannel, summary: rewrite.summary });
  else message = buildConnectionMessage(items);
  let blocks = message.blocks;
  // The builders merge the items one fix settles (src/outbox/merge-items): an item is settled once
  // all its rows are, and is found by its worst row's id, as the builder wrote it.
  const shown = mergeByAction(items);
  // A climb or an "I'm on it" shows under its item (docs/rules.md "Escalation").
  for (const item of shown) {
    const note = partsOf(item)
      .map((p) => escalationNote(p.warning!, rewrite.escalation))
      .find((n) => n !== null);
    if (note) blocks = withEscalationNote(blocks, blockIdOf(rewrite, shown.length, item.warning!.id), note);
  }
  let actedShown = false;
  for (const item of shown) {
    const parts = partsOf(item);
    if (!parts.every((p) => SETTLED.has(p.warning!.state))) continue;
    const blockId = blockIdOf(rewrite, shown.length, item.warning!.id);
    // The item someone just acted on says what they did; the others who settled them and when.
    const own = acted && acted.blockId === blockId;
    if (own) actedShown = true;
    blocks = markSettled(blocks, blockId, own ? acted.note : settledNote(item.warning!));
  }
  if (acted && !actedShown) blocks = markBlocksActedOn(blocks, acted.blockId, acted.note);
  // A big message shows its most urgent items only: its summary says whether every one is settled.
  const allSettled = rewrite.summary ? rewrite.summary.settled === rewrite.summary.total : items.every((i) => SETTLED.has(i.warning!.state));
  if (!allSettled) return { text: message.text, blocks };
  return { text: truncate(`✅ Settled: ${message.text}`, 3000), blocks: markAllSettled(blocks) };
}

function blockIdOf(message: Pick<Rewrite, 'kind'>, count: number, warningId: number): string {
  if (message.kind === 'digest') return `ck_item_${warningId}`;
  if (message.kind === 'dm') return dmItemBlockId(warningId);
  return count === 1 ? WARNING_ACTIONS_BLOCK : itemActionsBlockId(warningId);
}

/** Who settled a warning and when: the date renders in each reader's own time zone. */
export function settledNote(warning: Warning): string {
  const by = actorOf(warning.resolvedBy);
  const who = by.kind === 'person' ? mention(by.userId) : by.kind === 'cli' ? 'the command line' : null;
  if (warning.state === 'snoozed') {
    const until = warning.snoozedUntil ? ` until ${slackDate(warning.snoozedUntil)}` : '';
    return `💤 Snoozed${who ? ` by ${who}` : ''}${until}`;
  }
  const when = warning.resolvedAt ? ` ${slackDate(warning.resolvedAt)}` : '';
  return who ? `✅ Resolved by ${who}${when}` : `✅ Resolved${when}: the finding no longer holds`;
}

/** The item's actions go; a plain section (a DM item) keeps its text and gets the note after it. */
function markSettled(blocks: KnownBlock[], blockId: string, note: string): KnownBlock[] {
  const index = blocks.findIndex((b) => b.block_id === blockId);
  if (index === -1) return blocks;
  const block = blocks[index]!;
  if (block.type === 'section' && !block.accessory) {
    const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(note, 3000) }] };
    return [...blocks.slice(0, index + 1), context, ...blocks.slice(index + 1)].slice(0, 50);
  }
  return markBlocksActedOn(blocks, blockId, note);
}

function markAllSettled(blocks: KnownBlock[]): KnownBlock[] {
  const [first, ...rest] = blocks;
  if (first?.type === 'header') {
    return [{ ...first, text: { ...first.text, text: truncate(`✅ Settled · ${first.text.text}`, 150) } }, ...rest];
  }
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: '✅ All settled' }] } as KnownBlock, ...blocks].slice(0, 50);
}
