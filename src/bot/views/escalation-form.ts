/** Reads the escalation fields of the settings modal with the validators the CLI uses (docs/rules.md "Escalation"). */
import { parseEscalationLadder } from '../../rules/escalation';
import type { EscalationSettings } from '../../domain';
import { ESCALATION_FIELD } from '../blocks/escalation-settings';
import { field, textOf, type FieldErrors } from './submission';
import type { ViewSubmitAction } from '@slack/bolt';

type Values = ViewSubmitAction['view']['state']['values'];

/** An empty ladder field means the default (the saved override is dropped). */
export function readEscalationForm(values: Values, errors: FieldErrors): EscalationSettings {
  const settings: EscalationSettings = {};
  for (const [severity, id] of [
    ['critical', ESCALATION_FIELD.critical],
    ['at_risk', ESCALATION_FIELD.atRisk],
  ] as const) {
    const text = textOf(values, id);
    if (!text) continue;
    const parsed = parseEscalationLadder(text);
    if (parsed.ok) settings[severity] = parsed.value;
    else errors[id] = parsed.errors[0]!.message;
  }
  if ((field(values, ESCALATION_FIELD.here)?.selected_options ?? []).some((o) => o.value === 'here')) settings.here = true;
  return settings;
}
