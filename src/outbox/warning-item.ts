/**
 * What every warning builder renders: a connection plus one finding's words, and the stored
 * warning row when there is one (its id goes into button values).
 * A `Finding` (the demo's dry run) fits `finding` as it is; a stored `Warning` has no words, so
 * `toWarningItem` writes them again with the same functions the rules use (src/rules/advice).
 */
import type { Connection, IsoDate, NetworkPolicy, Warning } from '../domain';
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
} from '../rules/advice';
import { daysBetween } from '../rules/calendar';
import { currentObservation } from '../rules/finding-rules';
import { SECURITY_STAGES, compareText, severityRank, type Finding, type SecurityStage } from '../rules/finding';
import { isEscalating } from '../rules/escalation';

export type FindingView = Pick<Finding, 'kind' | 'stage' | 'severity' | 'dueAt' | 'message' | 'advice'>;

export interface WarningItem {
  connection: Connection;
  finding: FindingView;
  /** The stored row (null in a dry run: no buttons can act on it then); a merged item's worst part's. */
  warning: Warning | null;
  /** Set when findings of one connection that one fix settles were merged (src/outbox/merge-items): each of them, worst first. */
  parts?: readonly WarningItem[];
}

export interface WordingContext {
  /** The workspace's local date when the message is written. */
  today: IsoDate;
  policy: NetworkPolicy;
}

/** The words for a stored warning, as of `today`: "expires in 3 days" is counted on the day it is posted. */
export function findingTextOf(warning: Warning, connection: Connection, ctx: WordingContext): FindingText {
  switch (warning.kind) {
    case 'expiry':
      return expiryText(connection, daysBetween(ctx.today, warning.dueAt), warning.dueAt, currentObservation(connection));
    case 'data_access':
      return dataAccessText(connection, daysBetween(ctx.today, warning.dueAt), warning.dueAt, currentObservation(connection));
    case 'inactivity': {
      // An inactivity warning's cycle is the owner's last activity date (src/rules/finding-rules).
      const idle = daysBetween(warning.cycle, ctx.today);
      const critical = ctx.policy.inactivityCriticalDays;
      return inactivityText(connection, idle, critical === null ? null : critical - idle);
    }
    case 'refresh_due':
      return refreshDueText(connection, daysBetween(warning.cycle, ctx.today), warning.stage === 'overdue', warning.dueAt);
    case 'no_backup':
      return noBackupText(connection);
    case 'owner_gone':
      return ownerGoneText(connection);
    case 'security':
      return (SECURITY_STAGES as readonly string[]).includes(warning.stage)
        ? securityText(connection, warning.stage as SecurityStage)
        : { message: `${connection.name}: security concern (${warning.stage}).`, advice: 'Check the channel in your social media tool.' };
    case 'disconnected':
      return disconnectedText(connection);
  }
}

export function toWarningItem(warning: Warning, connection: Connection, ctx: WordingContext): WarningItem {
  const text = findingTextOf(warning, connection, ctx);
  return { connection, warning, finding: { kind: warning.kind, stage: warning.stage, severity: warning.severity, dueAt: warning.dueAt, ...text } };
}

/** Worst first, then the earliest due date, then the oldest row: the order of digests and DMs. */
export function compareItems(a: WarningItem, b: WarningItem): number {
  return (
    severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
    compareText(a.finding.dueAt, b.finding.dueAt) ||
    (a.warning?.id ?? 0) - (b.warning?.id ?? 0)
  );
}

/** Whether the item offers "I'm on it": a stored, open, at-risk or critical warning nobody has taken yet (docs/rules.md "Escalation"). */
export function canAcknowledge(item: WarningItem): boolean {
  const w = item.warning;
  return w !== null && isEscalating(w.severity) && w.acknowledgedBy === null && w.state !== 'resolved' && w.state !== 'snoozed';
}
