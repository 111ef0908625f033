/**
 * Every Block Kit id the bot uses, in one place: builders put them on blocks, listeners match
 * them, tests use them. A button's `value` carries what the handler needs (JSON: connection id,
 * warning ids), never trust alone: handlers re-check workspace and permissions.
 */
export const ACTION = {
  markRefreshed: 'ck_mark_refreshed',
  iWasActive: 'ck_i_was_active',
  snooze: 'ck_snooze', // static_select / overflow with 1d, 7d, next_stage
  addBackup: 'ck_add_backup', // opens the backup modal
  reassignOwner: 'ck_reassign_owner', // opens the owner modal
  markDisconnected: 'ck_mark_disconnected', // opens the disconnect modal
  markReconnected: 'ck_mark_reconnected',
  viewHistory: 'ck_view_history',
  itemMenu: 'ck_item_menu', // overflow menu per digest item
  nextPage: 'ck_next_page',
  confirmRemove: 'ck_confirm_remove',
  cancel: 'ck_cancel',
  openAddChannel: 'ck_open_add_channel',
  openSettings: 'ck_open_settings',
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
export type ViewId = (typeof VIEW)[keyof typeof VIEW];
