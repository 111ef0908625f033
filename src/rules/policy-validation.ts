/**
 * Validation of what admins type into settings: policy overrides, time zone, check time, ladder.
 * Every error names the field and what is allowed, so the settings modal can show it as is.
 */
import { IANAZone } from 'luxon';
import { NETWORKS, type NetworkPolicy, type PolicyOverrides } from '../domain';
import { isNetwork, POLICY_FIELDS, resolvePolicy } from './policy';

/* Result shapes of every settings validator, so the bot can show every problem at once. */

/** One refused input: `field` is the path the user edited (e.g. `networks.linkedin.expiryLadder`). */
export interface FieldError {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Ten years: longer is surely a typo, and it keeps date arithmetic far from luxon's limits. */
export const MAX_POLICY_DAYS = 3650;

type DayField = Exclude<keyof NetworkPolicy, 'expiryLadder'>;
/** Pairs where the first threshold must come strictly before the second. */
const ORDERED_PAIRS: readonly [DayField, DayField][] = [
  ['inactivityWarnDays', 'inactivityCriticalDays'],
  ['refreshRecommendedDays', 'refreshOverdueDays'],
];

const LADDER_RULE = `whole numbers of days from 1 to ${MAX_POLICY_DAYS}, strictly descending, e.g. 30,14,7,3,1`;
const DAYS_RULE = `a whole number of days from 1 to ${MAX_POLICY_DAYS}, or null to switch the rule off`;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDayCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_POLICY_DAYS;
}

/** Why a ladder is refused, or null when it is fine. */
function ladderProblem(ladder: unknown): string | null {
  if (!Array.isArray(ladder)) return `must be a list of ${LADDER_RULE}`;
  if (ladder.length === 0) return `must list at least one step: ${LADDER_RULE}`;
  const descending = ladder.every((step, i) => isDayCount(step) && (i === 0 || step < ladder[i - 1]));
  return descending ? null : `must be ${LADDER_RULE} (got ${JSON.stringify(ladder)})`;
}

/** Checks one layer (`all` or `networks.<name>`) field by field; returns the valid fields only. */
function validateLayer(input: unknown, path: string, errors: FieldError[]): Partial<NetworkPolicy> {
  if (!isPlainObject(input)) {
    errors.push({ field: path, message: `must be an object with some of: ${POLICY_FIELDS.join(', ')}` });
    return {};
  }
  const layer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const field = `${path}.${key}`;
    if (value === undefined) continue;
    if (!(POLICY_FIELDS as readonly string[]).includes(key)) {
      errors.push({ field, message: `unknown field; allowed: ${POLICY_FIELDS.join(', ')}` });
    } else if (key === 'expiryLadder') {
      const problem = ladderProblem(value);
      if (problem === null) layer[key] = value;
      else errors.push({ field, message: problem });
    } else if (value === null || isDayCount(value)) {
      layer[key] = value;
    } else {
      errors.push({ field, message: `must be ${DAYS_RULE} (got ${JSON.stringify(value)})` });
    }
  }
  return layer as Partial<NetworkPolicy>;
}

/**
 * Thresholds that only make sense in order (warn before critical) are checked on the policy each
 * network ends up with, so `all` raising a warning past a network's default critical is caught.
 * The error goes to the most specific layer that set one of the two numbers.
 */
function checkOrder(overrides: PolicyOverrides, errors: FieldError[]): void {
  const clashes = new Map<string, { pair: [DayField, DayField]; networks: string[] }>();
  for (const network of NETWORKS) {
    const policy = resolvePolicy(network, overrides);
    for (const pair of ORDERED_PAIRS) {
      const [first, second] = pair;
      const a = policy[first];
      const b = policy[second];
      if (a === null || b === null || a < b) continue;
      const own = overrides.networks?.[network];
      const ownSetsPair = own?.[first] !== undefined || own?.[second] !== undefined;
      const layer = ownSetsPair ? own : overrides.all;
      const field = `${ownSetsPair ? `networks.${network}` : 'all'}.${layer?.[first] !== undefined ? first : second}`;
      const clash = clashes.get(field) ?? { pair, networks: [] };
      clash.networks.push(`${network} (${a} ≥ ${b})`);
      clashes.set(field, clash);
    }
  }
  for (const [field, { pair, networks }] of clashes) {
    errors.push({ field, message: `${pair[0]} must be less than ${pair[1]}; not so for ${networks.join(', ')}` });
  }
}

/**
 * Checks a workspace's policy overrides as stored (JSON) or typed. `null`/`undefined` mean "no
 * overrides". Returns every problem, not just the first.
 */
export function validatePolicyOverrides(input: unknown): Validation<PolicyOverrides> {
  if (input === undefined || input === null) return { ok: true, value: {} };
  if (!isPlainObject(input)) {
    return { ok: false, errors: [{ field: 'policyOverrides', message: 'must be an object with optional "all" and "networks"' }] };
  }
  const errors: FieldError[] = [];
  const value: PolicyOverrides = {};
  for (const [key, layer] of Object.entries(input)) {
    if (layer === undefined) continue;
    if (key === 'all') {
      value.all = validateLayer(layer, 'all', errors);
    } else if (key === 'networks') {
      if (!isPlainObject(layer)) {
        errors.push({ field: 'networks', message: `must be an object keyed by network: ${NETWORKS.join(', ')}` });
        continue;
      }
      value.networks = {};
      for (const [network, networkLayer] of Object.entries(layer)) {
        if (!isNetwork(network)) {
          errors.push({ field: `networks.${network}`, message: `unknown network; allowed: ${NETWORKS.join(', ')}` });
        } else if (networkLayer !== undefined) {
          value.networks[network] = validateLayer(networkLayer, `networks.${network}`, errors);
        }
      }
    } else {
      errors.push({ field: key, message: 'unknown field; allowed: all, networks' });
    }
  }
  checkOrder(value, errors);
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
}

/** An IANA zone name such as `Europe/Berlin`. */
export function validateTimeZone(input: unknown): Validation<string> {
  const zone = typeof input === 'string' ? input.trim() : '';
  if (zone !== '' && IANAZone.isValidZone(zone)) return { ok: true, value: zone };
  return {
    ok: false,
    errors: [{ field: 'timeZone', message: `${JSON.stringify(input)} is not an IANA time zone; use a name such as Europe/Berlin, America/New_York or UTC` }],
  };
}

/** A local time of day; `9:05` is accepted and normalised to `09:05`. */
export function validateCheckTime(input: unknown): Validation<string> {
  const match = typeof input === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(input.trim()) : null;
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (match !== null && hours <= 23 && minutes <= 59) {
    return { ok: true, value: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}` };
  }
  return {
    ok: false,
    errors: [{ field: 'checkTime', message: `${JSON.stringify(input)} is not a time of day; use HH:mm from 00:00 to 23:59, e.g. 09:00` }],
  };
}

/** The settings text field for the expiry ladder: `30,14,7,3,1` (spaces allowed). */
export function parseLadder(text: string): Validation<number[]> {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  const ladder = parts.map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  const problem = parts.every((part) => /^\d+$/.test(part)) ? ladderProblem(ladder) : `must be ${LADDER_RULE} (got "${text.trim()}")`;
  return problem === null ? { ok: true, value: ladder } : { ok: false, errors: [{ field: 'expiryLadder', message: problem }] };
}
