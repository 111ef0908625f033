/** The pure rules: policy, calendar, evaluation, health and warning planning. No I/O anywhere below. */
export type { FieldError, Validation } from './validation';
export { DEFAULT_POLICIES, POLICY_FIELDS, isNetwork, resolvePolicy } from './policy';
export { MAX_POLICY_DAYS, parseLadder, validateCheckTime, validatePolicyOverrides, validateTimeZone } from './policy-validation';
export { addDays, daysBetween, isIsoDate, laterOf, parseUserDate, todayIn, type UserDate } from './calendar';
export {
  EXPIRED_STAGE,
  SECURITY_STAGES,
  dedupKeyOf,
  expiryStage,
  kindRank,
  severityRank,
  type Finding,
  type SecurityStage,
} from './finding';
export { networkLabel } from './advice';
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
export {
  compareFindings,
  compareUrgency,
  healthOf,
  nextDeadline,
  summarizeConnection,
  type ConnectionSummary,
  type UrgencyKey,
} from './health';
export { planWarnings, type ExistingWarning, type PlanInput, type WarningPlan } from './plan';
