/**
 * Delivers a workspace's pending warnings to Slack (docs/architecture.md "Scheduling and
 * delivery"). Rows are claimed (`pending` → `sending`), posted, and each ends `posted` (with the
 * message's channel + ts, so a button can update it in place), `failed` (a person must act first:
 * the reason says what) or back in `pending` (try again next run). A run killed half-way leaves
 * rows in `sending`; the job's reclaimStuck puts them back after the lease, so none is lost.
 */
import type { WebClient } from '@slack/web-api';
import type { Connection, Warning, Workspace } from '../../domain';
import type { DeliveryContext, DeliveryReport, WarningDelivery } from '../../runs/delivery';
import { resolvePolicy } from '../../checks/policy';
import { outageHold } from '../../checks/outage';
import { todayIn } from '../../checks/calendar';
import type { Logger } from '../../logger';
import type { Store } from '../../store/store';
import { buildDigest } from '../blocks/digest';
import { buildDeliveryFailedNotice, buildNoAlertChannelNotice } from '../blocks/dm';
import { buildWarningMessage, type SlackMessage } from '../blocks/warning-message';
import { toWarningItem, type WarningItem } from '../blocks/warning-item';
import { Notifier } from './notify';
import { ChannelPacer, systemClock, type Clock } from './pacer';
import { DEFAULT_RETRY, SlackSender, type RetryPolicy, type SendResult } from './slack-sender';

/** More warnings than this for one channel in one run become a single digest. */
export const DIGEST_AFTER = 5;
const CLAIM_BATCH = 100;
/** A bound on one run's claim; the rest stays pending for the next run. */
const MAX_PER_RUN = 1000;

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
   * No wait starts once a run has held its claimed rows this long: the rest go back to pending. Keep
   * the job's reclaimStuck lease above this plus one request timeout, so that no row is reclaimed
   * (and posted twice) while this run is still sending it. Default 4 minutes.
   */
  holdLimitMs?: number;
}

const DEFAULT_HOLD_LIMIT_MS = 4 * 60_000;

interface Post {
  items: WarningItem[];
  message: SlackMessage;
}

export class SlackDelivery implements WarningDelivery {
  private readonly sender: SlackSender;
  private readonly notifier: Notifier;
  private readonly clock: Clock;

  constructor(private readonly options: SlackDeliveryOptions) {
    const clock: Clock = { now: options.now ?? systemClock.now, sleep: options.sleep ?? systemClock.sleep };
    this.clock = clock;
    // One pacer for the bot's lifetime: the per-channel limit holds across runs and workspaces.
    const pacer = new ChannelPacer(clock);
    this.sender = new SlackSender(options.client, pacer, clock, { ...DEFAULT_RETRY, ...options.retry }, options.logger);
    this.notifier = new Notifier(options.store, this.sender, options.logger);
  }

  async deliver({ workspace, connections, now }: DeliveryContext): Promise<DeliveryReport> {
    const channel = workspace.alertChannel ?? this.options.alertChannelFallback ?? null;
    if (!channel) return this.withoutAlertChannel(workspace);

    const claimed = await this.claimAll(workspace.id, now);
    const sendOptions = { deadline: this.clock.now() + (this.options.holdLimitMs ?? DEFAULT_HOLD_LIMIT_MS) };
    const report: DeliveryReport = { posted: 0, failed: 0, pending: 0 };
    const unsettled = new Set(claimed.map((w) => w.id));
    const postedItems: WarningItem[] = [];
    try {
      const items = await this.toItems(workspace, claimed, connections, now, unsettled, report);
      const posts: Post[] =
        items.length > DIGEST_AFTER ? [{ items, message: buildDigest(items) }] : items.map((item) => ({ items: [item], message: buildWarningMessage(item) }));
      let stopped: SendResult | null = null;
      for (const { items: covered, message } of posts) {
        // After a channel-wide refusal or exhausted retries, the rest would fare the same: settle them alike.
        const result: SendResult = stopped ?? (await this.sender.post(channel, message, sendOptions));
        await this.settle(workspace, covered, result, now, report, unsettled);
        if (result.ok) postedItems.push(...covered);
        else if (result.outcome === 'retry' || result.channelWide) stopped = result;
      }
      if (stopped && !stopped.ok) {
        report.note = stopped.outcome === 'failed' ? `Not posted: ${stopped.reason}` : `Slack unavailable (${stopped.reason}): kept pending for the next run`;
        if (stopped.outcome === 'failed')
          await this.notifier.tellAdmins(workspace, buildDeliveryFailedNotice(stopped.reason, report.failed), 'delivery failed', sendOptions);
      }
    } finally {
      // Whatever was not settled (an exception mid-run) goes back now rather than after the lease.
      for (const id of unsettled) await this.options.store.warnings.releaseForRetry(id, 'delivery interrupted').catch(() => undefined);
    }
    const dms = postedItems.length ? await this.notifier.dmCaretakers(workspace, postedItems, channel) : 0;
    this.options.logger.info({ workspaceId: workspace.id, channel, ...report, dms }, 'warnings delivered');
    return report;
  }

  private async withoutAlertChannel(workspace: Workspace): Promise<DeliveryReport> {
    const pending = (await this.options.store.warnings.countByState(workspace.id)).pending ?? 0;
    const note =
      'No alert channel: choose one with `/channels settings` (or set SLACK_ALERT_CHANNEL), then invite the bot there; ' +
      `${pending} warning(s) kept pending.`;
    if (pending > 0) await this.notifier.tellAdmins(workspace, buildNoAlertChannelNotice(pending), 'no alert channel');
    this.options.logger.warn({ workspaceId: workspace.id, pending }, 'no alert channel: warnings kept pending');
    return { posted: 0, failed: 0, pending, note };
  }

  private async claimAll(workspaceId: string, now: Date): Promise<Warning[]> {
    const claimed: Warning[] = [];
    while (claimed.length < MAX_PER_RUN) {
      const limit = Math.min(CLAIM_BATCH, MAX_PER_RUN - claimed.length);
      const batch = await this.options.store.warnings.claimPending(workspaceId, { limit, holder: this.options.holder, now });
      claimed.push(...batch);
      if (batch.length < limit) break;
    }
    return claimed;
  }

  /** Words for each claimed row. A row about a connection that no longer exists is resolved, not posted. */
  private async toItems(
    workspace: Workspace,
    claimed: Warning[],
    connections: ReadonlyMap<number, Connection>,
    now: Date,
    unsettled: Set<number>,
    report: DeliveryReport,
  ): Promise<WarningItem[]> {
    const { store } = this.options;
    const today = todayIn(now, workspace.timeZone);
    const items: WarningItem[] = [];
    // Rows recorded before an outage was declared wait too: the check only stops making new ones.
    const outage = outageHold(workspace, connections);
    for (const warning of claimed) {
      if (outage.holds(warning)) {
        await store.warnings.releaseForRetry(warning.id, 'held back during a network outage', warning.claimedBy);
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

  private async settle(workspace: Workspace, items: WarningItem[], result: SendResult, now: Date, report: DeliveryReport, unsettled: Set<number>) {
    const { warnings } = this.options.store;
    for (const { warning } of items) {
      if (!warning) continue;
      if (result.ok) await warnings.markPosted(warning.id, { channel: result.channel, ts: result.ts, now }, warning.claimedBy);
      else if (result.outcome === 'failed') await warnings.markFailed(warning.id, result.reason, warning.claimedBy);
      else await warnings.releaseForRetry(warning.id, result.reason, warning.claimedBy);
      unsettled.delete(warning.id);
      if (result.ok) report.posted += 1;
      else if (result.outcome === 'failed') report.failed += 1;
      else report.pending += 1;
    }
    if (!result.ok)
      this.options.logger.warn({ workspaceId: workspace.id, count: items.length, outcome: result.outcome, reason: result.reason }, 'warnings not posted');
  }
}
