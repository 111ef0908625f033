/**
 * Escalation (docs/rules.md "Escalation"): a posted `at_risk` or `critical` warning that nobody acts
 * on climbs a ladder, owner → backups → team leaders → the alert channel, one step at a time, each
 * step a set number of hours after the previous one (the first: after the warning was posted). Any
 * action on the channel or an "I'm on it" ends the climb. Pure: the caller passes the row, the
 * settings, the latest action and `now`.
 */
import {
  ESCALATING_SEVERITIES,
  ESCALATION_TARGETS,
  type AuditAction,
  type EscalationRung,
  type EscalationSettings,
  type EscalationTarget,
  type EscalatingSeverity,
  type Severity,
  type Warning,
} from '../domain';
import type { FieldError, Validation } from './policy-validation';

/** A critical warning is days from going dark: hours between steps; an at-risk one: days. */
export const DEFAULT_ESCALATION: Record<EscalatingSeverity, EscalationRung[]> = {
  critical: [
    { to: 'owner', afterHours: 4 },
    { to: 'backups', afterHours: 4 },
    { to: 'leaders', afterHours: 8 },
    { to: 'channel', afterHours: 12 },
  ],
  at_risk: [
    { to: 'owner', afterHours: 24 },
    { to: 'backups', afterHours: 24 },
    { to: 'leaders', afterHours: 48 },
    { to: 'channel', afterHours: 72 },
  ],
};

/** A month between two steps at most: longer is surely a typo. */
export const MAX_ESCALATION_HOURS = 30 * 24;

export const ESCALATION_LABEL: Record<EscalationTarget, string> = {
  owner: 'the owner',
  backups: 'the backup admins',
  leaders: 'team leaders',
  channel: 'the alert channel',
};

export function isEscalating(severity: Severity): severity is EscalatingSeverity {
  return (ESCALATING_SEVERITIES as readonly string[]).includes(severity);
}

/** The ladder in force for a severity: the workspace's own, or the default. */
export function ladderFor(settings: EscalationSettings | undefined, severity: Severity): EscalationRung[] {
  if (!isEscalating(severity)) return [];
  return settings?.[severity] ?? DEFAULT_ESCALATION[severity];
}

/**
 * The audited actions that answer a warning and so end its climb: fixing it, taking it, snoozing
 * it, or changing who looks after the channel. Adding a channel, or retiring it, is not one.
 */
export const ANSWERING_ACTIONS = [
  'connection.refresh',
  'connection.activity',
  'connection.snooze',
  'connection.reconnect',
  'connection.disconnect',
  'connection.owner',
  'connection.handover',
  'connection.backup.add',
  'connection.edit',
  'warning.acknowledge',
] as const satisfies readonly AuditAction[];

/** Why a climb is over. */
export type EscalationEnd = 'acted' | 'acknowledged' | 'top' | 'off';

export type EscalationDecision =
  /** Take step `index` now; the step after it (if any) is due at `nextAt`. */
  | { kind: 'step'; index: number; rung: EscalationRung; nextAt: Date | null }
  /** Nothing yet: the next step is due at `until`. */
  | { kind: 'wait'; until: Date }
  /** The climb is over for good. */
  | { kind: 'end'; reason: EscalationEnd }
  /** The warning is not up (pending, resolved, snoozed): nothing to do while it is so. */
  | { kind: 'idle' };

export type EscalationRow = Pick<Warning, 'severity' | 'state' | 'postedAt' | 'escalationStep' | 'escalatedAt' | 'acknowledgedAt' | 'escalationEnded'>;

const HOUR_MS = 3_600_000;

/**
 * Which step is due when. `lastActionAt`: the latest thing a person did on the channel (refresh,
 * activity, snooze, acknowledge, any audited change), if any. An action from the warning's posting
 * on ends the climb; steps are never skipped: each waits its delay after the step before it.
 */
export function decideEscalation(row: EscalationRow, settings: EscalationSettings | undefined, now: Date, lastActionAt: Date | null): EscalationDecision {
  if (row.escalationEnded) return { kind: 'end', reason: row.escalationEnded as EscalationEnd };
  if (row.state !== 'posted' || !row.postedAt) return { kind: 'idle' };
  if (row.acknowledgedAt) return { kind: 'end', reason: 'acknowledged' };
  if (lastActionAt && lastActionAt.getTime() >= row.postedAt.getTime()) return { kind: 'end', reason: 'acted' };
  const ladder = ladderFor(settings, row.severity);
  if (!ladder.length) return { kind: 'end', reason: 'off' };
  if (row.escalationStep >= ladder.length) return { kind: 'end', reason: 'top' };
  const rung = ladder[row.escalationStep]!;
  const since = row.escalatedAt ?? row.postedAt;
  const due = new Date(since.getTime() + rung.afterHours * HOUR_MS);
  if (due.getTime() > now.getTime()) return { kind: 'wait', until: due };
  const following = ladder[row.escalationStep + 1];
  return { kind: 'step', index: row.escalationStep, rung, nextAt: following ? new Date(now.getTime() + following.afterHours * HOUR_MS) : null };
}

// Settings: a ladder written as text ("owner 4h, backups 4h, leaders 8h, channel 1d") in the Slack
// form and the CLI; "off" switches a severity's escalation off; empty means the default.

const LADDER_TEXT_RULE = 'steps such as "owner 4h, backups 4h, leaders 8h, channel 1d" (in that order, each after the one before), or "off"';

/** "owner 4h, backups 1d" → rungs; "off" → none. */
export function parseEscalationLadder(text: string): Validation<EscalationRung[]> {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === 'none') return { ok: true, value: [] };
  const rungs: EscalationRung[] = [];
  for (const part of trimmed.split(/\s*,\s*/)) {
    const match = /^(owner|backups|leaders|channel)\s+(\d{1,4})\s*(h|d)$/.exec(part);
    if (!match) return refuse(`"${part}" is not a step: write ${LADDER_TEXT_RULE}`);
    const hours = Number(match[2]) * (match[3] === 'd' ? 24 : 1);
    rungs.push({ to: match[1] as EscalationTarget, afterHours: hours });
  }
  return checkLadder(rungs);
}

export function formatEscalationLadder(rungs: readonly EscalationRung[]): string {
  if (!rungs.length) return 'off';
  return rungs.map((r) => `${r.to} ${r.afterHours % 24 === 0 ? `${r.afterHours / 24}d` : `${r.afterHours}h`}`).join(', ');
}

function refuse<T>(message: string, field = 'escalation'): Validation<T> {
  return { ok: false, errors: [{ field, message }] };
}

function checkLadder(rungs: EscalationRung[], field = 'escalation'): Validation<EscalationRung[]> {
  let last = -1;
  for (const rung of rungs) {
    const position = ESCALATION_TARGETS.indexOf(rung.to);
    if (position === -1) return refuse(`unknown step "${String(rung.to)}"; the steps are ${ESCALATION_TARGETS.join(', ')}`, field);
    if (position <= last) return refuse(`the steps must climb in this order, each once: ${ESCALATION_TARGETS.join(' → ')}`, field);
    if (!Number.isInteger(rung.afterHours) || rung.afterHours < 1 || rung.afterHours > MAX_ESCALATION_HOURS) {
      return refuse(`each delay is whole hours from 1 to ${MAX_ESCALATION_HOURS} (30 days); got ${String(rung.afterHours)} for ${rung.to}`, field);
    }
    last = position;
  }
  return { ok: true, value: rungs.map((r) => ({ to: r.to, afterHours: r.afterHours })) };
}

/** The stored JSON (or a CLI `--escalation` value), checked field by field. */
export function validateEscalationSettings(input: unknown): Validation<EscalationSettings> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return refuse('must be an object with some of: at_risk, critical, here');
  const errors: FieldError[] = [];
  const value: EscalationSettings = {};
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    if (raw === undefined) continue;
    if (key === 'here') {
      if (typeof raw === 'boolean') value.here = raw;
      else errors.push({ field: 'escalation.here', message: 'must be true or false' });
    } else if ((ESCALATING_SEVERITIES as readonly string[]).includes(key)) {
      const field = `escalation.${key}`;
      if (!Array.isArray(raw) || !raw.every((r) => typeof r === 'object' && r !== null)) {
        errors.push({ field, message: 'must be a list of {"to": "owner|backups|leaders|channel", "afterHours": n}' });
        continue;
      }
      const checked = checkLadder(raw as EscalationRung[], field);
      if (checked.ok) value[key as EscalatingSeverity] = checked.value;
      else errors.push(...checked.errors);
    } else errors.push({ field: `escalation.${key}`, message: 'unknown field; allowed: at_risk, critical, here' });
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
