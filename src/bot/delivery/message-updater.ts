/**
 * Messages follow their warnings: every stored message (alert channel message, digest, DM) that
 * carries a warning settled since it was written is rebuilt from the database (never from what a
 * payload says it looked like) and rewritten with chat.update: each settled item says who settled
 * it and when, its buttons are gone, and a message whose items are all settled says so first.
 * Updates are paced like posts; a failed one is tried again with backoff.
 */
import type { KnownBlock } from '@slack/types';
import type { Connection, Warning, Workspace } from '../../domain';
import { todayIn } from '../../checks/calendar';
import { resolvePolicy } from '../../checks/policy';
import { nextAttemptAt } from '../../runs/backoff';
import type { Logger } from '../../logger';
import type { StoredMessage } from '../../store/warning-repository';
import type { Store } from '../../store/store';
import { markBlocksActedOn } from '../blocks/acted-on';
import { escalationNote, slackDate, withEscalationNote } from '../blocks/escalation';
import { buildDigest } from '../blocks/digest';
import { buildDmMessage, dmItemBlockId } from '../blocks/dm';
import { buildConnectionMessage, itemActionsBlockId, WARNING_ACTIONS_BLOCK, type SlackMessage } from '../blocks/warning-message';
import { toWarningItem, type WarningItem } from '../blocks/warning-item';
import { escapeMrkdwn, mention, truncate } from '../mrkdwn';
import type { SlackSender } from './slack-sender';

const SETTLED: ReadonlySet<string> = new Set(['resolved', 'snoozed']);
const BATCH = 100;

export interface MessageUpdaterDeps {
  store: Store;
  sender: SlackSender;
  logger: Logger;
  /** SLACK_ALERT_CHANNEL, named in rebuilt DMs when the workspace has none. */
  alertChannelFallback?: string | null;
  firstRetryMs?: number;
}

export class MessageUpdater {
  constructor(private readonly deps: MessageUpdaterDeps) {}

  /** Rewrites every message due an update; returns how many were rewritten. */
  async updateDue(now: Date, workspaceId?: string): Promise<number> {
    const seen = new Set<number>();
    let updated = 0;
    for (;;) {
      const ids = (await this.deps.store.warnings.messagesToUpdate(now, BATCH, workspaceId)).filter((id) => !seen.has(id));
      if (!ids.length) return updated;
      for (const id of ids) {
        seen.add(id);
        if (await this.rewrite(id, now)) updated += 1;
      }
    }
  }

  /** Rebuilds one stored message from the database and rewrites it; false when it could not be. */
  async rewrite(id: number, now: Date): Promise<boolean> {
    const { store, logger } = this.deps;
    const stored = await store.warnings.findMessage(id);
    if (!stored) return false;
    const states = stored.warnings;
    try {
      const workspace = await store.workspaces.findById(stored.workspaceId);
      if (!workspace) return false;
      const connections = new Map<number, Connection>();
      for (const w of stored.warnings) {
        if (connections.has(w.connectionId)) continue;
        const connection = await store.connections.findById(workspace.id, w.connectionId);
        if (connection) connections.set(connection.id, connection);
      }
      const message = rebuildMessage(stored, workspace, connections, workspace.alertChannel ?? this.deps.alertChannelFallback ?? null);
      if (!message) {
        await store.warnings.markMessageWritten(id, states);
        return false;
      }
      const result = await this.deps.sender.update(stored.channel, stored.ts, message);
      if (result.ok) {
        await store.warnings.markMessageWritten(id, states);
        return true;
      }
      const retryAt = result.outcome === 'retry' ? nextAttemptAt(now, stored.attempts + 1, this.deps.firstRetryMs) : null;
      await store.warnings.messageUpdateFailed(id, result.reason, retryAt, states);
      logger.warn({ messageId: id, channel: stored.channel, reason: result.reason, retry: retryAt !== null }, 'message not updated');
      return false;
    } catch (error) {
      logger.warn({ messageId: id, err: (error as Error).message }, 'message not updated; tried again later');
      await store.warnings
        .messageUpdateFailed(id, (error as Error).message, nextAttemptAt(now, stored.attempts + 1, this.deps.firstRetryMs))
        .catch(() => undefined);
      return false;
    }
  }
}

/**
 * The message as it should read now: built with the builder it was posted with, from the stored
 * warnings (worded as of the day it was posted), each settled item marked. Null when none of its
 * connections exists any more.
 */
export function rebuildMessage(
  stored: StoredMessage,
  workspace: Workspace,
  connections: ReadonlyMap<number, Connection>,
  alertChannel: string | null,
  acted?: { blockId?: string; note: string },
): SlackMessage | null {
  const today = todayIn(stored.createdAt, workspace.timeZone);
  const items: WarningItem[] = [];
  for (const warning of stored.warnings) {
    const connection = connections.get(warning.connectionId);
    if (connection) items.push(toWarningItem(warning, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides) }));
  }
  if (!items.length) return null;
  let message: SlackMessage;
  if (stored.kind === 'digest') message = buildDigest(items);
  else if (stored.kind === 'dm') message = buildDmMessage({ userId: stored.recipient ?? '', items, alertChannel: alertChannel ?? stored.channel });
  else message = buildConnectionMessage(items);
  let blocks = message.blocks;
  // A climb or an "I'm on it" shows under its item (docs/rules.md "Escalation").
  for (const item of items) {
    const note = escalationNote(item.warning!, workspace.escalation);
    if (note) blocks = withEscalationNote(blocks, blockIdOf(stored, items.length, item.warning!.id), note);
  }
  let actedShown = false;
  for (const item of items) {
    const warning = item.warning!;
    if (!SETTLED.has(warning.state)) continue;
    const blockId = blockIdOf(stored, items.length, warning.id);
    // The item someone just acted on says what they did; the others who settled them and when.
    const own = acted && acted.blockId === blockId;
    if (own) actedShown = true;
    blocks = markSettled(blocks, blockId, own ? acted.note : settledNote(warning));
  }
  if (acted && !actedShown) blocks = markBlocksActedOn(blocks, acted.blockId, acted.note);
  const allSettled = items.every((i) => SETTLED.has(i.warning!.state));
  if (!allSettled) return { text: message.text, blocks };
  return { text: truncate(`✅ Settled: ${message.text}`, 3000), blocks: markAllSettled(blocks) };
}

function blockIdOf(stored: StoredMessage, count: number, warningId: number): string {
  if (stored.kind === 'digest') return `ck_item_${warningId}`;
  if (stored.kind === 'dm') return dmItemBlockId(warningId);
  return count === 1 ? WARNING_ACTIONS_BLOCK : itemActionsBlockId(warningId);
}

/** Who settled a warning and when: the date renders in each reader's own time zone. */
export function settledNote(warning: Warning): string {
  const by = warning.resolvedBy ?? 'system';
  const who = /^[UW][A-Z0-9]{2,}$/.test(by) ? mention(by) : by === 'system' ? null : escapeMrkdwn(by === 'cli' ? 'the command line' : by);
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
