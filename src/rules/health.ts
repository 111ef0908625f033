/** A connection's health and next deadline from its findings, and the urgency order for `/channels status`. */
import type { Connection, Health, IsoDate, Network } from '../domain';
import { compareText, kindRank, severityRank, type Finding } from './finding';

export interface ConnectionSummary {
  connectionId: number;
  name: string;
  network: Network;
  health: Health;
  nextDeadline: IsoDate | null;
  /** Most urgent first. */
  findings: Finding[];
  /** What to do first: the most urgent finding's advice, or null when healthy. */
  nextStep: string | null;
}

/** What urgency is judged on; name and id only break ties so the order is stable. */
export type UrgencyKey = Pick<ConnectionSummary, 'health' | 'nextDeadline'> & Partial<Pick<ConnectionSummary, 'name' | 'connectionId'>>;

/** The worst severity among the findings, or `ok`. */
export function healthOf(findings: readonly Pick<Finding, 'severity'>[]): Health {
  return findings.reduce<Health>((worst, f) => (severityRank(f.severity) > severityRank(worst) ? f.severity : worst), 'ok');
}

/** The earliest due date among the findings, or null when there are none. */
export function nextDeadline(findings: readonly Pick<Finding, 'dueAt'>[]): IsoDate | null {
  return findings.reduce<IsoDate | null>((earliest, f) => (earliest === null || f.dueAt < earliest ? f.dueAt : earliest), null);
}

/** Earlier deadline first; no deadline last. */
function compareDeadline(a: IsoDate | null, b: IsoDate | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/** Sort comparator, most urgent first: worse health, then earlier deadline, then name and id. */
export function compareUrgency(a: UrgencyKey, b: UrgencyKey): number {
  return (
    severityRank(b.health) - severityRank(a.health) ||
    compareDeadline(a.nextDeadline, b.nextDeadline) ||
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
export function summarizeConnection(connection: Connection, findings: readonly Finding[]): ConnectionSummary {
  const own = findings.filter((f) => f.connectionId === connection.id).sort(compareFindings);
  return {
    connectionId: connection.id,
    name: connection.name,
    network: connection.network,
    health: healthOf(own),
    nextDeadline: nextDeadline(own),
    findings: own,
    nextStep: own[0]?.advice ?? null,
  };
}
