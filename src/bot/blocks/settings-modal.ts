/** `/channels settings`: alert channel, time zone, daily check time and the expiry ladder. */
import type { ModalView } from '@slack/types';
import type { Workspace } from '../../domain';
import { VIEW, CODEC, type ModalMetadata } from '../interactions';
import { escalationSettingsBlocks } from './escalation-settings';

export const SETTINGS_FIELD = {
  alertChannel: 'alert_channel',
  timeZone: 'time_zone',
  checkTime: 'check_time',
  ladder: 'expiry_ladder',
  rotateCalendar: 'rotate_calendar',
  statusCanvas: 'status_canvas',
} as const;

const STATUS_CANVAS_OPTION = { text: { type: 'plain_text', text: 'Keep a status canvas in the alert channel' }, value: 'on' } as const;

/** `feed`: the workspace calendar feed's address (it holds the secret), when one was made; `complete` false: only its path (PUBLIC_URL unset). */
export function buildSettingsModal(
  workspace: Workspace,
  alertChannel: string | null,
  metadata: ModalMetadata,
  feed?: { url: string; complete: boolean },
): ModalView {
  // Empty means each network's default ladder (60-day tokens warn later than 365-day ones).
  const ladder = workspace.policyOverrides.all?.expiryLadder?.join(', ');
  return {
    type: 'modal',
    callback_id: VIEW.settings,
    private_metadata: CODEC.modal.encode(metadata),
    title: { type: 'plain_text', text: 'Channel Keeper settings' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      // The id the command line's --workspace takes (`channel-keeper workspaces` lists them all).
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Workspace id: \`${workspace.id}\` (for \`channel-keeper … --workspace\`)` }] },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.alertChannel,
        label: { type: 'plain_text', text: 'Alert channel' },
        hint: { type: 'plain_text', text: 'Warnings are posted here; invite the bot to it.' },
        element: {
          type: 'conversations_select',
          action_id: SETTINGS_FIELD.alertChannel,
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(alertChannel ? { initial_conversation: alertChannel } : {}),
        },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.timeZone,
        label: { type: 'plain_text', text: 'Time zone' },
        hint: { type: 'plain_text', text: 'An IANA name such as Europe/Berlin or America/New_York.' },
        element: { type: 'plain_text_input', action_id: SETTINGS_FIELD.timeZone, initial_value: workspace.timeZone, max_length: 64 },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.checkTime,
        label: { type: 'plain_text', text: 'Daily check time' },
        element: { type: 'timepicker', action_id: SETTINGS_FIELD.checkTime, initial_time: workspace.checkTime },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.ladder,
        label: { type: 'plain_text', text: 'Expiry warnings (days before)' },
        optional: true,
        hint: { type: 'plain_text', text: 'Descending whole days, e.g. 30, 14, 7, 3, 1, for every network. Empty: each network’s default.' },
        element: { type: 'plain_text_input', action_id: SETTINGS_FIELD.ladder, max_length: 100, ...(ladder ? { initial_value: ladder } : {}) },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.rotateCalendar,
        label: { type: 'plain_text', text: 'Calendar feed' },
        optional: true,
        hint: {
          type: 'plain_text',
          text: feed
            ? `Subscribed calendars read ${feed.url}${feed.complete ? '' : " on the bot's public address (PUBLIC_URL, not set yet)"}. A new secret stops the current URL.`
            : 'Calendars can subscribe to the deadlines; `/channels calendar workspace` gives the URL.',
        },
        element: {
          type: 'checkboxes',
          action_id: SETTINGS_FIELD.rotateCalendar,
          options: [{ text: { type: 'plain_text', text: 'Make a new secret (the current feed URL stops working)' }, value: 'rotate' }],
        },
      },
      {
        type: 'input',
        block_id: SETTINGS_FIELD.statusCanvas,
        label: { type: 'plain_text', text: 'Status canvas' },
        optional: true,
        hint: {
          type: 'plain_text',
          text: 'A canvas in the alert channel with the health counts, what needs action and the deadlines ahead (paid Slack plans).',
        },
        element: {
          type: 'checkboxes',
          action_id: SETTINGS_FIELD.statusCanvas,
          options: [STATUS_CANVAS_OPTION],
          ...(workspace.statusCanvas ? { initial_options: [STATUS_CANVAS_OPTION] } : {}),
        },
      },
      ...escalationSettingsBlocks(workspace),
    ],
  };
}
