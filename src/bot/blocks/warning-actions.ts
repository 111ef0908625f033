/**
 * Which actions a warning offers, and how they are written into Block Kit: buttons and a snooze
 * menu on a single warning, one overflow menu per digest item. Every element carries an
 * `ActionValue` as JSON, so the listeners know what was pressed on what.
 */
import type { ActionsBlockElement, Button, Overflow, PlainTextOption, StaticSelect } from '@slack/types';
import type { FindingKind } from '../../domain';
import { EXPIRED_STAGE } from '../../rules/finding';
import { ACTION, CODEC, SNOOZE_CHOICES, type ActionId, type ConnectionActionId, type ConnectionButton, type SnoozeChoice } from '../interactions';
import { truncate } from '../mrkdwn';
import { LIMITS } from './warning-format';

/** A digest item's overflow holds at most 5 options, shared with the other actions. */
const DIGEST_SNOOZE_CHOICES: readonly SnoozeChoice[] = ['1d', 'next'];

export const ACTION_LABEL: Partial<Record<ActionId, string>> = {
  [ACTION.markRefreshed]: 'Mark refreshed',
  [ACTION.iWasActive]: 'I was active',
  [ACTION.snooze]: 'Snooze',
  [ACTION.addBackup]: 'Add backup admin',
  [ACTION.reassignOwner]: 'Reassign owner',
  [ACTION.markDisconnected]: 'Mark disconnected',
  [ACTION.markReconnected]: 'Mark reconnected',
  [ACTION.viewHistory]: 'View history',
  [ACTION.acknowledge]: 'I’m on it',
};

const SNOOZE_LABEL: Record<SnoozeChoice, string> = { '1d': '1 day', '7d': '7 days', next: 'until the next stage' };

type WarningAction = Exclude<ConnectionActionId, typeof ACTION.confirmRemove>;

/**
 * The actions that fix (or quiet) a finding of this kind, the fix first; `acknowledge` adds
 * "I'm on it" after the fix (a warning that may escalate, docs/rules.md "Escalation").
 */
export function actionsFor(kind: FindingKind, stage: string, acknowledge = false): WarningAction[] {
  const actions = fixesFor(kind, stage);
  return acknowledge ? [actions[0]!, ACTION.acknowledge, ...actions.slice(1)] : actions;
}

function fixesFor(kind: FindingKind, stage: string): WarningAction[] {
  switch (kind) {
    case 'expiry':
      return stage === EXPIRED_STAGE
        ? [ACTION.markRefreshed, ACTION.markDisconnected, ACTION.viewHistory]
        : [ACTION.markRefreshed, ACTION.snooze, ACTION.viewHistory];
    case 'inactivity':
      return [ACTION.iWasActive, ACTION.markRefreshed, ACTION.snooze, ACTION.viewHistory];
    case 'refresh_due':
      return [ACTION.markRefreshed, ACTION.snooze, ACTION.viewHistory];
    case 'no_backup':
      return [ACTION.addBackup, ACTION.snooze, ACTION.viewHistory];
    case 'owner_gone':
      return [ACTION.reassignOwner, ACTION.viewHistory];
    case 'security':
      return [ACTION.snooze, ACTION.viewHistory];
    case 'disconnected':
      return [ACTION.markReconnected, ACTION.viewHistory];
  }
}

function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: truncate(text, max), emoji: true };
}

function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value };
}

/** The buttons (and the snooze menu) of a single warning message. */
export function actionElements(kind: FindingKind, stage: string, target: ConnectionButton, acknowledge = false): ActionsBlockElement[] {
  return actionsFor(kind, stage, acknowledge).map((action, index): ActionsBlockElement => {
    if (action === ACTION.snooze) {
      const menu: StaticSelect = {
        type: 'static_select',
        action_id: ACTION.snooze,
        placeholder: plain('Snooze…', LIMITS.buttonText),
        options: SNOOZE_CHOICES.map((snooze) => option(`Snooze ${SNOOZE_LABEL[snooze]}`, CODEC.snoozeOption.encode({ ...target, snooze }))),
      };
      return menu;
    }
    const button: Button = {
      type: 'button',
      action_id: action,
      text: plain(ACTION_LABEL[action] ?? action, LIMITS.buttonText),
      value: action === ACTION.acknowledge ? CODEC.acknowledge.encode(target) : CODEC.button.encode(target),
      ...(index === 0 ? { style: 'primary' as const } : {}),
    };
    return button;
  });
}

/** One overflow menu holding a digest item's actions (Slack allows at most 5 options). */
export function itemMenu(kind: FindingKind, stage: string, target: ConnectionButton, acknowledge = false): Overflow {
  const options = actionsFor(kind, stage, acknowledge).flatMap((action) =>
    action === ACTION.snooze
      ? DIGEST_SNOOZE_CHOICES.map((snooze) => option(`Snooze ${SNOOZE_LABEL[snooze]}`, CODEC.itemMenuOption.encode({ action, ...target, snooze })))
      : [option(ACTION_LABEL[action] ?? action, CODEC.itemMenuOption.encode({ action, ...target }))],
  );
  return { type: 'overflow', action_id: ACTION.itemMenu, options: options.slice(0, 5) };
}
