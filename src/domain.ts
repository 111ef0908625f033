/**
 * The domain vocabulary every layer shares. Plain data only: no Prisma, no Slack, no I/O.
 * Calendar dates ("connected on", "last refreshed") are ISO `YYYY-MM-DD` strings: the rules
 * count calendar days in the workspace's time zone, so an instant would be the wrong type.
 */
import unhomoglyph from 'unhomoglyph';

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export const NETWORKS = ['linkedin', 'facebook', 'instagram', 'x', 'tiktok', 'youtube', 'pinterest', 'threads'] as const;
export type Network = (typeof NETWORKS)[number];

export const CONNECTION_KINDS = ['company_page', 'showcase_page', 'profile', 'page', 'business_account', 'channel'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** A Slack channel id (public `C…` or private `G…`), as Slack sends and stores it: not a `#name`. */
export function isChannelId(value: string): boolean {
  return /^[CG][A-Z0-9]{2,}$/.test(value);
}

/**
 * The social media management tool that holds a connection (none recorded: `null`). Policy defaults
 * and advice may differ per tool where the tool's own documentation says so (docs/rules.md).
 */
export const TOOLS = ['brandwatch', 'hootsuite', 'sprout_social', 'buffer', 'agorapulse', 'later', 'sprinklr', 'loomly', 'socialpilot', 'other'] as const;
export type Tool = (typeof TOOLS)[number];

export function isTool(value: unknown): value is Tool {
  return typeof value === 'string' && (TOOLS as readonly string[]).includes(value);
}

export const ROLES = ['admin', 'team_leader', 'member'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Where the bot reads connections' real state from (docs/sources.md): two management tools that list
 * their connections, and a team's own LinkedIn or Meta app that introspects the tokens it issued.
 */
export const SOURCE_KINDS = ['hootsuite', 'buffer', 'linkedin-app', 'meta-app'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export function isSourceKind(value: unknown): value is SourceKind {
  return typeof value === 'string' && (SOURCE_KINDS as readonly string[]).includes(value);
}

/** The source that introspects a network's tokens (a team's own app issued them), or null: no app can. */
export function introspectedBy(network: Network): 'linkedin-app' | 'meta-app' | null {
  if (network === 'linkedin') return 'linkedin-app';
  return network === 'facebook' || network === 'instagram' || network === 'threads' ? 'meta-app' : null;
}

/** How a source's name reads in the messages ("Hootsuite: reconnect needed"). */
export const SOURCE_NAMES: Readonly<Record<SourceKind, string>> = {
  hootsuite: 'Hootsuite',
  buffer: 'Buffer',
  'linkedin-app': 'LinkedIn',
  'meta-app': 'Meta',
};

export const CONNECTION_STATUSES = ['connected', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** Why a channel disconnected: the reasons listed in the vendor article (seed). */
export const DISCONNECT_REASONS = {
  token_expired: 'Token lifespan ended (365 days)',
  inactivity: 'Owner inactive on the network (about 60 days)',
  password_change: 'Password changed on the account',
  permissions_revoked: 'Permissions revoked or not all granted (Permitted Services)',
  role_changed: 'Owner lost their Page role (e.g. no longer Super Admin)',
  owner_left: 'Owner left the team or was removed from the tool',
  security_flag: 'Suspicious activity or security concern detected',
  account_restricted: 'Account restricted for a policy violation',
  shared_login: 'Shared login flagged by the network',
  dummy_account: 'Page connected through a dummy / test profile',
  network_outage: 'Network API outage or disruption',
  unknown: 'Unknown',
} as const;
export type DisconnectReason = keyof typeof DISCONNECT_REASONS;

/**
 * What the team attests about a connection's security (never fetched from the network).
 * `null` means "not known", which is never a finding.
 */
export interface SecurityAttestations {
  sharedLogin: boolean | null;
  twoFactor: boolean | null;
  ownerSuperAdmin: boolean | null;
  permissionsGranted: boolean | null;
}

export interface Workspace {
  id: string; // Slack team id
  name: string | null;
  alertChannel: string | null;
  timeZone: string; // IANA zone, e.g. "Europe/Berlin"
  checkTime: string; // "HH:mm" local to timeZone
  /** The weekly report's day (`off`: no weekly report) and time, `HH:mm` in timeZone (null: the check time). */
  reportDay: ReportDay;
  reportTime: string | null;
  policyOverrides: PolicyOverrides;
  /** Networks currently marked as disrupted, with when the outage was declared (ISO instant). */
  outages: Partial<Record<Network, string>>;
  /** When the Slack app was uninstalled from it (multi-workspace mode): no checks or delivery until reinstalled. */
  uninstalledAt?: Date | null;
  /** Who hears of a warning nobody acts on, and when (docs/rules.md "Escalation"); absent fields: the defaults. */
  escalation: EscalationSettings;
  /** Whether the alert channel keeps a status canvas (docs/workflows.md). */
  statusCanvas: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The rungs of the escalation ladder: the owner, then the backups, the team leaders, the alert channel. */
export const ESCALATION_TARGETS = ['owner', 'backups', 'leaders', 'channel'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** One step: whom to tell, this many hours after the previous step (the first: after the warning was posted). */
export interface EscalationRung {
  to: EscalationTarget;
  afterHours: number;
}

/** The severities whose warnings climb. */
export const ESCALATING_SEVERITIES = ['at_risk', 'critical'] as const;
export type EscalatingSeverity = (typeof ESCALATING_SEVERITIES)[number];

/** A workspace's escalation: a ladder per severity (empty: no escalation) and whether the channel step says @here. */
export interface EscalationSettings {
  at_risk?: EscalationRung[];
  critical?: EscalationRung[];
  /** The channel step mentions `@here` only when this is on (default off). */
  here?: boolean;
}

/** Every number of a network's policy. `null` switches a rule off for that network. */
export interface NetworkPolicy {
  lifespanDays: number | null;
  /** Days before expiry at which to warn, strictly descending, e.g. [30, 14, 7, 3, 1]. */
  expiryLadder: number[];
  inactivityWarnDays: number | null;
  inactivityCriticalDays: number | null;
  refreshRecommendedDays: number | null;
  refreshOverdueDays: number | null;
}

/** Per-workspace overrides: `all` applies to every network, `networks` to one (wins over `all`). */
export interface PolicyOverrides {
  all?: Partial<NetworkPolicy>;
  networks?: Partial<Record<Network, Partial<NetworkPolicy>>>;
}

export interface Member {
  workspaceId: string;
  userId: string;
  role: Role;
  active: boolean;
  name: string | null;
  updatedAt: Date;
}

export interface Connection {
  id: number;
  workspaceId: string;
  network: Network;
  kind: ConnectionKind;
  name: string;
  url: string | null;
  ownerId: string | null; // Slack user id
  connectedAt: IsoDate;
  lastRefreshedAt: IsoDate | null;
  ownerLastActiveAt: IsoDate | null;
  status: ConnectionStatus;
  disconnectReason: DisconnectReason | null;
  disconnectedAt: IsoDate | null;
  security: SecurityAttestations;
  notes: string | null;
  /** The management tool that holds it; `null` when nobody recorded one. */
  tool: Tool | null;
  archivedAt: Date | null;
  /** Retired: kept with its history and audit trail, gives no warnings, hidden from `status`; restorable. */
  retiredAt: Date | null;
  backups: BackupAdmin[];
  /** What a network said of the current token (a team's own app introspected it); absent or null: nothing said. */
  observed?: ObservedToken | null;
  /** A source's sync created it with no owner; its admins were told once (docs/sources.md). Cleared when an owner is set. */
  awaitingOwner?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What a network said of a connection's token when the team's own LinkedIn or Meta app introspected
 * it (docs/sources.md). Its dates replace the predicted ones while no later refresh is recorded: a
 * refresh starts a new token, which the network has not described yet.
 */
export interface ObservedToken {
  /** The token's end as the network said it; `never`: it does not expire (Meta's `expires_at: 0`); null: not said. */
  end: IsoDate | 'never' | null;
  /** The source that said it. */
  from: SourceKind;
  /**
   * The workspace-local day the bot first described the token it holds: a refresh recorded after it
   * means the team now holds a newer token, which this does not describe.
   */
  on: IsoDate;
  /** Meta's data access deadline: the owner must log in through the app again before it. */
  dataAccessEnd: IsoDate | null;
}

/** Created by a source's sync and still without an owner: its admins were told once (docs/sources.md). */
export function isAwaitingOwner(c: Pick<Connection, 'ownerId' | 'awaitingOwner'>): boolean {
  return c.ownerId === null && c.awaitingOwner === true;
}

export interface BackupAdmin {
  connectionId: number;
  userId: string;
  addedBy: string;
  addedAt: Date;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
/** When the weekly report goes to the alert channel: a weekday, or `off`. */
export const REPORT_DAYS = [...WEEKDAYS, 'off'] as const;
export type ReportDay = (typeof REPORT_DAYS)[number];

/**
 * Every action the audit trail records, one table: a use case can write only these (the store's
 * `NewAuditEvent.action` is this type), and readers (the weekly report, escalation) filter on them.
 */
export const AUDIT_ACTIONS = [
  'connection.add',
  'connection.sync',
  'source.add',
  'source.remove',
  'source.token',
  'connection.edit',
  'connection.remove',
  'connection.retire',
  'connection.restore',
  'connection.refresh',
  'connection.activity',
  'connection.snooze',
  'connection.disconnect',
  'connection.reconnect',
  'connection.owner',
  'connection.handover',
  'connection.backup.add',
  'connection.backup.remove',
  'warning.acknowledge',
  'warning.escalate',
  'role.change',
  'settings.change',
  'outage.on',
  'outage.off',
  'member.deactivated',
  'member.reactivated',
  'calendar.create',
  'calendar.rotate',
  'calendar.personal',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The audit actions the weekly report counts as "what happened". `ESCALATED_ACTION` is written by
 * the escalation ladder (one event per step climbed); the others by the channel use cases.
 */
export const ESCALATED_ACTION = 'warning.escalate' satisfies AuditAction;
export const REPORTED_ACTIONS = {
  refreshed: 'connection.refresh',
  disconnected: 'connection.disconnect',
  reconnected: 'connection.reconnect',
  escalated: ESCALATED_ACTION,
} as const satisfies Record<string, AuditAction>;

/** A stored warning's life span, as the weekly report reads the outbox's history. */
export interface WarningSpan {
  connectionId: number;
  kind: FindingKind;
  severity: Severity;
  createdAt: Date;
  resolvedAt: Date | null;
}

/**
 * Who did something, as the audit trail (`actorId`) and a settled warning (`resolvedBy`) store it:
 * a Slack user id, or one of the two machine actors. Stored as text; read with `actorOf`.
 */
export const SYSTEM_ACTOR = 'system';
export const CLI_ACTOR_ID = 'cli';
export type StoredActor = { kind: 'person'; userId: string } | { kind: 'system' } | { kind: 'cli' };

/** The stored text back as a tagged actor (null, as on rows written before it was recorded, is the system). */
export function actorOf(stored: string | null): StoredActor {
  if (stored === null || stored === SYSTEM_ACTOR) return { kind: 'system' };
  if (stored === CLI_ACTOR_ID) return { kind: 'cli' };
  return { kind: 'person', userId: stored };
}

export interface AuditEvent {
  id: number;
  workspaceId: string;
  connectionId: number | null;
  /** A Slack user id, `SYSTEM_ACTOR` or `CLI_ACTOR_ID` (`actorOf` reads it). */
  actorId: string;
  /** One of `AUDIT_ACTIONS`; rows written by older versions may hold others. */
  action: string;
  details: Record<string, unknown>;
  at: Date;
}

export const FINDING_KINDS = ['expiry', 'data_access', 'inactivity', 'refresh_due', 'no_backup', 'owner_gone', 'security', 'disconnected'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Ordered from least to most severe; health is the worst open finding's severity, or `ok`. */
export const SEVERITIES = ['attention', 'at_risk', 'critical', 'disconnected'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const HEALTHS = ['ok', ...SEVERITIES] as const;
export type Health = (typeof HEALTHS)[number];

export const WARNING_STATES = ['pending', 'sending', 'posted', 'failed', 'resolved', 'snoozed'] as const;
export type WarningState = (typeof WARNING_STATES)[number];

/** A stored warning: one row of the outbox, unique by `dedupKey`. */
export interface Warning {
  id: number;
  workspaceId: string;
  connectionId: number;
  kind: FindingKind;
  stage: string;
  severity: Severity;
  cycle: string;
  dedupKey: string;
  dueAt: IsoDate;
  state: WarningState;
  attempts: number;
  /** When a failed attempt may be tried again (backoff); null: as soon as it is due. */
  nextAttemptAt: Date | null;
  lastError: string | null;
  claimedAt: Date | null;
  /** The claim token of the run sending it: only that run may settle it. */
  claimedBy: string | null;
  slackChannel: string | null;
  slackTs: string | null;
  postedAt: Date | null;
  snoozedUntil: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  /** Escalation steps taken so far (docs/rules.md "Escalation"). */
  escalationStep: number;
  /** When the last step was taken. */
  escalatedAt: Date | null;
  /** When the next step is due; null: none planned (not yet armed, or the climb ended). */
  escalateAt: Date | null;
  /** Why the climb ended (`acted`, `acknowledged`, `top`, `off`); null while it may still climb. */
  escalationEnded: string | null;
  /** Who said "I'm on it", and when. */
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a check wants recorded: the input to `WarningRepository.upsertMany`. */
export interface NewWarning {
  workspaceId: string;
  connectionId: number;
  kind: FindingKind;
  stage: string;
  severity: Severity;
  cycle: string;
  dedupKey: string;
  dueAt: IsoDate;
}

/**
 * Characters that change how a name looks or reads without being seen: zero-width spaces and
 * joiners, the word joiner, the byte-order mark, the soft hyphen and Unicode's bidirectional
 * controls (marks, embeddings, overrides, isolates).
 */
// eslint-disable-next-line no-misleading-character-class -- a class of single invisible code points, on purpose
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/g;

/** Unicode compatibility form, invisible characters removed, white space collapsed and trimmed. */
function plainName(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

function caseFold(text: string): string {
  return text.toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * How a name reads, for sorting and comparing by eye: Unicode compatibility form (NFKC: fullwidth
 * letters, ligatures, no-break spaces become the plain ones), invisible characters removed, every
 * run of white space one space, trimmed, case folded.
 */
export function nameFoldOf(name: string): string {
  return caseFold(plainName(name));
}

/**
 * Unicode TR39's skeleton: decomposed (NFD), each character replaced by the prototype it is
 * confusable with in Unicode's confusables.txt (the `unhomoglyph` package's table, pinned: its
 * version is part of the stored keys), decomposed again. Two strings that look alike share one.
 */
function skeletonOf(text: string): string {
  return unhomoglyph(text.normalize('NFD')).normalize('NFD');
}

/**
 * TR39's table is case-sensitive and names are compared case-folded: a small capital is its letter
 * (Cyrillic `м` is confusable with `ʍ`, a small capital M, so `Асме` is `Acme`), and a prototype
 * in capitals is its small letter (`0` is `O`, so `o`). The keys are the skeletons of Latin small
 * capitals that are not a small letter already.
 */
const SMALL_CAPITALS: Readonly<Record<string, string>> = {
  ᴀ: 'a',
  ʙ: 'b',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ɢ: 'g',
  ʜ: 'h',
  ᴊ: 'j',
  ĸ: 'k',
  ʟ: 'l',
  ʍ: 'm',
  ɴ: 'n',
  ᴘ: 'p',
  ꞯ: 'q',
  ʀ: 'r',
  ᴛ: 't',
};

/**
 * The key that makes a channel name unique in a workspace, so that names which look alike are one
 * name: the TR39 skeleton of the case-folded name (`nameFoldOf`), compared case-folded (see
 * `SMALL_CAPITALS`). `Acme`, `ACME`, `Ａｃｍｅ`, Cyrillic `Асме` and Greek `Αcme` share a key. The
 * key is for comparing, not for reading (`m` becomes `rn`). A stored key changes only with this
 * function (a migration recomputes the stored ones: src/store/name-keys.ts).
 */
export function nameKeyOf(name: string): string {
  const skeleton = skeletonOf(nameFoldOf(name));
  const letters = caseFold(skeleton.replace(/[ᴀʙᴅᴇꜰɢʜᴊĸʟʍɴᴘꞯʀᴛ]/gu, (c) => SMALL_CAPITALS[c] ?? c));
  return skeletonOf(letters).replace(/\s+/gu, ' ').trim();
}

/** The longest channel name (Block Kit headers hold 150 characters; names sit in longer texts). */
export const MAX_NAME_LENGTH = 150;

/**
 * Why a channel name cannot be stored, or null when it can: empty, too long, control characters
 * (NUL, tabs, line breaks) or invisible characters (zero-width, bidirectional overrides) that make
 * a name read differently from what it is.
 */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return 'The name is empty: type the channel’s name as your social media tool shows it.';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'The name cannot contain control characters (tabs, line breaks, NUL).';
  if (name.replace(INVISIBLE, '') !== name) return 'The name cannot contain invisible characters (zero-width spaces or joiners, right-to-left overrides).';
  if (name.trim().length > MAX_NAME_LENGTH) return `Keep the name under ${MAX_NAME_LENGTH} characters (this one has ${name.trim().length}).`;
  return null;
}

/** The longest page address kept (browsers and Slack cut longer ones). */
export const MAX_URL_LENGTH = 2000;

/**
 * Why a page address cannot be stored, or null when it can: one rule for the Slack form, the
 * services behind every command, and the import. Only `http:` and `https:` addresses with a host
 * (no `javascript:`, `data:` or `file:`), and nothing a reader cannot see or that would split a
 * line: no control characters, white space or invisible characters.
 */
export function urlProblem(url: string): string | null {
  const advice = 'give the page’s web address, starting with https://';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f-\u009f]/.test(url)) return `The address cannot contain control characters (tabs, line breaks, NUL): ${advice}.`;
  if (/\s/u.test(url) || url.replace(INVISIBLE, '') !== url) return `The address cannot contain spaces or invisible characters: ${advice}.`;
  if (url.length > MAX_URL_LENGTH) return `The address is longer than ${MAX_URL_LENGTH} characters: ${advice}.`;
  if (!/^https?:\/\/[^/?#]/i.test(url) || !URL.canParse(url)) return `“${url.slice(0, 80)}” is not a web address: ${advice}.`;
  return null;
}

/** The earliest date a connection can carry: social media tools and their tokens are younger. */
export const EARLIEST_DATE: IsoDate = '2000-01-01';

/** The columns an import sets; everything else (security attestations, notes…) is left as it is. */
export interface ConnectionFields {
  network: Network;
  kind: ConnectionKind;
  name: string;
  url: string | null;
  ownerId: string | null;
  connectedAt: IsoDate;
  lastRefreshedAt: IsoDate | null;
  ownerLastActiveAt: IsoDate | null;
  status: ConnectionStatus;
  /** `undefined`: the file has no `tool` column, so an existing connection keeps its tool. */
  tool?: Tool | null;
}
