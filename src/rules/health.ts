/**
 * A connection's health and dates from its findings (what is overdue, since when; when its token
 * ends; what falls due next), and the urgency order for `/channels status`. A past date is never
 * the next deadline: it is what is overdue.
 */
import type { Connection, FindingKind, Health, IsoDate, Network, NetworkPolicy } from '../domain';
import { channelDates, type DeadlineKind } from './deadlines';
import { compareText, kindRank, severityRank, type Finding } from './finding';

export interface ConnectionSummary {
  connectionId: number;
  name: string;
  network: Network;
  health: Health;
  /** When the current token ends (`ended`: today or before); null without a fixed lifespan, or when not in use. */
  token: { endsOn: IsoDate; ended: boolean } | null;
  /** The earliest finding whose date has passed, and since when: what is overdue. */
  overdue: { since: IsoDate; kind: FindingKind } | null;
  /** What falls due next, today or later (the channel's calendar: expiry, refresh, inactivity). */
  nextDeadline: { date: IsoDate; kind: DeadlineKind } | null;
  /** Most urgent first. */
  findings: Finding[];
  /** What to do first: the most urgent finding's advice, or null when healthy. */
  nextStep: string | null;
}

/** The day and the channel's policy the dates are judged by. */
export interface SummaryDates {
  today: IsoDate;
  policy: NetworkPolicy;
}

/** What urgency is judged on; name and id only break ties so the order is stable. */
export type UrgencyKey = Pick<ConnectionSummary, 'health' | 'overdue' | 'nextDeadline'> & Partial<Pick<ConnectionSummary, 'name' | 'connectionId'>>;

/** The worst severity among the findings, or `ok`. */
export function healthOf(findings: readonly Pick<Finding, 'severity'>[]): Health {
  return findings.reduce<Health>((worst, f) => (severityRank(f.severity) > severityRank(worst) ? f.severity : worst), 'ok');
}

/** The earliest finding due before `today` (the first kind of the findings table on a tie), or null. */
export function overdueOf(findings: readonly Pick<Finding, 'dueAt' | 'kind'>[], today: IsoDate): ConnectionSummary['overdue'] {
  let earliest: Pick<Finding, 'dueAt' | 'kind'> | null = null;
  for (const f of findings) {
    if (f.dueAt >= today) continue;
    if (earliest === null || f.dueAt < earliest.dueAt || (f.dueAt === earliest.dueAt && kindRank(f.kind) < kindRank(earliest.kind))) earliest = f;
  }
  return earliest === null ? null : { since: earliest.dueAt, kind: earliest.kind };
}

/** The date urgency is judged on: since when something is overdue, else the next deadline. */
function urgentDate(key: UrgencyKey): IsoDate | null {
  return key.overdue?.since ?? key.nextDeadline?.date ?? null;
}

/** Earlier date first; no date last. */
function compareDeadline(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/** Sort comparator, most urgent first: worse health, then overdue longest or due soonest, then name and id. */
export function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  return (
    severityRank(b.health) - severityRank(a.health) ||
    compareDeadline(urgentDate(a), urgentDate(b)) ||
    compareText(a.name ?? '', b.name ?? '') ||
    (a.connectionId ?? 0) - (b.connectionId ?? 0)
  );
}

/** Sort comparator for one connection's findings, most urgent first. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) || compareText(a.dueAt, b.dueAt) || kindRank(a.kind) - kindRank(b.kind) || compareText(a.stage, b.stage)
  );
}

/** The status line of one connection; findings of other connections are ignored. */
export function summarizeConnection(connection: Connection, findings: readonly Finding[], { today, policy }: SummaryDates): ConnectionSummary {
  const own = findings.filter((f) => f.connectionId === connection.id).sort(compareFindings);
  // An ended token is what is overdue, not what comes next.
  const { tokenEndsOn, next } = channelDates(connection, today, policy);
  return {
    connectionId: connection.id,
    name: connection.name,
    network: connection.network,
    health: healthOf(own),
    token: tokenEndsOn === null ? null : { endsOn: tokenEndsOn, ended: tokenEndsOn <= today },
    overdue: overdueOf(own, today),
    nextDeadline: next,
    findings: own,
    nextStep: own[0]?.advice ?? null,
  };
}
