/**
 * One function per finding kind (docs/rules.md). Each gets the connection's facts, already
 * validated, and returns its current stage or nothing: a connection shows one stage per kind.
 */
import { isAwaitingOwner, type Connection, type FindingKind, type IsoDate, type NetworkPolicy, type ObservedToken, type Severity } from '../domain';
import {
  dataAccessText,
  disconnectedText,
  expiryText,
  inactivityText,
  noBackupText,
  ownerGoneText,
  refreshDueText,
  securityText,
  type FindingText,
} from './advice';
import { addDays, daysBetween, laterOf } from './calendar';
import { dedupKeyOf, EXPIRED_STAGE, expiryStage, SECURITY_STAGES, type Finding, type SecurityStage } from './finding';

export interface Facts {
  connection: Connection;
  today: IsoDate;
  policy: NetworkPolicy;
  /** When the current token was issued: the last refresh, or the connection. */
  cycleStart: IsoDate;
  /** What the network said of that token (`currentObservation`), or null. */
  observed: ObservedToken | null;
}

/** A connection's facts for one day's judging. */
export function factsOf(connection: Connection, today: IsoDate, policy: NetworkPolicy): Facts {
  return { connection, today, policy, cycleStart: connection.lastRefreshedAt ?? connection.connectedAt, observed: currentObservation(connection) };
}

/**
 * What the network said of the current token: an observation made before the last recorded refresh
 * (or reconnection) described the token before it, so it no longer counts.
 */
export function currentObservation(c: Connection): ObservedToken | null {
  const o = c.observed;
  if (o === null || o === undefined) return null;
  return o.on >= (c.lastRefreshedAt ?? c.connectedAt) ? o : null;
}

/**
 * A finding whose words are written the first time they are read: a check pass judges every
 * connection, but only the findings it records as new warnings are ever put into words.
 */
class RuleFinding implements Finding {
  #text: FindingText | null = null;
  readonly #write: () => FindingText;

  constructor(
    readonly connectionId: number,
    readonly kind: FindingKind,
    readonly stage: string,
    readonly severity: Severity,
    readonly dueAt: IsoDate,
    readonly cycle: string,
    readonly dedupKey: string,
    write: () => FindingText,
  ) {
    this.#write = write;
  }

  get message(): string {
    return (this.#text ??= this.#write()).message;
  }

  get advice(): string {
    return (this.#text ??= this.#write()).advice;
  }

  /** Plain JSON, words included, as a finding with plain fields would give. */
  toJSON(): Finding {
    const { connectionId, kind, stage, severity, dueAt, cycle, dedupKey, message, advice } = this;
    return { connectionId, kind, stage, severity, dueAt, cycle, dedupKey, message, advice };
  }
}

function finding(
  f: Facts,
  kind: FindingKind,
  stage: string,
  severity: Severity,
  dueAt: IsoDate,
  cycle: string,
  text: () => FindingText,
  day?: IsoDate,
): Finding {
  const connectionId = f.connection.id;
  return new RuleFinding(connectionId, kind, stage, severity, dueAt, cycle, dedupKeyOf(connectionId, kind, stage, cycle, day), text);
}

/** Ladder steps far from expiry only need attention; the last week is at risk; the last day is critical. */
export function expirySeverity(step: number): Severity {
  if (step > 7) return 'attention';
  return step >= 2 ? 'at_risk' : 'critical';
}

/** When the token ends: as the network said it (docs/sources.md), else predicted from the cycle start; null: no fixed end. */
export function expiresAt(f: Facts): IsoDate | null {
  const said = f.observed?.end ?? null;
  if (said !== null) return said === 'never' ? null : said;
  return f.policy.lifespanDays === null ? null : addDays(f.cycleStart, f.policy.lifespanDays);
}

/** The smallest ladder step not below the days left (the ladder need not be sorted); null: none yet. */
function ladderStep(ladder: readonly number[], daysLeft: number): number | null {
  let step = Infinity;
  for (const s of ladder) if (s >= daysLeft && s < step) step = s;
  return step === Infinity ? null : step;
}

export function expiryFinding(f: Facts): Finding | null {
  const said = f.observed?.end ?? null;
  if (said === 'never') return null;
  const lifespan = f.policy.lifespanDays;
  if (said === null && lifespan === null) return null;
  // Days counted before any date is written: most connections are far from expiry and give nothing.
  const daysLeft = said === null ? daysBetween(f.today, f.cycleStart) + lifespan! : daysBetween(f.today, said);
  const endOf = () => said ?? addDays(f.cycleStart, lifespan!);
  const text = (end: IsoDate) => () => expiryText(f.connection, daysLeft, end, f.observed);
  if (daysLeft <= 0) {
    const end = endOf();
    // Keyed by day as well: one reminder a day until it is refreshed or marked disconnected.
    return finding(f, 'expiry', EXPIRED_STAGE, 'critical', end, f.cycleStart, text(end), f.today);
  }
  const step = ladderStep(f.policy.expiryLadder, daysLeft);
  if (step === null) return null;
  const end = endOf();
  return finding(f, 'expiry', expiryStage(step), expirySeverity(step), end, f.cycleStart, text(end));
}

/**
 * Meta's data access deadline (docs/sources.md): after it the app may no longer read the Page until
 * the owner logs in through it again. Warned on the expiry ladder; its cycle is the deadline itself,
 * so a deadline that moves (the owner logged in) starts a new series.
 */
export function dataAccessFinding(f: Facts): Finding | null {
  const end = f.observed?.dataAccessEnd ?? null;
  if (end === null) return null;
  const daysLeft = daysBetween(f.today, end);
  const text = () => dataAccessText(f.connection, daysLeft, end, f.observed!);
  if (daysLeft <= 0) return finding(f, 'data_access', EXPIRED_STAGE, 'critical', end, end, text, f.today);
  const step = ladderStep(f.policy.expiryLadder, daysLeft);
  if (step === null) return null;
  return finding(f, 'data_access', expiryStage(step), expirySeverity(step), end, end, text);
}

/** Connecting and refreshing both need a login, so they count as activity too. */
export function activityAnchor(c: Connection): IsoDate {
  let latest = c.connectedAt;
  if (c.ownerLastActiveAt !== null) latest = laterOf(latest, c.ownerLastActiveAt);
  if (c.lastRefreshedAt !== null) latest = laterOf(latest, c.lastRefreshedAt);
  return latest;
}

export function inactivityFinding(f: Facts): Finding | null {
  const { inactivityWarnDays: warn, inactivityCriticalDays: critical } = f.policy;
  const anchor = activityAnchor(f.connection);
  const idle = daysBetween(anchor, f.today);
  const limit = critical ?? warn;
  if (limit === null) return null;
  // The cycle is the activity date, so "I was active" starts a fresh series of warnings.
  const stage = critical !== null && idle >= critical ? 'critical' : warn !== null && idle >= warn ? 'warn' : null;
  if (stage === null) return null;
  const dueAt = addDays(anchor, limit);
  const text = () => inactivityText(f.connection, idle, critical === null ? null : critical - idle);
  return finding(f, 'inactivity', stage, stage === 'critical' ? 'critical' : 'at_risk', dueAt, anchor, text);
}

/** The date a refresh becomes overdue (or, without that rule, recommended); null when cadence is off. */
export function refreshBy(f: Facts): IsoDate | null {
  const limit = f.policy.refreshOverdueDays ?? f.policy.refreshRecommendedDays;
  return limit === null ? null : addDays(f.cycleStart, limit);
}

export function refreshDueFinding(f: Facts): Finding | null {
  const { refreshRecommendedDays: recommended, refreshOverdueDays: overdue } = f.policy;
  if (overdue === null && recommended === null) return null;
  const since = daysBetween(f.cycleStart, f.today);
  if (overdue !== null && since >= overdue) {
    const dueAt = addDays(f.cycleStart, overdue);
    return finding(f, 'refresh_due', 'overdue', 'at_risk', dueAt, f.cycleStart, () => refreshDueText(f.connection, since, true, dueAt));
  }
  if (recommended !== null && since >= recommended) {
    const dueAt = refreshBy(f)!;
    return finding(f, 'refresh_due', 'recommended', 'attention', dueAt, f.cycleStart, () => refreshDueText(f.connection, since, false, dueAt));
  }
  return null;
}

/**
 * A missing backup or a weak login hurts the next time someone must log in and refresh: that date
 * (expiry, else the refresh deadline) is their due date; without either, today.
 */
export function hygieneDueAt(f: Facts): IsoDate {
  return expiresAt(f) ?? refreshBy(f) ?? f.today;
}

export function noBackupFinding(f: Facts): Finding | null {
  if (f.connection.backups.length > 0) return null;
  // A record waiting for an owner needs the owner first, who then chooses backups (docs/sources.md).
  if (isAwaitingOwner(f.connection)) return null;
  return finding(f, 'no_backup', 'none', 'attention', hygieneDueAt(f), f.cycleStart, () => noBackupText(f.connection));
}

/** The stage of a record a source's sync created with no owner yet (docs/sources.md). */
export const AWAITING_OWNER_STAGE = 'unassigned';

/**
 * An owner who is gone cannot refresh anything: act today. A record a sync created has no owner
 * yet: it needs one too, but its admins were told once in the sync's message, so it is only
 * `attention`, and the check records no warning for it (`isToldBySync`).
 */
export function ownerGoneFinding(f: Facts, ownerGone: boolean): Finding | null {
  const c = f.connection;
  if (!ownerGone && c.ownerId !== null) return null;
  if (isAwaitingOwner(c)) {
    return finding(f, 'owner_gone', AWAITING_OWNER_STAGE, 'attention', f.today, f.cycleStart, () => ownerGoneText(c));
  }
  return finding(f, 'owner_gone', 'gone', 'critical', f.today, f.cycleStart, () => ownerGoneText(c));
}

/** A finding the sync's one admin message already told: the check neither records nor resolves a warning for it. */
export function isToldBySync(item: { kind: string; stage: string }): boolean {
  return item.kind === 'owner_gone' && item.stage === AWAITING_OWNER_STAGE;
}

/** Attested problems only: `null` means nobody said, which is never a finding. */
function attestedProblem(c: Connection, stage: SecurityStage): boolean {
  const s = c.security;
  switch (stage) {
    case 'shared_login':
      return s.sharedLogin === true;
    case 'no_2fa':
      return s.twoFactor === false;
    case 'not_super_admin':
      return s.ownerSuperAdmin === false;
    case 'missing_permissions':
      return s.permissionsGranted === false;
  }
}

/** The security findings, added to `out`: a check pass then allocates nothing for the many connections without any. */
export function addSecurityFindings(out: Finding[], f: Facts): void {
  for (const stage of SECURITY_STAGES) {
    if (attestedProblem(f.connection, stage)) {
      out.push(finding(f, 'security', stage, 'attention', hygieneDueAt(f), f.cycleStart, () => securityText(f.connection, stage)));
    }
  }
}

/** Already broken: due since it disconnected (today when nobody recorded when). */
export function disconnectedFinding(f: Facts): Finding {
  const { disconnectedAt } = f.connection;
  const cycle = disconnectedAt ?? f.cycleStart;
  return finding(f, 'disconnected', 'disconnected', 'disconnected', disconnectedAt ?? f.today, cycle, () => disconnectedText(f.connection));
}
