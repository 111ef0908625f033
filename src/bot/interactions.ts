/**
 * Every interactive element of the bot, in one place: its id, the typed value it carries and the
 * ONE encode/decode pair that both the Block Kit builder and its listener use, so the two cannot
 * drift apart. Values are JSON (a button or option value holds at most 2000 characters, a modal's
 * private_metadata 3000). Decoders never trust a value: they return null for anything not ours,
 * and listeners re-check the workspace and the asker's permission.
 */

export const ACTION = {
  markRefreshed: 'ck_mark_refreshed',
  iWasActive: 'ck_i_was_active',
  snooze: 'ck_snooze', // static_select with the snooze choices
  addBackup: 'ck_add_backup', // opens the backup modal
  reassignOwner: 'ck_reassign_owner', // opens the owner modal
  markDisconnected: 'ck_mark_disconnected', // opens the disconnect modal
  markReconnected: 'ck_mark_reconnected',
  viewHistory: 'ck_view_history',
  acknowledge: 'ck_acknowledge', // "I'm on it": stops a warning's escalation
  itemMenu: 'ck_item_menu', // overflow menu per digest item
  nextPage: 'ck_next_page',
  confirmRemove: 'ck_confirm_remove',
  cancel: 'ck_cancel',
  openAddChannel: 'ck_open_add_channel',
  openSettings: 'ck_open_settings',
  // "Full list" on a digest or DM, and the pages of the modal it opens.
  fullList: 'ck_full_list',
  fullListPrevious: 'ck_full_list_previous',
  fullListNext: 'ck_full_list_next',
} as const;

export const VIEW = {
  addChannel: 'ck_view_add_channel',
  editChannel: 'ck_view_edit_channel',
  settings: 'ck_view_settings',
  addBackup: 'ck_view_add_backup',
  reassignOwner: 'ck_view_reassign_owner',
  markDisconnected: 'ck_view_mark_disconnected',
} as const;

export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** The actions that act on one channel: buttons on cards and warnings, options of a digest item's menu. */
export const CONNECTION_ACTIONS = [
  ACTION.markRefreshed,
  ACTION.iWasActive,
  ACTION.snooze,
  ACTION.addBackup,
  ACTION.reassignOwner,
  ACTION.markDisconnected,
  ACTION.markReconnected,
  ACTION.viewHistory,
  ACTION.confirmRemove,
  ACTION.acknowledge,
] as const;
export type ConnectionActionId = (typeof CONNECTION_ACTIONS)[number];

/** Durations a snooze element offers (`/channels snooze <name> 7d` understands the same words). */
export const SNOOZE_CHOICES = ['1d', '7d', 'next'] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number];

/** A button on one channel (card, warning message, remove question). */
export interface ConnectionButton {
  connectionId: number;
  /** The warnings the message shows (empty on a card). */
  warningIds: number[];
}

/** An option of a warning's snooze select. */
export interface SnoozeOption extends ConnectionButton {
  snooze: SnoozeChoice;
}

/** An option of a digest item's overflow menu: one menu holds several actions, so each option names its own. */
export type ItemMenuOption =
  | (ConnectionButton & { action: typeof ACTION.snooze; snooze: SnoozeChoice })
  | (ConnectionButton & { action: Exclude<ConnectionActionId, typeof ACTION.snooze | typeof ACTION.confirmRemove> });

/** "Next page" on a status list (with its filter) or a history (a channel's, or the workspace's). */
export type PageButton = { list: 'status'; filter: string; page: number } | { list: 'history'; connectionId?: number; page: number };

/**
 * "Full list": a page of the warnings a stored message carries. Pressed on the message, it names
 * no message (the press's container does); the modal's page buttons name it.
 */
export interface FullListButton {
  page: number;
  message?: { channel: string; ts: string };
}

/**
 * What a modal remembers: the channel it is about, where to answer (the slash command's
 * response_url), and the message to update when a button opened it.
 */
export interface ModalMetadata {
  connectionId?: number;
  responseUrl?: string;
  /** Opened from an ephemeral card: the card is replaced by a fresh one showing the outcome. */
  fromCard?: boolean;
  /**
   * The message whose button opened the modal, to update in place after the submission: ids only;
   * the message must be one the bot stored, and is rebuilt from the database (src/bot/acted-message).
   */
  message?: { channel: string; ts: string; blockId?: string };
}

export interface Codec<T> {
  encode(value: T): string;
  /** The value, or null when it is not one of ours (an old or forged payload). */
  decode(raw: string | undefined): T | null;
}

type Json = Record<string, unknown>;

function codec<T>(read: (value: Json) => T | null): Codec<T> {
  return {
    encode: (value) => JSON.stringify(value),
    decode(raw) {
      try {
        const value: unknown = raw ? JSON.parse(raw) : null;
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? read(value as Json) : null;
      } catch {
        return null;
      }
    },
  };
}

function readButton(value: Json): ConnectionButton | null {
  if (!Number.isInteger(value.connectionId)) return null;
  const warningIds = Array.isArray(value.warningIds) ? value.warningIds.filter((id): id is number => Number.isInteger(id)) : [];
  return { connectionId: value.connectionId as number, warningIds };
}

function readSnooze(value: unknown): SnoozeChoice | null {
  return (SNOOZE_CHOICES as readonly unknown[]).includes(value) ? (value as SnoozeChoice) : null;
}

const MENU_ACTIONS: readonly string[] = CONNECTION_ACTIONS.filter((a) => a !== ACTION.confirmRemove);

export const CODEC = {
  button: codec<ConnectionButton>(readButton),
  /** "I'm on it" names the warnings it takes: a value without any is not one of ours. */
  acknowledge: codec<ConnectionButton>((value) => {
    const button = readButton(value);
    return button && button.warningIds.length ? button : null;
  }),
  snoozeOption: codec<SnoozeOption>((value) => {
    const button = readButton(value);
    const snooze = readSnooze(value.snooze);
    return button && snooze ? { ...button, snooze } : null;
  }),
  itemMenuOption: codec<ItemMenuOption>((value) => {
    const button = readButton(value);
    if (!button || typeof value.action !== 'string' || !MENU_ACTIONS.includes(value.action)) return null;
    if (value.action !== ACTION.snooze) return { ...button, action: value.action as Exclude<ItemMenuOption['action'], typeof ACTION.snooze> };
    const snooze = readSnooze(value.snooze);
    return snooze ? { ...button, action: ACTION.snooze, snooze } : null;
  }),
  page: codec<PageButton>((value) => {
    if (!Number.isInteger(value.page) || (value.page as number) < 0) return null;
    const page = value.page as number;
    if (value.list === 'status') return { list: 'status', filter: typeof value.filter === 'string' ? value.filter.slice(0, 200) : '', page };
    if (value.list !== 'history') return null;
    return Number.isInteger(value.connectionId) ? { list: 'history', connectionId: value.connectionId as number, page } : { list: 'history', page };
  }),
  fullList: codec<FullListButton>((value) => {
    if (!Number.isInteger(value.page) || (value.page as number) < 0) return null;
    const message = value.message as Json | undefined;
    if (message === undefined) return { page: value.page as number };
    const { channel, ts } = message ?? {};
    if (typeof channel !== 'string' || !/^[A-Z][A-Z0-9]{1,30}$/.test(channel) || typeof ts !== 'string' || !/^\d{1,12}\.\d{1,8}$/.test(ts)) return null;
    return { page: value.page as number, message: { channel, ts } };
  }),
  modal: {
    encode: (metadata: ModalMetadata) => JSON.stringify(metadata),
    /** A modal's own metadata: anything unreadable is an empty one (nothing to update). */
    decode(raw: string | undefined): ModalMetadata {
      try {
        const value: unknown = raw ? JSON.parse(raw) : {};
        if (typeof value !== 'object' || value === null) return {};
        const v = value as Json;
        const message = v.message as ModalMetadata['message'] | undefined;
        return {
          ...(Number.isInteger(v.connectionId) ? { connectionId: v.connectionId as number } : {}),
          ...(typeof v.responseUrl === 'string' ? { responseUrl: v.responseUrl } : {}),
          ...(v.fromCard === true ? { fromCard: true } : {}),
          ...(message && typeof message.channel === 'string' && typeof message.ts === 'string'
            ? { message: { channel: message.channel, ts: message.ts, ...(typeof message.blockId === 'string' ? { blockId: message.blockId } : {}) } }
            : {}),
        };
      } catch {
        return {};
      }
    },
  },
};
