/**
 * Default rule numbers per network, and how a workspace's overrides combine with them.
 * Sources: LinkedIn's and the management tools' own documentation (docs/rules.md) and each network's developer docs on token
 * lifetimes, as of 2025. `null` switches a rule off for that network.
 */
import { NETWORKS, type Network, type NetworkPolicy, type PolicyOverrides, type Tool } from '../domain';

export const POLICY_FIELDS = [
  'lifespanDays',
  'expiryLadder',
  'inactivityWarnDays',
  'inactivityCriticalDays',
  'refreshRecommendedDays',
  'refreshOverdueDays',
] as const satisfies readonly (keyof NetworkPolicy)[];

const YEAR_LADDER = [30, 14, 7, 3, 1];
// A 60-day token cannot use a 30-day first warning: it would fire in the token's first month.
const SHORT_LADDER = [14, 7, 3, 1];
// The vendor's advice is to refresh every 3–4 months; it applies to any long-lived connection.
const VENDOR_CADENCE = { refreshRecommendedDays: 90, refreshOverdueDays: 120 };
const NO_INACTIVITY = { inactivityWarnDays: null, inactivityCriticalDays: null };
// Where the token lives 60 days, the expiry ladder already asks for the refresh; a second cadence would only add noise.
const NO_CADENCE = { refreshRecommendedDays: null, refreshOverdueDays: null };

export const DEFAULT_POLICIES: Readonly<Record<Network, Readonly<NetworkPolicy>>> = {
  // Token lives 365 days; about 60 days of the owner's inactivity invalidates it early (docs/rules.md).
  linkedin: {
    lifespanDays: 365,
    expiryLadder: YEAR_LADDER,
    inactivityWarnDays: 45,
    inactivityCriticalDays: 60,
    ...VENDOR_CADENCE,
  },
  // Long-lived user tokens last about 60 days; Facebook documents no inactivity cut-off.
  facebook: { lifespanDays: 60, expiryLadder: SHORT_LADDER, ...NO_INACTIVITY, ...NO_CADENCE },
  // Instagram business accounts connect through Facebook Login: the same 60-day long-lived token.
  instagram: { lifespanDays: 60, expiryLadder: SHORT_LADDER, ...NO_INACTIVITY, ...NO_CADENCE },
  // OAuth 1.0a user tokens do not expire on a schedule (only revocation ends them).
  x: { lifespanDays: null, expiryLadder: YEAR_LADDER, ...NO_INACTIVITY, ...VENDOR_CADENCE },
  // Access tokens last 24 h and the tool renews them; the refresh token lasts 365 days, then the owner reconnects.
  tiktok: { lifespanDays: 365, expiryLadder: YEAR_LADDER, ...NO_INACTIVITY, ...VENDOR_CADENCE },
  // Google refresh tokens have no fixed lifespan (revocation or a password change ends them).
  youtube: { lifespanDays: null, expiryLadder: YEAR_LADDER, ...NO_INACTIVITY, ...VENDOR_CADENCE },
  // Access tokens last 30 days and the tool renews them; the refresh token lasts 365 days.
  pinterest: { lifespanDays: 365, expiryLadder: YEAR_LADDER, ...NO_INACTIVITY, ...VENDOR_CADENCE },
  // Long-lived tokens last 60 days (refreshable once a day old), as on Facebook.
  threads: { lifespanDays: 60, expiryLadder: SHORT_LADDER, ...NO_INACTIVITY, ...NO_CADENCE },
};

/**
 * Where a management tool's own help pages state a different number for a network than the
 * network's default, that tool's connections start from it (each source in docs/rules.md). Only
 * numbers the tool documents are here; every other tool and network keeps the network default.
 * A workspace's overrides still win over these.
 */
export const TOOL_POLICIES: Readonly<Partial<Record<Tool, Readonly<Partial<Record<Network, Readonly<Partial<NetworkPolicy>>>>>>>> = {
  // Agorapulse's token table: Facebook and Instagram 3 months, YouTube 30 days (LinkedIn, Pinterest
  // and TikTok 1 year, Threads 2 months and X no expiry match the network defaults).
  agorapulse: {
    facebook: { lifespanDays: 90, expiryLadder: SHORT_LADDER },
    instagram: { lifespanDays: 90, expiryLadder: SHORT_LADDER },
    // A 30-day token: the ladder already asks for a refresh every month.
    youtube: { lifespanDays: 30, expiryLadder: SHORT_LADDER, ...NO_CADENCE },
  },
};

export function isNetwork(value: unknown): value is Network {
  return typeof value === 'string' && (NETWORKS as readonly string[]).includes(value);
}

/** Only the fields a layer actually sets: an `undefined` must not erase the layer below. */
function definedFields(layer: Partial<NetworkPolicy> | undefined): Partial<NetworkPolicy> {
  if (layer === undefined || layer === null) return {};
  return Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined));
}

/**
 * The policy in force for `network` (held in `tool`, when known): the network's override wins over
 * `all`, which wins over the tool's documented number, which wins over the network default.
 */
export function resolvePolicy(network: Network, overrides: PolicyOverrides = {}, tool: Tool | null = null): NetworkPolicy {
  const defaults = DEFAULT_POLICIES[network];
  if (defaults === undefined) throw new RangeError(`Unknown network: ${JSON.stringify(network)}`);
  const policy: NetworkPolicy = {
    ...defaults,
    ...(tool === null ? {} : definedFields(TOOL_POLICIES[tool]?.[network])),
    ...definedFields(overrides.all),
    ...definedFields(overrides.networks?.[network]),
  };
  // A copy, so a caller editing the ladder cannot change the defaults.
  return { ...policy, expiryLadder: [...policy.expiryLadder] };
}
