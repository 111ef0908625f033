/** The escalation fields of the settings modal (docs/rules.md "Escalation"): a ladder per severity and @here. */
import type { KnownBlock } from '@slack/types';
import { DEFAULT_ESCALATION, formatEscalationLadder } from '../../rules/escalation';
import type { Workspace } from '../../domain';

export const ESCALATION_FIELD = {
  critical: 'escalate_critical',
  atRisk: 'escalate_at_risk',
  here: 'escalate_here',
} as const;

function ladderInput(blockId: string, label: string, saved: string | undefined, fallback: string): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    optional: true,
    hint: { type: 'plain_text', text: `Steps owner, backups, leaders, channel, each this long after the one before; "off" for none. Empty: ${fallback}.` },
    element: { type: 'plain_text_input', action_id: blockId, max_length: 150, ...(saved ? { initial_value: saved } : {}) },
  };
}

export function escalationSettingsBlocks(workspace: Workspace): KnownBlock[] {
  const saved = workspace.escalation;
  return [
    { type: 'header', text: { type: 'plain_text', text: 'Escalation when nobody acts' } },
    ladderInput(
      ESCALATION_FIELD.critical,
      'Critical warnings',
      saved.critical && formatEscalationLadder(saved.critical),
      formatEscalationLadder(DEFAULT_ESCALATION.critical),
    ),
    ladderInput(
      ESCALATION_FIELD.atRisk,
      'At-risk warnings',
      saved.at_risk && formatEscalationLadder(saved.at_risk),
      formatEscalationLadder(DEFAULT_ESCALATION.at_risk),
    ),
    {
      type: 'input',
      block_id: ESCALATION_FIELD.here,
      label: { type: 'plain_text', text: 'Alert channel step' },
      optional: true,
      element: {
        type: 'checkboxes',
        action_id: ESCALATION_FIELD.here,
        options: [{ text: { type: 'plain_text', text: 'Mention @here' }, value: 'here' }],
        ...(saved.here ? { initial_options: [{ text: { type: 'plain_text', text: 'Mention @here' }, value: 'here' }] } : {}),
      },
    },
  ];
}
