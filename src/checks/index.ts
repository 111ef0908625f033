/**
 * The pure rules: policy and its validation, calendar, evaluation, health, warning planning and the
 * outage hold-back. Given data and `now`, they return findings and plans: no store, no config, no
 * Slack, no logger, no I/O anywhere below. The run machinery that loads, records and delivers is src/runs.
 */
export { DEFAULT_POLICIES, POLICY_FIELDS, TOOL_POLICIES, isNetwork, resolvePolicy } from './policy';
export {
  MAX_POLICY_DAYS,
  parseLadder,
  validateCheckTime,
  validatePolicyOverrides,
  validateTimeZone,
  type FieldError,
  type Validation,
} from './policy-validation';
export { addDays, daysBetween, isIsoDate, laterOf, parseUserDate, todayIn, type UserDate } from './calendar';
export { EXPIRED_STAGE, SECURITY_STAGES, compareText, dedupKeyOf, expiryStage, kindRank, severityRank, type Finding, type SecurityStage } from './finding';
export { DO_NOT_REMOVE, networkLabel, toolLabel } from './advice';
export { activityAnchor, expirySeverity } from './rules';
export {
  evaluateAll,
  evaluateConnection,
  validateConnectionDates,
  type ConnectionProblem,
  type EvaluateAllInput,
  type Evaluation,
  type EvaluationContext,
} from './evaluate';
export { compareFindings, compareUrgency, healthOf, nextDeadline, summarizeConnection, type ConnectionSummary, type UrgencyKey } from './health';
export { isDisconnectionNoise, outageHold, type OutageHold } from './outage';
export { planWarnings, type ExistingWarning, type PlanInput, type WarningPlan } from './plan';
export { DEADLINE_KINDS, upcomingDeadlines, type Deadline, type DeadlineInput, type DeadlineKind } from './deadlines';
export {
  ANSWERING_ACTIONS,
  DEFAULT_ESCALATION,
  ESCALATION_LABEL,
  MAX_ESCALATION_HOURS,
  decideEscalation,
  formatEscalationLadder,
  isEscalating,
  ladderFor,
  parseEscalationLadder,
  validateEscalationSettings,
  type EscalationDecision,
  type EscalationEnd,
  type EscalationRow,
} from './escalation';
export {
  CHART_WEEKS,
  DEADLINE_LEVELS,
  LEVEL_LABELS,
  PLAIN_STYLE,
  REPORT_DEADLINE_DAYS,
  REPORT_WEEK_DAYS,
  buildWeeklyReport,
  reportLines,
  validateReportDay,
  validateReportTime,
  type DeadlineLevel,
  type ReportStyle,
  type ReportWeek,
  type WeeklyReport,
  type WeeklyReportInput,
} from './weekly-report';
export {
  CHECK_HISTORY_DAYS,
  PLAIN_TIME,
  checkHistory,
  checkHistoryLine,
  dueChecks,
  missedChecks,
  missedChecksLine,
  type CheckFire,
  type CheckHistory,
  type CheckSchedule,
  type MissedChecks,
  type TimeStyle,
} from './check-history';
