/**
 * Posting one workspace's claimed rows, all its due rows at once (docs/architecture.md "Scheduling
 * and delivery"): rows an outage holds back wait; the findings of one connection form one message,
 * or more than `DIGEST_AFTER` connections form one digest of the whole run (the true totals, the
 * most urgent items, a full list); rows claimed before are first looked for in the
 * channel's history (a replica killed after Slack took the post). It returns one result per row
 * and writes no row: the worker settles them. Once they are settled, `afterSettled` sends the
 * owners and backups their DMs and tells the admins of a new kind of failure.
 */
import { todayIn } from '../rules/calendar';
import { outageHold } from '../rules/outage';
import { resolvePolicy } from '../rules/policy';
import type { Connection, Warning, Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { PostedMessages } from './messages';
import { SLACK_UNAVAILABLE, type RowResult } from './queue';
import type { AdminNotice, FoundPost, Outgoing, PortResult, SendWindow, SlackPort } from './slack-port';
import { toWarningItem, type WarningItem } from './warning-item';

/** More connections than this for one channel in one delivery become a single digest. */
export const DIGEST_AFTER = 5;
/** The reason rows fail while no alert channel is known; choosing one retries them. */
export const NO_ALERT_CHANNEL = 'no alert channel: choose one with /channels settings (or set SLACK_ALERT_CHANNEL), then invite the bot there';
/** Rows an outage holds back are looked at again after this long. */
const OUTAGE_RECHECK_MS = 15 * 60_000;

export interface PostContext {
  /** The workspace, its alert channel already falling back to SLACK_ALERT_CHANNEL. */
  workspace: Workspace;
  /** The workspace's connections by id (for names, owners, backups). */
  connections: ReadonlyMap<number, Connection>;
  now: Date;
  /** The rows the worker claimed for this workspace (`sending`, with their claim token). */
  claimed: Warning[];
  port: SlackPort;
}

export interface PostOutcome {
  /** One per claimed row, pushed as soon as it is known (an exception leaves the others to the worker). */
  results: RowResult[];
  /** The items of the rows posted (or found posted): their owners and backups get a DM. */
  posted: WarningItem[];
  /** Why rows were not posted, when that is the case. */
  note?: string;
  /** The delivery's time budget, shared by its posts and DMs. */
  window?: SendWindow;
}

/** Rows claimed before (`attempts` above one) may already be in Slack: looked for before posting again. */
export function claimedBefore(warning: Warning): boolean {
  return warning.attempts > 1;
}

/**
 * Where to start looking for earlier posts of these rows: a little before the earliest was
 * recorded, and never before a row's last post (a reopened warning's old message carries its id
 * too, and must not count as this time's post).
 */
export function historySince(warnings: readonly Warning[]): Date {
  return new Date(Math.min(...warnings.map((w) => Math.max(w.createdAt.getTime() - 60_000, w.postedAt ? w.postedAt.getTime() + 1 : 0))));
}

export class Poster {
  constructor(
    private readonly deps: {
      store: Store;
      messages: PostedMessages;
      logger: Logger;
    },
  ) {}

  /** Posts the claimed rows; `outcome.results` gets one result per row. */
  async post(context: PostContext, outcome: PostOutcome): Promise<void> {
    const { workspace, claimed, port } = context;
    const channel = workspace.alertChannel;
    if (!channel) {
      for (const row of claimed) outcome.results.push({ row, outcome: 'failed', reason: { code: 'no_alert_channel', text: NO_ALERT_CHANNEL } });
      outcome.note = NO_ALERT_CHANNEL;
      return;
    }
    outcome.window = port.window();
    const items = await this.toItems(context, outcome);
    const rest = await this.findEarlierPosts(context, channel, items, outcome);
    const posts = postsFor(rest);
    for (let i = 0; i < posts.length; i++) {
      const message = posts[i]!;
      const ids = message.items.flatMap((item) => (item.warning ? [item.warning.id] : []));
      const result = await port.post(channel, message, { window: outcome.window, warningIds: ids });
      if (!result.ok && (result.outcome === 'retry' || result.channelWide)) {
        // A channel-wide refusal or exhausted retries: the rest would fare the same; settled alike, together.
        for (const later of posts.slice(i)) pushResults(outcome, later.items, result, later.kind);
        outcome.note = result.outcome === 'failed' ? `Not posted: ${result.reason}` : `Slack unavailable (${result.reason}): tried again later`;
        break;
      }
      pushResults(outcome, message.items, result, message.kind);
    }
  }

  /** After the rows are settled: one DM per owner or backup listing every posted warning about their channels. */
  async afterSettled(context: PostContext, outcome: PostOutcome): Promise<number> {
    const channel = context.workspace.alertChannel;
    if (!outcome.posted.length || !channel) return 0;
    try {
      return await this.dmCaretakers(context, outcome.posted, channel, outcome.window);
    } catch (error) {
      this.deps.logger.warn({ workspaceId: context.workspace.id, err: error }, 'direct messages not sent');
      return 0;
    }
  }

  /** The same notice to every active admin of the workspace (rows failed for a reason not seen before, checks missed). */
  async tellAdmins(context: Pick<PostContext, 'workspace' | 'port'>, notice: AdminNotice, why: string): Promise<number> {
    const { workspace, port } = context;
    const { store, logger } = this.deps;
    const failure = { text: why };
    try {
      const admins = await store.members.list(workspace.id, { role: 'admin', active: true });
      if (!admins.length) logger.warn({ workspaceId: workspace.id, why: failure.text }, 'no admin known to tell');
      let sent = 0;
      for (const admin of admins) {
        const result = await port.post(admin.userId, notice).catch((error: unknown) => {
          logger.warn({ workspaceId: workspace.id, userId: admin.userId, why: failure.text, err: error }, 'direct message not sent');
          return null;
        });
        if (result?.ok) sent += 1;
        else if (result) logger.warn({ workspaceId: workspace.id, userId: admin.userId, why: failure.text, reason: result.reason }, 'direct message not sent');
      }
      return sent;
    } catch (error) {
      logger.warn({ workspaceId: workspace.id, why: failure.text, err: error }, 'admins not told');
      return 0;
    }
  }

  /** Words for each claimed row; rows held by an outage, about a connection gone, or that cannot be worded get their result here. */
  private async toItems({ workspace, connections, now, claimed }: PostContext, outcome: PostOutcome): Promise<WarningItem[]> {
    const today = todayIn(now, workspace.timeZone);
    const items: WarningItem[] = [];
    // Rows recorded before an outage was declared wait too: the check only stops making new ones.
    const outage = outageHold(workspace, connections);
    for (const row of claimed) {
      if (outage.holds(row)) {
        outcome.results.push({
          row,
          outcome: 'held',
          reason: { code: 'outage', text: 'held back during a network outage' },
          until: new Date(now.getTime() + OUTAGE_RECHECK_MS),
        });
        continue;
      }
      const connection = connections.get(row.connectionId) ?? (await this.deps.store.connections.findById(workspace.id, row.connectionId));
      if (!connection || connection.archivedAt) {
        outcome.results.push({ row, outcome: 'gone' });
        continue;
      }
      try {
        items.push(toWarningItem(row, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides, connection.tool) }));
      } catch (error) {
        outcome.results.push({ row, outcome: 'failed', reason: { code: 'unwritable', text: `could not write the warning: ${(error as Error).message}` } });
      }
    }
    return items;
  }

  /**
   * Rows claimed before may already be in the channel: its history is searched for their ids (each
   * message's metadata carries them), and those found are posted with the message found instead of
   * being posted again. Returns the items still to post.
   */
  private async findEarlierPosts({ workspace, port }: PostContext, channel: string, items: WarningItem[], outcome: PostOutcome): Promise<WarningItem[]> {
    const repeated = items.flatMap((item) => (item.warning && claimedBefore(item.warning) ? [item.warning] : []));
    if (!repeated.length) return items;
    const found = await port.findPosts(
      channel,
      repeated.map((w) => w.id),
      historySince(repeated),
    );
    if (!found.size) return items;
    const byMessage = new Map<string, { post: FoundPost; items: WarningItem[] }>();
    for (const item of items) {
      const post = item.warning && found.get(item.warning.id);
      if (!post) continue;
      const group = byMessage.get(post.ts) ?? { post, items: [] };
      group.items.push(item);
      byMessage.set(post.ts, group);
    }
    for (const { post, items: covered } of byMessage.values()) {
      pushResults(outcome, covered, { ok: true, channel: post.channel, ts: post.ts }, post.kind === 'digest' ? 'digest' : 'alert');
    }
    this.deps.logger.info({ workspaceId: workspace.id, channel, found: found.size }, 'warnings already in the channel: recorded as posted, not posted again');
    return items.filter((item) => !(item.warning && found.has(item.warning.id)));
  }

  private async dmCaretakers({ workspace, port }: PostContext, posted: readonly WarningItem[], alertChannel: string, window?: SendWindow): Promise<number> {
    const { store, messages, logger } = this.deps;
    const inactive = await store.members.inactiveUserIds(workspace.id);
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
      const items = await this.notYetSent(workspace, port, userId, all);
      if (!items.length) continue;
      const ids = items.flatMap((i) => (i.warning ? [i.warning.id] : []));
      let result: PortResult;
      try {
        result = await port.post(userId, { kind: 'dm', userId, items, alertChannel }, { window, warningIds: ids });
      } catch (error) {
        logger.warn({ workspaceId: workspace.id, userId, why: 'dm', err: error }, 'direct message not sent');
        continue;
      }
      if (!result.ok) {
        logger.warn({ workspaceId: workspace.id, userId, why: 'dm', reason: result.reason }, 'direct message not sent');
        continue;
      }
      sent += 1;
      // Remembered like the channel message, so the DM follows its warnings too.
      await messages.record({
        workspaceId: workspace.id,
        channel: result.channel,
        ts: result.ts,
        kind: 'dm',
        recipient: userId,
        warnings: ids.map((id) => ({ id, state: 'posted' })),
      });
    }
    return sent;
  }

  /**
   * The items still to send to this person: when some rows were claimed before (a replica may have
   * died after sending this DM), the DM's history is searched for their ids first, and a DM found is
   * remembered instead of being sent again.
   */
  private async notYetSent(workspace: Workspace, port: SlackPort, userId: string, items: WarningItem[]): Promise<WarningItem[]> {
    const repeated = items.flatMap((i) => (i.warning && claimedBefore(i.warning) ? [i.warning] : []));
    if (!repeated.length) return items;
    const found = await port.findPosts(
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
    for (const message of byMessage.values()) {
      await this.deps.messages.record({
        workspaceId: workspace.id,
        channel: message.channel,
        ts: message.ts,
        kind: 'dm',
        recipient: userId,
        warnings: message.ids.map((id) => ({ id, state: 'posted' })),
      });
    }
    return items.filter((i) => !(i.warning && found.has(i.warning.id)));
  }
}

type Post = Extract<Outgoing, { kind: 'alert' | 'digest' }>;

/** One message per connection, or one digest when more than `DIGEST_AFTER` connections are concerned. */
function postsFor(items: WarningItem[]): Post[] {
  const byConnection = new Map<number, WarningItem[]>();
  for (const item of items) byConnection.set(item.connection.id, [...(byConnection.get(item.connection.id) ?? []), item]);
  if (byConnection.size > DIGEST_AFTER) return [{ kind: 'digest', items }];
  return [...byConnection.values()].map((group) => ({ kind: 'alert', items: group }));
}

function pushResults(outcome: PostOutcome, items: WarningItem[], result: PortResult, kind: Post['kind']): void {
  for (const item of items) {
    const row = item.warning;
    if (!row) continue;
    if (result.ok) {
      outcome.results.push({ row, outcome: 'posted', channel: result.channel, ts: result.ts, kind });
      outcome.posted.push(item);
    } else if (result.outcome === 'failed') {
      outcome.results.push({ row, outcome: 'failed', reason: { code: result.code, text: result.reason } });
    } else {
      outcome.results.push({ row, outcome: 'retry', reason: { code: SLACK_UNAVAILABLE, text: result.reason } });
    }
  }
}
