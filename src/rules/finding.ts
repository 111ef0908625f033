/** What a rule reports about one connection; the unit the planner turns into stored warnings. */
import { FINDING_KINDS, HEALTHS, type FindingKind, type Health, type IsoDate, type Severity } from '../domain';

export interface Finding {
  connectionId: number;
  kind: FindingKind;
  /** `30d`…`1d`, `expired`, `warn`, `critical`, `recommended`, `overdue`, `none`, `gone`, a security stage, `disconnected`. */
  stage: string;
  severity: Severity;
  /** The date by which to act (or when it was already due). */
  dueAt: IsoDate;
  /** What a fix starts anew: the token cycle start, or the activity date for inactivity. */
  cycle: string;
  /** `connection:kind:stage:cycle`, plus `:today` for daily `expired` reminders: unique in the outbox. */
  dedupKey: string;
  message: string;
  advice: string;
}

export const SECURITY_STAGES = ['shared_login', 'no_2fa', 'not_super_admin', 'missing_permissions'] as const;
export type SecurityStage = (typeof SECURITY_STAGES)[number];

export const EXPIRED_STAGE = 'expired';

export function expiryStage(step: number): string {
  return `${step}d`;
}

export function dedupKeyOf(connectionId: number, kind: FindingKind, stage: string, cycle: string, day?: IsoDate): string {
  return day === undefined ? `${connectionId}:${kind}:${stage}:${cycle}` : `${connectionId}:${kind}:${stage}:${cycle}:${day}`;
}

// Ranks are looked up, not searched for: planning sorts every finding of a run by kind.
const SEVERITY_RANKS: ReadonlyMap<string, number> = new Map(HEALTHS.map((level, i) => [level, i]));
const KIND_RANKS: ReadonlyMap<string, number> = new Map(FINDING_KINDS.map((kind, i) => [kind, i]));

/** 0 for `ok`, growing with severity, in the order of domain HEALTHS (-1 for anything else). */
export function severityRank(level: Health | Severity): number {
  return SEVERITY_RANKS.get(level) ?? -1;
}

/** Kind order of the findings table, so lists of findings read the same everywhere (-1 for anything else). */
export function kindRank(kind: FindingKind): number {
  return KIND_RANKS.get(kind) ?? -1;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. ISO dates sort correctly this way. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
