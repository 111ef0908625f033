/**
 * The Slack side of the outbox (src/outbox/slack-port.ts): turns the outbox's items into blocks with
 * the builders of src/bot/blocks and sends them through SlackSender (paced per channel; 429 waits
 * as Slack says; 5xx and timeouts back off; a post whose answer was lost is looked for in the
 * history by its metadata before it is sent again). It answers with a result and writes no row:
 * the outbox worker settles every row.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import type { FoundPost, Outgoing, PortResult, Rewrite, SendWindow, SlackPort, SlackPorts } from '../../outbox/slack-port';
import { buildDigest } from '../blocks/digest';
import { buildDeliveryFailedNotice, buildDmMessage, buildNoAlertChannelNotice } from '../blocks/dm';
import { buildEscalationDm, buildEscalationPost } from '../blocks/escalation';
import { buildMissedChecksMessage } from '../blocks/missed-checks';
import { buildSyncNotice } from '../blocks/sync-notice';
import { buildConnectionMessage, type SlackMessage } from '../blocks/warning-message';
import type { SlackClients } from '../oauth/clients';
import { ChannelPacer, sleepFor, type Clock } from './pacer';
import { rebuildMessage } from './rebuild';
import { DEFAULT_RETRY, SlackSender, type RetryPolicy } from './slack-sender';

/** The outbox's code for a post that found no alert channel (its notice says how to choose one). */
const NO_ALERT_CHANNEL_CODE = 'no_alert_channel';
const DEFAULT_HOLD_LIMIT_MS = 45_000;

export interface SlackPortOptions {
  /** Made with createDeliveryClient (library retries off). */
  client: WebClient;
  logger: Logger;
  /** The clock (elapsed time for pacing and the hold limit); pair it with `sleep` in tests. */
  now: () => Date;
  /** Injectable waits (pacing, Retry-After, backoff); tests record them instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  retry?: Partial<RetryPolicy>;
  /**
   * No wait starts once a batch has held its claimed rows this long: the rest go back to pending.
   * Keep the worker's lease above this plus one request timeout, so that no row is taken back (and
   * posted twice) while it is still being sent. Default 45 seconds.
   */
  holdLimitMs?: number;
}

export class SlackPortAdapter implements SlackPort {
  private readonly sender: SlackSender;
  private readonly clock: Clock;

  constructor(private readonly options: SlackPortOptions) {
    this.clock = { now: options.now, sleep: options.sleep ?? sleepFor };
    // One pacer for the port's lifetime: the per-channel limit holds across batches.
    this.sender = new SlackSender(options.client, new ChannelPacer(this.clock), this.clock, { ...DEFAULT_RETRY, ...options.retry }, options.logger);
  }

  window(): SendWindow {
    return { deadline: new Date(this.clock.now().getTime() + (this.options.holdLimitMs ?? DEFAULT_HOLD_LIMIT_MS)) };
  }

  post(
    to: string,
    message: Outgoing,
    options: { window?: SendWindow; warningIds?: readonly number[]; escalationIds?: readonly number[] } = {},
  ): Promise<PortResult> {
    // Messages that carry warnings say which in their metadata (found again by the history look-up);
    // an escalation message says which rows it is, so it is not taken for the warnings' first post.
    const carries = message.kind === 'alert' || message.kind === 'digest' || message.kind === 'dm';
    const escalation = (message.kind === 'escalation_dm' || message.kind === 'escalation_post') && !!options.escalationIds?.length;
    return this.sender.post(to, blocksOf(message), {
      deadline: options.window?.deadline,
      ...(carries ? { warningIds: options.warningIds, kind: message.kind } : {}),
      ...(escalation ? { escalationIds: options.escalationIds, kind: message.kind } : {}),
    });
  }

  update(channel: string, ts: string, message: Rewrite): Promise<PortResult> {
    return this.sender.update(channel, ts, rebuildMessage(message));
  }

  findPosts(conversation: string, ids: readonly number[], since: Date, carrying: 'warnings' | 'escalations' = 'warnings'): Promise<Map<number, FoundPost>> {
    return this.sender.findPosts(conversation, ids, since.getTime() / 1000, carrying);
  }
}

/** The blocks of an outgoing message, from the builders it has always had. */
export function blocksOf(message: Outgoing): SlackMessage {
  switch (message.kind) {
    case 'alert':
      return buildConnectionMessage(message.items);
    case 'digest':
      return buildDigest(message.items, message.summary);
    case 'dm':
      return buildDmMessage({ userId: message.userId, items: message.items, alertChannel: message.alertChannel, summary: message.summary });
    case 'escalation_dm':
      return buildEscalationDm(message);
    case 'escalation_post':
      return buildEscalationPost(message);
    case 'admin_notice':
      return message.code === NO_ALERT_CHANNEL_CODE ? buildNoAlertChannelNotice(message.count) : buildDeliveryFailedNotice(message.reason, message.count);
    case 'missed_checks':
      return buildMissedChecksMessage(message.missed);
    case 'sync_notice':
      return buildSyncNotice(message.notice);
  }
}

/** Single-workspace mode: one port (one token) for every workspace. */
export function singlePort(port: SlackPort): SlackPorts {
  return { forWorkspace: () => port };
}

/**
 * Multi-workspace mode: each workspace's port over a client carrying that workspace's token
 * (oauth/clients.ts). Made on first use and kept, so each keeps its channel pacing between passes.
 */
export class PerWorkspacePorts implements SlackPorts {
  private readonly ports = new Map<string, SlackPortAdapter>();

  constructor(private readonly options: Omit<SlackPortOptions, 'client'> & { clients: SlackClients }) {}

  forWorkspace(workspaceId: string): SlackPort {
    let port = this.ports.get(workspaceId);
    if (!port) {
      const { clients, ...options } = this.options;
      port = new SlackPortAdapter({ ...options, client: clients.forWorkspace(workspaceId) });
      this.ports.set(workspaceId, port);
    }
    return port;
  }
}
