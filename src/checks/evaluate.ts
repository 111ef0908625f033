/**
 * Turns one connection's dates into findings, and a workspace's connections into findings plus the
 * connections that could not be judged (bad data is reported with reasons, never thrown).
 */
import { CONNECTION_STATUSES, NETWORKS, type Connection, type IsoDate, type Network, type NetworkPolicy } from '../domain';
import { isIsoDate } from './calendar';
import type { Finding } from './finding';
import { isNetwork } from './policy';
import {
  disconnectedFinding,
  expiryFinding,
  inactivityFinding,
  noBackupFinding,
  ownerGoneFinding,
  refreshDueFinding,
  securityFindings,
  type Facts,
} from './rules';

export interface EvaluationContext {
  /** The workspace's local date (see `todayIn`). */
  today: IsoDate;
  policy: NetworkPolicy;
  /** The owner's Slack account is deactivated/removed, or their role is below what connecting needs. */
  ownerGone: boolean;
}

export interface ConnectionProblem {
  connectionId: number;
  name: string;
  reasons: string[];
}

export interface EvaluateAllInput {
  today: IsoDate;
  policyFor: (network: Network) => NetworkPolicy;
  isOwnerGone: (connection: Connection) => boolean;
}

export interface Evaluation {
  findings: Finding[];
  problems: ConnectionProblem[];
}

const DATE_FIELDS = ['connectedAt', 'lastRefreshedAt', 'ownerLastActiveAt', 'disconnectedAt'] as const;

/** Why this connection's data cannot be judged; empty when it can. */
export function validateConnectionDates(c: Connection, today: IsoDate): string[] {
  const reasons: string[] = [];
  if (!isNetwork(c.network)) reasons.push(`unknown network ${JSON.stringify(c.network)}; allowed: ${NETWORKS.join(', ')}`);
  if (!(CONNECTION_STATUSES as readonly string[]).includes(c.status)) {
    reasons.push(`unknown status ${JSON.stringify(c.status)}; allowed: ${CONNECTION_STATUSES.join(', ')}`);
  }
  for (const field of DATE_FIELDS) {
    const value: unknown = c[field];
    if (value === null && field !== 'connectedAt') continue;
    if (!isIsoDate(value)) reasons.push(`${field} ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
    else if (value > today) reasons.push(`${field} ${value} is in the future (today is ${today})`);
  }
  if (isIsoDate(c.connectedAt) && isIsoDate(c.lastRefreshedAt) && c.lastRefreshedAt < c.connectedAt) {
    reasons.push(`lastRefreshedAt ${c.lastRefreshedAt} is before connectedAt ${c.connectedAt}`);
  }
  return reasons;
}

/** Findings of a connection whose data is known to be valid. */
function findingsOf(connection: Connection, ctx: EvaluationContext): Finding[] {
  // Archived channels stay only for the audit trail: nobody should be warned about them.
  if (connection.archivedAt !== null && connection.archivedAt !== undefined) return [];
  const facts: Facts = {
    connection,
    today: ctx.today,
    policy: ctx.policy,
    cycleStart: connection.lastRefreshedAt ?? connection.connectedAt,
  };
  if (connection.status === 'disconnected') return [disconnectedFinding(facts)];
  return [
    expiryFinding(facts),
    inactivityFinding(facts),
    refreshDueFinding(facts),
    noBackupFinding(facts),
    ownerGoneFinding(facts, ctx.ownerGone),
    ...securityFindings(facts),
  ].filter((f): f is Finding => f !== null);
}

/**
 * The current findings for one connection, in the findings table's kind order. A disconnected
 * connection has exactly one. Archived connections and bad data give none (`evaluateAll` says why).
 */
export function evaluateConnection(connection: Connection, ctx: EvaluationContext): Finding[] {
  return validateConnectionDates(connection, ctx.today).length > 0 ? [] : findingsOf(connection, ctx);
}

/** Every connection of one workspace on one day; a bad one is reported and the rest still evaluated. */
export function evaluateAll(connections: readonly Connection[], input: EvaluateAllInput): Evaluation {
  const findings: Finding[] = [];
  const problems: ConnectionProblem[] = [];
  for (const connection of connections) {
    const reasons = validateConnectionDates(connection, input.today);
    if (reasons.length > 0) {
      problems.push({ connectionId: connection.id, name: connection.name, reasons });
      continue;
    }
    const ctx = { today: input.today, policy: input.policyFor(connection.network), ownerGone: input.isOwnerGone(connection) };
    findings.push(...findingsOf(connection, ctx));
  }
  return { findings, problems };
}
