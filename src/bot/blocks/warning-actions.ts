/**
 * Which actions a warning offers, and how they are written into Block Kit: buttons and a snooze
 * menu on a single warning, one overflow menu per digest item; a merged item offers its parts'
 * actions. Every element carries an `ActionValue` as JSON, so the listeners know what was pressed
 * on what.
 */
import type { ActionsBlockElement, Button, Overflow, PlainTextOption, StaticSelect } from '@slack/types';
import type { FindingKind } from '../../domain';
import { EXPIRED_STAGE } from '../../rules/finding';
import { ACTION, CODEC, SNOOZE_CHOICES, type ActionId, type ConnectionActionId, type ConnectionButton, type SnoozeChoice } from '../interactions';
import { truncate } from '../mrkdwn';
import { LIMITS } from './warning-format';
import { partsOf } from '../../outbox/merge-items';
import { canAcknowledge, type WarningItem } from '../../outbox/warning-item';

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
    case 'data_access':
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

/** One action an item offers and the warning rows it acts on. */
export interface ItemAction {
  action: WarningAction;
  target: ConnectionButton;
}

/**
 * Every action an item offers, each aimed at the rows it applies to: a merged item
 * (src/outbox/merge-items) offers what any of its parts offers, and "Snooze" or "I'm on it" act on
 * each part that offers them. "View history" comes last.
 */
export function itemActions(item: WarningItem): ItemAction[] {
  const ids = new Map<WarningAction, number[]>();
  for (const part of partsOf(item)) {
    for (const action of actionsFor(part.finding.kind, part.finding.stage, canAcknowledge(part))) {
      const list = ids.get(action) ?? [];
      if (part.warning) list.push(part.warning.id);
      ids.set(action, list);
    }
  }
  const actions: WarningAction[] = [...ids.keys()].filter((a) => a !== ACTION.viewHistory);
  if (ids.has(ACTION.viewHistory)) actions.push(ACTION.viewHistory);
  return actions.map((action) => ({ action, target: { connectionId: item.connection.id, warningIds: ids.get(action)! } }));
}

/** The buttons (and the snooze menu) of a single warning message. */
export function actionElements(actions: readonly ItemAction[]): ActionsBlockElement[] {
  return actions.map(({ action, target }, index): ActionsBlockElement => {
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
export function itemMenu(actions: readonly ItemAction[]): Overflow {
  const options = actions.flatMap(({ action, target }) =>
    action === ACTION.snooze
      ? DIGEST_SNOOZE_CHOICES.map((snooze) => option(`Snooze ${SNOOZE_LABEL[snooze]}`, CODEC.itemMenuOption.encode({ action, ...target, snooze })))
      : [option(ACTION_LABEL[action] ?? action, CODEC.itemMenuOption.encode({ action, ...target }))],
  );
  return { type: 'overflow', action_id: ACTION.itemMenu, options: options.slice(0, 5) };
}
