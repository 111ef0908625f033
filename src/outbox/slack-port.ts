/**
 * What the outbox needs of Slack, in domain words: post a message of a kind (built from warning
 * items by the adapter in src/bot/delivery), rewrite a stored one, and look a conversation's
 * history up for messages carrying warning ids. The adapter turns items into blocks and calls
 * Slack (pacing, 429, 5xx, the history look-up); it never writes a row. Without Slack configured
 * there is no port, and the worker leaves every row pending.
 */
import type { MissedChecks } from '../rules/check-history';
import type { EscalationRung, EscalationSettings } from '../domain';
import type { SyncNotice } from '../services/sync-report';
import type { MessageSummary } from './message-summary';
import type { WarningItem } from './warning-item';

export type { MessageSummary } from './message-summary';

/** Kinds of stored messages that carry warnings (PostedMessage.kind). */
export type PostedKind = 'alert' | 'digest' | 'dm';

/** A warning an escalation message carries, with the step that brought it. */
export interface EscalatedItem {
  item: WarningItem;
  rung: EscalationRung;
}

/** A message to post, as the outbox sees it: what kind, and the items it carries. */
export type Outgoing =
  /** The findings of one connection in the alert channel. */
  | { kind: 'alert'; items: WarningItem[] }
  /**
   * One digest over many connections in the alert channel: the most urgent items, the totals of
   * every one (`summary`; absent: the items' own), the rest in a full list a button opens.
   */
  | { kind: 'digest'; items: WarningItem[]; summary?: MessageSummary }
  /** The DM to an owner or backup listing the posted warnings about their channels, in the digest's form. */
  | { kind: 'dm'; userId: string; items: WarningItem[]; alertChannel: string; summary?: MessageSummary }
  /** The escalation steps' DM to one person: every warning that climbed to them in the window. */
  | { kind: 'escalation_dm'; userId: string; escalated: EscalatedItem[]; alertChannel: string; escalation: EscalationSettings }
  /** The channel steps' post in the alert channel, mentioning the people of every warning it lists. */
  | { kind: 'escalation_post'; escalated: EscalatedItem[]; mentions: string[]; here: boolean; escalation: EscalationSettings }
  /** A notice to an admin: warnings could not be posted (`code` says why; `count` of them). */
  | { kind: 'admin_notice'; code: string; reason: string; count: number }
  /** A notice to an admin: scheduled checks were missed before this start (src/services/check-history). */
  | { kind: 'missed_checks'; missed: MissedChecks }
  /** A notice to an admin after a source sync: records that need an owner, sources that need a new credential. */
  | { kind: 'sync_notice'; notice: SyncNotice };

/** The notices that go to every active admin of a workspace. */
export type AdminNotice = Extract<Outgoing, { kind: 'admin_notice' | 'missed_checks' | 'sync_notice' }>;

/** A stored message as it should read now, for `update`. */
export interface Rewrite {
  kind: PostedKind;
  /** The person a DM went to. */
  recipient: string | null;
  /**
   * The message's items, worded as of the day it was posted, with their warnings as they are now:
   * a digest or DM gets its most urgent ones only, with `summary` counting every one.
   */
  items: WarningItem[];
  summary?: MessageSummary;
  /** The alert channel a DM names. */
  alertChannel: string;
  escalation: EscalationSettings;
  /** A button press: the pressed block shows what was done. */
  acted?: { blockId?: string; note: string };
}

export type PortResult =
  | { ok: true; channel: string; ts: string }
  /** Worth trying again later (rate limited, Slack failing, a timeout). */
  | { ok: false; outcome: 'retry'; reason: string }
  /** Needs a person first (`code`: Slack's error); `channelWide`: every post to this channel would fail alike. */
  | { ok: false; outcome: 'failed'; reason: string; code: string; channelWide: boolean };

/** A message of the bot found in a conversation's history, with the ids its metadata carries. */
export interface FoundPost {
  channel: string;
  ts: string;
  warningIds: number[];
  /** An escalation message carries its own outbox row id instead of warning ids. */
  escalationIds: number[];
  kind: string | null;
}

/** A batch's time budget: no wait (pacing, Retry-After, backoff) starts after `deadline`. */
export interface SendWindow {
  deadline: Date;
}

export interface SlackPort {
  /** A window for one batch, opened when its delivery starts (the adapter's hold limit). */
  window(): SendWindow;
  /**
   * Posts to a channel, or to a user id (the bot's DM with them). `warningIds` (alerts, digests,
   * DMs) or `escalationIds` (the escalation message rows it carries) go into the message's metadata, for findPosts.
   */
  post(
    to: string,
    message: Outgoing,
    options?: { window?: SendWindow; warningIds?: readonly number[]; escalationIds?: readonly number[] },
  ): Promise<PortResult>;
  update(channel: string, ts: string, message: Rewrite): Promise<PortResult>;
  /**
   * The bot's messages in a conversation (a channel, or a user id: their DM) posted since `since`
   * that carry any of `ids` (warning ids, or escalation message ids with `carrying: 'escalations'`):
   * id → the message. Empty when the history cannot be read.
   */
  findPosts(conversation: string, ids: readonly number[], since: Date, carrying?: 'warnings' | 'escalations'): Promise<Map<number, FoundPost>>;
}

/** One port per workspace (multi-workspace mode: each over the workspace's own token). */
export interface SlackPorts {
  forWorkspace(workspaceId: string): SlackPort;
}
