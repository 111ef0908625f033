/**
 * Posts the rows the outbox worker claimed for one workspace (docs/architecture.md "Scheduling and
 * delivery") and settles each: `posted` (with the message's channel + ts, and the message stored
 * with the warnings it carries, so it can follow them), `failed` (a person must act first: the
 * reason says what, and the admins hear of each distinct problem once) or back to `pending` with a
 * next-attempt time (exponential backoff; after `MAX_ATTEMPTS` it is `failed`). The findings of one
 * connection form one message; more than `DIGEST_AFTER` connections for the channel form a digest.
 * A process killed half-way leaves rows in `sending`; the worker takes them back after its lease.
 */
import type { WebClient } from '@slack/web-api';
import type { Connection, Warning, Workspace } from '../../domain';
import type { DeliveryContext, DeliveryReport, WarningDelivery } from '../../runs/delivery';
import { MAX_ATTEMPTS, nextAttemptAt } from '../../runs/backoff';
import { resolvePolicy } from '../../checks/policy';
import { outageHold } from '../../checks/outage';
import { todayIn } from '../../checks/calendar';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';
import { buildDigest } from '../blocks/digest';
import { buildDeliveryFailedNotice, buildNoAlertChannelNotice } from '../blocks/dm';
import { buildConnectionMessage, type SlackMessage } from '../blocks/warning-message';
import { toWarningItem, type WarningItem } from '../blocks/warning-item';
import { escalateDue } from '../../services/escalation';
import { SlackEscalationMessenger } from './escalation-messenger';
import { MessageUpdater } from './message-updater';
import { Notifier } from './notify';
import { ChannelPacer, systemClock, type Clock } from './pacer';
import { claimedBefore, DEFAULT_RETRY, historySince, SlackSender, type FoundPost, type RetryPolicy, type SendResult } from './slack-sender';

/** More connections than this for one channel in one batch become a single digest. */
export const DIGEST_AFTER = 5;
/** The reason rows fail while no alert channel is known; choosing one retries them. */
export const NO_ALERT_CHANNEL = 'no alert channel: choose one with /channels settings (or set SLACK_ALERT_CHANNEL), then invite the bot there';
/** Rows an outage holds back are looked at again after this long. */
const OUTAGE_RECHECK_MS = 15 * 60_000;

export interface SlackDeliveryOptions {
  store: Store;
  /** Made with createDeliveryClient (library retries off). */
  client: WebClient;
  logger: Logger;
  /** Who claims rows (replica / process id), recorded in the claim token. */
  holder: string;
  /** SLACK_ALERT_CHANNEL: for workspaces that have not chosen an alert channel. */
  alertChannelFallback?: string | null;
  /** Injectable waits (pacing, Retry-After, backoff); tests record them instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock in ms for the pacer; pair it with `sleep` in tests. */
  now?: () => number;
  retry?: Partial<RetryPolicy>;
  /**
   * No wait starts once a batch has held its claimed rows this long: the rest go back to pending.
   * Keep the worker's lease above this plus one request timeout, so that no row is taken back (and
   * posted twice) while it is still being sent. Default 45 seconds.
   */
  holdLimitMs?: number;
  /** The first backoff of a row that could not be posted (doubled per attempt); default 30 s. */
  firstRetryMs?: number;
}

const DEFAULT_HOLD_LIMIT_MS = 45_000;

interface Post {
  items: WarningItem[];
  message: SlackMessage;
  kind: 'alert' | 'digest';
}

export class SlackDelivery implements WarningDelivery {
  readonly posts = true;
  private readonly sender: SlackSender;
  private readonly notifier: Notifier;
  private readonly updater: MessageUpdater;
  private readonly clock: Clock;

  constructor(private readonly options: SlackDeliveryOptions) {
    const clock: Clock = { now: options.now ?? systemClock.now, sleep: options.sleep ?? systemClock.sleep };
    this.clock = clock;
    // One pacer for the bot's lifetime: the per-channel limit holds across batches and workspaces.
    const pacer = new ChannelPacer(clock);
    this.sender = new SlackSender(options.client, pacer, clock, { ...DEFAULT_RETRY, ...options.retry }, options.logger);
    this.notifier = new Notifier(options.store, this.sender, options.logger);
    this.updater = new MessageUpdater({ store: options.store, sender: this.sender, logger: options.logger, firstRetryMs: options.firstRetryMs });
  }

  async deliver({ workspace, connections, now, claimed }: DeliveryContext): Promise<DeliveryReport> {
    const report: DeliveryReport = { posted: 0, failed: 0, pending: 0 };
    const unsettled = new Map(claimed.map((w) => [w.id, w]));
    const channel = workspace.alertChannel ?? this.options.alertChannelFallback ?? null;
    const sendOptions = { deadline: this.clock.now() + (this.options.holdLimitMs ?? DEFAULT_HOLD_LIMIT_MS) };
    const postedItems: WarningItem[] = [];
    try {
      if (!channel) {
        await this.fail(workspace, claimed, NO_ALERT_CHANNEL, report, unsettled, buildNoAlertChannelNotice(claimed.length));
        report.note = NO_ALERT_CHANNEL;
        return report;
      }
      const items = await this.toItems(workspace, claimed, connections, now, unsettled, report);
      const posts = postsFor(await this.settleEarlierPosts(workspace, channel, items, now, report, unsettled, postedItems));
      for (let i = 0; i < posts.length; i++) {
        const { items: covered, message, kind } = posts[i]!;
        const ids = covered.flatMap((item) => (item.warning ? [item.warning.id] : []));
        const result = await this.sender.post(channel, message, { ...sendOptions, warningIds: ids, kind });
        if (!result.ok && (result.outcome === 'retry' || result.channelWide)) {
          // A channel-wide refusal or exhausted retries: the rest would fare the same; settle them alike, together.
          await this.settle(
            workspace,
            posts.slice(i).flatMap((p) => p.items),
            result,
            kind,
            now,
            report,
            unsettled,
          );
          report.note = result.outcome === 'failed' ? `Not posted: ${result.reason}` : `Slack unavailable (${result.reason}): tried again later`;
          break;
        }
        await this.settle(workspace, covered, result, kind, now, report, unsettled);
        if (result.ok) postedItems.push(...covered);
      }
    } finally {
      // Whatever was not settled (an exception mid-batch) goes back now rather than after the lease.
      for (const row of unsettled.values())
        await this.options.store.warnings.releaseForRetry(row.id, 'delivery interrupted', row.claimedBy).catch(() => undefined);
    }
    const dms = postedItems.length ? await this.notifier.dmCaretakers(workspace, postedItems, channel, sendOptions) : 0;
    this.options.logger.info({ workspaceId: workspace.id, channel, ...report, dms }, 'warnings delivered');
    return report;
  }

  updateMessages(now: Date, workspaceId?: string): Promise<number> {
    return this.updater.updateDue(now, workspaceId);
  }

  /** Escalation steps due now (docs/rules.md "Escalation"): src/services/escalation decides, src/bot/delivery/escalation-messenger tells. */
  async escalate(now: Date, workspaceId?: string): Promise<number> {
    const { store, logger, alertChannelFallback } = this.options;
    const messenger = new SlackEscalationMessenger({ store, sender: this.sender, logger, alertChannelFallback });
    const report = await escalateDue({ store, logger, now: () => now }, messenger, { workspaceId });
    return report.escalated;
  }

  /**
   * Rows claimed before may already be in the channel (see `claimedBefore`): its history is searched
   * for their ids (each message's metadata carries them), and those found are settled as posted with
   * the message found instead of being posted again. Returns the items still to post.
   */
  private async settleEarlierPosts(
    workspace: Workspace,
    channel: string,
    items: WarningItem[],
    now: Date,
    report: DeliveryReport,
    unsettled: Map<number, Warning>,
    postedItems: WarningItem[],
  ): Promise<WarningItem[]> {
    const repeated = items.flatMap((item) => (item.warning && claimedBefore(item.warning) ? [item.warning] : []));
    if (!repeated.length) return items;
    const found = await this.sender.findPosts(
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
      await this.settle(
        workspace,
        covered,
        { ok: true, channel: post.channel, ts: post.ts },
        post.kind === 'digest' ? 'digest' : 'alert',
        now,
        report,
        unsettled,
      );
      postedItems.push(...covered);
    }
    this.options.logger.info(
      { workspaceId: workspace.id, channel, found: found.size },
      'warnings already in the channel: recorded as posted, not posted again',
    );
    return items.filter((item) => !(item.warning && found.has(item.warning.id)));
  }

  /** Marks rows failed; the admins hear of a problem only when no row had failed for it before. */
  private async fail(workspace: Workspace, rows: Warning[], reason: string, report: DeliveryReport, unsettled: Map<number, Warning>, notice: SlackMessage) {
    const { warnings } = this.options.store;
    const known = await warnings.countFailedWith(workspace.id, reason);
    for (const row of rows) {
      await warnings.markFailed(row.id, reason, row.claimedBy);
      unsettled.delete(row.id);
      report.failed += 1;
    }
    if (known === 0 && rows.length) await this.notifier.tellAdmins(workspace, notice, reason);
    this.options.logger.warn({ workspaceId: workspace.id, count: rows.length, reason }, 'warnings failed');
  }

  /** Words for each claimed row. A row about a connection that no longer exists is resolved, not posted. */
  private async toItems(
    workspace: Workspace,
    claimed: Warning[],
    connections: ReadonlyMap<number, Connection>,
    now: Date,
    unsettled: Map<number, Warning>,
    report: DeliveryReport,
  ): Promise<WarningItem[]> {
    const { store } = this.options;
    const today = todayIn(now, workspace.timeZone);
    const items: WarningItem[] = [];
    // Rows recorded before an outage was declared wait too: the check only stops making new ones.
    const outage = outageHold(workspace, connections);
    for (const warning of claimed) {
      if (outage.holds(warning)) {
        await store.warnings.releaseForRetry(warning.id, 'held back during a network outage', warning.claimedBy, new Date(now.getTime() + OUTAGE_RECHECK_MS));
        unsettled.delete(warning.id);
        report.pending += 1;
        continue;
      }
      const connection = connections.get(warning.connectionId) ?? (await store.connections.findById(workspace.id, warning.connectionId));
      if (!connection || connection.archivedAt) {
        await store.warnings.resolve(workspace.id, [warning.id], 'system', now);
        unsettled.delete(warning.id);
        continue;
      }
      try {
        items.push(toWarningItem(warning, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides, connection.tool) }));
      } catch (error) {
        await store.warnings.markFailed(warning.id, `could not write the warning: ${(error as Error).message}`, warning.claimedBy);
        unsettled.delete(warning.id);
        report.failed += 1;
      }
    }
    return items;
  }

  private async settle(
    workspace: Workspace,
    items: WarningItem[],
    result: SendResult,
    kind: Post['kind'],
    now: Date,
    report: DeliveryReport,
    unsettled: Map<number, Warning>,
  ) {
    const { warnings } = this.options.store;
    const rows = items.flatMap((i) => (i.warning ? [i.warning] : []));
    if (result.ok) {
      for (const row of rows) {
        await warnings.markPosted(row.id, { channel: result.channel, ts: result.ts, now }, row.claimedBy);
        unsettled.delete(row.id);
        report.posted += 1;
      }
      await warnings.recordMessage({
        workspaceId: workspace.id,
        channel: result.channel,
        ts: result.ts,
        kind,
        warnings: rows.map((r) => ({ id: r.id, state: 'posted' })),
      });
      return;
    }
    if (result.outcome === 'failed') {
      await this.fail(workspace, rows, result.reason, report, unsettled, buildDeliveryFailedNotice(result.reason, rows.length));
      return;
    }
    const givenUp = rows.filter((r) => r.attempts >= MAX_ATTEMPTS);
    if (givenUp.length) {
      const reason = `${result.reason} (gave up after ${MAX_ATTEMPTS} attempts)`;
      await this.fail(workspace, givenUp, reason, report, unsettled, buildDeliveryFailedNotice(reason, givenUp.length));
    }
    for (const row of rows.filter((r) => r.attempts < MAX_ATTEMPTS)) {
      await warnings.releaseForRetry(row.id, result.reason, row.claimedBy, nextAttemptAt(now, row.attempts, this.options.firstRetryMs));
      unsettled.delete(row.id);
      report.pending += 1;
    }
    this.options.logger.warn({ workspaceId: workspace.id, count: rows.length, reason: result.reason }, 'warnings not posted: tried again later');
  }
}

/** One message per connection, or one digest when more than `DIGEST_AFTER` connections are concerned. */
function postsFor(items: WarningItem[]): Post[] {
  const byConnection = new Map<number, WarningItem[]>();
  for (const item of items) byConnection.set(item.connection.id, [...(byConnection.get(item.connection.id) ?? []), item]);
  if (byConnection.size > DIGEST_AFTER) return [{ items, message: buildDigest(items), kind: 'digest' }];
  return [...byConnection.values()].map((group) => ({ items: group, message: buildConnectionMessage(group), kind: 'alert' }));
}
