/**
 * The escalation part of `channel-keeper settings` (docs/rules.md "Escalation"): the options, how
 * they are read and merged into the saved settings, and how they are shown.
 */
import type { Command } from 'commander';
import { DEFAULT_ESCALATION, formatEscalationLadder, ladderFor, parseEscalationLadder, validateEscalationSettings } from '../rules/escalation';
import type { FieldError } from '../rules/policy-validation';
import { ESCALATING_SEVERITIES, type EscalatingSeverity, type EscalationRung, type EscalationSettings, type Workspace } from '../domain';
import { ValidationError } from '../errors';

const OPTION: Record<EscalatingSeverity, string> = { critical: 'escalateCritical', at_risk: 'escalateAtRisk' };

export function addEscalationOptions(command: Command): Command {
  return command
    .option(
      '--escalate-critical <steps>',
      `who hears of a critical warning nobody acts on, e.g. "${formatEscalationLadder(DEFAULT_ESCALATION.critical)}"; "off"; "default"`,
    )
    .option('--escalate-at-risk <steps>', `the same for at-risk warnings (default "${formatEscalationLadder(DEFAULT_ESCALATION.at_risk)}")`)
    .option('--escalate-here <on|off>', 'whether the alert channel step mentions @here');
}

/** What the options ask for: a ladder per severity (null: back to the default) and @here. */
export type EscalationPatch = { [S in EscalatingSeverity]?: EscalationRung[] | null } & { here?: boolean };

export function readEscalationOptions(opts: Record<string, unknown>, problems: FieldError[]): EscalationPatch | null {
  const patch: EscalationPatch = {};
  for (const severity of ESCALATING_SEVERITIES) {
    const text = opts[OPTION[severity]];
    if (typeof text !== 'string') continue;
    if (text.trim().toLowerCase() === 'default') {
      patch[severity] = null;
      continue;
    }
    const parsed = parseEscalationLadder(text);
    if (parsed.ok) patch[severity] = parsed.value;
    // Named as typed (--escalate-at-risk), not as stored (at_risk).
    else problems.push(...parsed.errors.map((e) => ({ field: `--escalate-${severity.replace('_', '-')}`, message: e.message })));
  }
  const here = opts.escalateHere;
  if (typeof here === 'string') {
    if (here === 'on' || here === 'off') patch.here = here === 'on';
    else problems.push({ field: '--escalate-here', message: `must be on or off; got "${here}"` });
  }
  return Object.keys(patch).length ? patch : null;
}

/** The saved settings with the patch applied, checked again as a whole. */
export function mergeEscalation(current: EscalationSettings, patch: EscalationPatch): EscalationSettings {
  const merged: EscalationSettings = { ...current };
  for (const severity of ESCALATING_SEVERITIES) {
    const value = patch[severity];
    if (value === null) delete merged[severity];
    else if (value !== undefined) merged[severity] = value;
  }
  // Off is the default: stored as absent, like the Slack form saves it.
  if (patch.here === true) merged.here = true;
  else if (patch.here === false) delete merged.here;
  const checked = validateEscalationSettings(merged);
  if (!checked.ok) throw new ValidationError(`nothing was changed: ${checked.errors.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  return checked.value;
}

export function escalationJson(workspace: Workspace) {
  return {
    critical: ladderFor(workspace.escalation, 'critical'),
    at_risk: ladderFor(workspace.escalation, 'at_risk'),
    here: workspace.escalation.here === true,
  };
}

export function formatEscalation(workspace: Workspace): string[] {
  const mark = (severity: EscalatingSeverity) => (workspace.escalation[severity] ? '' : ' (default)');
  return [
    'Escalation of warnings nobody acts on (each step this long after the one before):',
    `  critical       ${formatEscalationLadder(ladderFor(workspace.escalation, 'critical'))}${mark('critical')}`,
    `  at risk        ${formatEscalationLadder(ladderFor(workspace.escalation, 'at_risk'))}${mark('at_risk')}`,
    `  @here          ${workspace.escalation.here ? 'on' : 'off'} (in the alert channel step)`,
  ];
}
