/**
 * Turns one connection's dates into findings, and a workspace's connections into findings plus the
 * connections that could not be judged (bad data is reported with reasons, never thrown).
 */
import { CONNECTION_STATUSES, NETWORKS, type Connection, type IsoDate, type Network, type NetworkPolicy, type Tool } from '../domain';
import { isIsoDate } from './calendar';
import type { Finding } from './finding';
import { isNetwork } from './policy';
import {
  addSecurityFindings,
  dataAccessFinding,
  disconnectedFinding,
  expiryFinding,
  factsOf,
  inactivityFinding,
  noBackupFinding,
  ownerGoneFinding,
  refreshDueFinding,
} from './finding-rules';

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
  /** The policy for a network, held in a tool (`null`: none recorded). */
  policyFor: (network: Network, tool: Tool | null) => NetworkPolicy;
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

/**
 * True exactly when `validateConnectionDates` finds nothing, without building its reasons: almost
 * every connection is valid, and a check pass asks about each of them.
 */
function isJudgeable(c: Connection, today: IsoDate): boolean {
  if (!isNetwork(c.network) || !(CONNECTION_STATUSES as readonly string[]).includes(c.status)) return false;
  for (const field of DATE_FIELDS) {
    const value: unknown = c[field];
    if (value === null && field !== 'connectedAt') continue;
    if (!isIsoDate(value) || value > today) return false;
  }
  return c.lastRefreshedAt === null || c.lastRefreshedAt >= c.connectedAt;
}

/** Findings of a connection whose data is known to be valid, added to `out`. */
function addFindings(out: Finding[], connection: Connection, today: IsoDate, policy: NetworkPolicy, ownerGone: boolean): void {
  // Archived channels stay only for the audit trail: nobody should be warned about them.
  if (connection.archivedAt !== null && connection.archivedAt !== undefined) return;
  // Retired channels are no longer used: they keep their history and give no warnings until restored.
  if (connection.retiredAt !== null && connection.retiredAt !== undefined) return;
  const facts = factsOf(connection, today, policy);
  if (connection.status === 'disconnected') {
    out.push(disconnectedFinding(facts));
    return;
  }
  const expiry = expiryFinding(facts);
  if (expiry !== null) out.push(expiry);
  const dataAccess = dataAccessFinding(facts);
  if (dataAccess !== null) out.push(dataAccess);
  const inactivity = inactivityFinding(facts);
  if (inactivity !== null) out.push(inactivity);
  const refreshDue = refreshDueFinding(facts);
  if (refreshDue !== null) out.push(refreshDue);
  const noBackup = noBackupFinding(facts);
  if (noBackup !== null) out.push(noBackup);
  const gone = ownerGoneFinding(facts, ownerGone);
  if (gone !== null) out.push(gone);
  addSecurityFindings(out, facts);
}

/**
 * The current findings for one connection, in the findings table's kind order. A disconnected
 * connection has exactly one. Archived connections and bad data give none (`evaluateAll` says why).
 */
export function evaluateConnection(connection: Connection, ctx: EvaluationContext): Finding[] {
  const findings: Finding[] = [];
  if (isJudgeable(connection, ctx.today)) addFindings(findings, connection, ctx.today, ctx.policy, ctx.ownerGone);
  return findings;
}

/** Every connection of one workspace on one day; a bad one is reported and the rest still evaluated. */
export function evaluateAll(connections: readonly Connection[], input: EvaluateAllInput): Evaluation {
  const findings: Finding[] = [];
  const problems: ConnectionProblem[] = [];
  for (const connection of connections) {
    if (!isJudgeable(connection, input.today)) {
      problems.push({ connectionId: connection.id, name: connection.name, reasons: validateConnectionDates(connection, input.today) });
      continue;
    }
    addFindings(findings, connection, input.today, input.policyFor(connection.network, connection.tool ?? null), input.isOwnerGone(connection));
  }
  return { findings, problems };
}
