/**
 * The side messages of a delivery run: DMs to owners and backups, and notices to admins. They are
 * courtesy copies: a failure is logged and never changes a warning's state or stops the run.
 */
import type { Workspace } from '../../domain';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';
import { buildDmMessage } from '../blocks/dm';
import type { SlackMessage } from '../blocks/warning-message';
import type { WarningItem } from '../blocks/warning-item';
import { claimedBefore, historySince, type PostOptions, type SlackSender } from './slack-sender';

export class Notifier {
  constructor(
    private readonly store: Store,
    private readonly sender: SlackSender,
    private readonly logger: Logger,
  ) {}

  /** One DM per person (owner or backup, still active) listing the warnings about their channels. */
  async dmCaretakers(workspace: Workspace, posted: readonly WarningItem[], alertChannel: string, options: PostOptions = {}): Promise<number> {
    try {
      return await this.dmEach(workspace, posted, alertChannel, options);
    } catch (error) {
      this.logger.warn({ workspaceId: workspace.id, err: error }, 'direct messages not sent');
      return 0;
    }
  }

  /** The same notice to every active admin of the workspace. */
  async tellAdmins(workspace: Workspace, message: SlackMessage, why: string, options: PostOptions = {}): Promise<number> {
    try {
      const admins = await this.store.members.list(workspace.id, { role: 'admin', active: true });
      if (!admins.length) this.logger.warn({ workspaceId: workspace.id, why }, 'no admin known to tell');
      let sent = 0;
      for (const admin of admins) if (await this.send(workspace, admin.userId, message, why, options)) sent += 1;
      return sent;
    } catch (error) {
      this.logger.warn({ workspaceId: workspace.id, why, err: error }, 'admins not told');
      return 0;
    }
  }

  private async dmEach(workspace: Workspace, posted: readonly WarningItem[], alertChannel: string, options: PostOptions): Promise<number> {
    const inactive = await this.store.members.inactiveUserIds(workspace.id);
    const byPerson = new Map<string, WarningItem[]>();
    for (const item of posted) {
      const people = new Set([item.connection.ownerId, ...item.connection.backups.map((b) => b.userId)]);
      for (const userId of people) {
        if (!userId || inactive.has(userId)) continue;
        byPerson.set(userId, [...(byPerson.get(userId) ?? []), item]);
      }
    }
    let sent = 0;
    for (const [userId, all] of byPerson) {
      const items = await this.notYetSent(workspace, userId, all);
      if (!items.length) continue;
      const ids = items.flatMap((i) => (i.warning ? [i.warning.id] : []));
      const result = await this.sendDetailed(workspace, userId, buildDmMessage({ userId, items, alertChannel }), 'dm', {
        ...options,
        warningIds: ids,
        kind: 'dm',
      });
      if (!result) continue;
      sent += 1;
      await this.remember(workspace, userId, result, ids);
    }
    return sent;
  }

  /** Remembered like the channel message, so the DM follows its warnings too. */
  private async remember(workspace: Workspace, userId: string, message: { channel: string; ts: string }, ids: number[]): Promise<void> {
    await this.store.warnings.recordMessage({
      workspaceId: workspace.id,
      channel: message.channel,
      ts: message.ts,
      kind: 'dm',
      recipient: userId,
      warnings: ids.map((id) => ({ id, state: 'posted' })),
    });
  }

  /**
   * The items still to send to this person: when some rows were claimed before (a replica may have
   * died after sending this DM), the DM's history is searched for their ids first, and a DM found is
   * remembered instead of being sent again.
   */
  private async notYetSent(workspace: Workspace, userId: string, items: WarningItem[]): Promise<WarningItem[]> {
    const repeated = items.flatMap((i) => (i.warning && claimedBefore(i.warning) ? [i.warning] : []));
    if (!repeated.length) return items;
    const found = await this.sender.findPosts(
      userId,
      repeated.map((w) => w.id),
      historySince(repeated),
    );
    const byMessage = new Map<string, { channel: string; ts: string; ids: number[] }>();
    for (const [id, post] of found) {
      const group = byMessage.get(post.ts) ?? { channel: post.channel, ts: post.ts, ids: [] };
      group.ids.push(id);
      byMessage.set(post.ts, group);
    }
    for (const message of byMessage.values()) await this.remember(workspace, userId, message, message.ids);
    return items.filter((i) => !(i.warning && found.has(i.warning.id)));
  }

  private async send(workspace: Workspace, userId: string, message: SlackMessage, why: string, options: PostOptions): Promise<boolean> {
    return (await this.sendDetailed(workspace, userId, message, why, options)) !== null;
  }

  /** chat.postMessage to a user id lands in the bot's DM with them: no conversations.open needed. */
  private async sendDetailed(
    workspace: Workspace,
    userId: string,
    message: SlackMessage,
    why: string,
    options: PostOptions,
  ): Promise<{ channel: string; ts: string } | null> {
    try {
      const result = await this.sender.post(userId, message, options);
      if (!result.ok) this.logger.warn({ workspaceId: workspace.id, userId, why, reason: result.reason }, 'direct message not sent');
      return result.ok ? { channel: result.channel, ts: result.ts } : null;
    } catch (error) {
      this.logger.warn({ workspaceId: workspace.id, userId, why, err: error }, 'direct message not sent');
      return null;
    }
  }
}
