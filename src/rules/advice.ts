/**
 * The words of every finding: a one-line message (what is wrong, by when) and advice (what to do,
 * where, and who may do it, per docs/rules.md). Kept apart so rules stay numeric.
 */
import { DISCONNECT_REASONS, isAwaitingOwner, SOURCE_NAMES, type Connection, type IsoDate, type Network, type ObservedToken, type Tool } from '../domain';
import type { Finding, SecurityStage } from './finding';

export type FindingText = Pick<Finding, 'message' | 'advice'>;

const NETWORK_LABELS: Record<Network, string> = {
  linkedin: 'LinkedIn',
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X',
  tiktok: 'TikTok',
  youtube: 'YouTube',
  pinterest: 'Pinterest',
  threads: 'Threads',
};

/** Who can connect the channel on the network (the seed: LinkedIn needs a Super Admin of the Page). */
const ADMIN_ROLES: Record<Network, string> = {
  linkedin: 'a Super Admin of the Page',
  facebook: 'someone with full control of the Page',
  instagram: 'someone with full control of the linked Facebook Page',
  x: 'the account holder',
  tiktok: 'the account holder',
  youtube: 'an Owner or Manager of the channel',
  pinterest: 'the account holder',
  threads: 'the account holder',
};

const TOOL_LABELS: Record<Tool, string> = {
  brandwatch: 'Brandwatch',
  hootsuite: 'Hootsuite',
  sprout_social: 'Sprout Social',
  buffer: 'Buffer',
  agorapulse: 'Agorapulse',
  later: 'Later',
  sprinklr: 'Sprinklr',
  loomly: 'Loomly',
  socialpilot: 'SocialPilot',
  other: 'your social media tool',
};

/**
 * Where a tool's own help pages say its connections are refreshed or reconnected (docs/rules.md).
 * A tool not listed is named without a path rather than given one its documentation does not state.
 */
const TOOL_RECONNECT_PLACES: Partial<Record<Tool, string>> = {
  agorapulse: 'Organization settings → Social profiles & tokens',
  socialpilot: 'Accounts → Manage Accounts → Reconnect',
};

/** Tools whose documentation says removing a channel deletes its queued posts or history (docs/rules.md). */
const REMOVING_DELETES: ReadonlySet<Tool> = new Set<Tool>(['socialpilot', 'hootsuite']);

export const DO_NOT_REMOVE = 'Reconnect, do not remove: removing a channel can delete its queued posts and history.';

export function toolLabel(tool: Tool): string {
  return TOOL_LABELS[tool] ?? tool;
}

/** "in Agorapulse, Organization settings → Social profiles & tokens": the tool's own place, or the generic one. */
function inTool(c: Connection, generic: string): string {
  if (c.tool === null || c.tool === undefined || c.tool === 'other') return `in your social media tool, ${generic}`;
  const place = TOOL_RECONNECT_PLACES[c.tool];
  return place === undefined ? `in ${toolLabel(c.tool)}` : `in ${toolLabel(c.tool)}, ${place}`;
}

/** The warning against removing and re-adding, where the tool's documentation says removing deletes. */
function removeWarning(c: Connection): string {
  return c.tool !== null && c.tool !== undefined && REMOVING_DELETES.has(c.tool) ? ` ${DO_NOT_REMOVE}` : '';
}

const WHO_CARETAKERS = 'Who: the owner, a backup, a team leader or an admin.';
const WHO_LEADS = 'Who: a team leader or an admin.';
const REFRESH_PATH_GENERIC = 'Settings → Channels → Refresh';

export function networkLabel(network: Network): string {
  return NETWORK_LABELS[network] ?? network;
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function subject(c: Connection): string {
  return `${networkLabel(c.network)} “${c.name}”`;
}

/** "logged in to LinkedIn as a Super Admin of the Page": whose login a refresh needs. */
function loggedInAsAdmin(c: Connection): string {
  return `logged in to ${networkLabel(c.network)} as ${ADMIN_ROLES[c.network]}`;
}

function refreshAdvice(c: Connection, by: string): string {
  return `Refresh it ${by}: ${inTool(c, REFRESH_PATH_GENERIC)}, ${loggedInAsAdmin(c)}; then press “Mark refreshed”. ${WHO_CARETAKERS}`;
}

/**
 * Where a token's end comes from, in words (docs/sources.md: every date says it): "said by LinkedIn
 * on 2026-12-04" when the network said it, else "predicted from the refresh on 2026-01-03".
 */
export function endOrigin(c: Connection, end: IsoDate, said: ObservedToken | null): string {
  if (said !== null && said.end === end) return `said by ${SOURCE_NAMES[said.from]} on ${said.on}`;
  return c.lastRefreshedAt === null ? `predicted from the connection on ${c.connectedAt}` : `predicted from the refresh on ${c.lastRefreshedAt}`;
}

/** After a refresh, the network goes on describing the token it was given: the card needs the new one. */
function newTokenAdvice(said: ObservedToken | null): string {
  return said === null
    ? ''
    : ` Then give its card the new token (“Set introspection token”): ${SOURCE_NAMES[said.from]} describes only the token it was given.`;
}

export function expiryText(c: Connection, daysLeft: number, expiresAt: IsoDate, said: ObservedToken | null = null): FindingText {
  const origin = endOrigin(c, expiresAt, said);
  const observed = said !== null && said.end === expiresAt ? said : null;
  if (daysLeft > 0) {
    return {
      message: `${subject(c)}: token expires in ${days(daysLeft)}, on ${expiresAt} (${origin}).`,
      advice: refreshAdvice(c, `before ${expiresAt}`) + newTokenAdvice(observed),
    };
  }
  const when = daysLeft === 0 ? `today (${expiresAt})` : `on ${expiresAt}, ${days(-daysLeft)} ago`;
  return {
    message: `${subject(c)}: token expired ${when} (${origin}).`,
    advice:
      `It has probably disconnected: reconnect it ${inTool(c, 'Settings → Channels → Reconnect')}, ` +
      `${loggedInAsAdmin(c)}; then press “Mark refreshed”. ${WHO_CARETAKERS}${removeWarning(c)}${newTokenAdvice(observed)}`,
  };
}

/** Meta's data access deadline: the owner logs in through the team's app again before it (docs/sources.md). */
export function dataAccessText(c: Connection, daysLeft: number, end: IsoDate, said: ObservedToken | null): FindingText {
  // Only Meta says this date; a warning worded after a refresh made its observation stale has no day to quote.
  const by = said === null ? 'said by Meta' : `said by ${SOURCE_NAMES[said.from]} on ${said.on}`;
  const message =
    daysLeft > 0
      ? `${subject(c)}: data access ends in ${days(daysLeft)}, on ${end} (${by}); after it the app can no longer read the ${networkLabel(c.network)} account.`
      : `${subject(c)}: data access ended ${daysLeft === 0 ? `today (${end})` : `on ${end}, ${days(-daysLeft)} ago`} (${by}): the app can no longer read the ${networkLabel(c.network)} account.`;
  return {
    message,
    advice:
      `The owner logs in to ${networkLabel(c.network)} through your app again (reconnect it ${inTool(c, 'Settings → Channels → Reconnect')}, ` +
      `${loggedInAsAdmin(c)}); then press “Mark refreshed”. ${WHO_CARETAKERS}`,
  };
}

export function inactivityText(c: Connection, idleDays: number, daysToCritical: number | null): FindingText {
  const label = networkLabel(c.network);
  const idle = `${subject(c)}: owner last active ${days(idleDays)} ago`;
  if (daysToCritical !== null && daysToCritical <= 0) {
    return {
      message: `${idle}: the token may already be invalid: check and refresh.`,
      advice: `Check the channel; once the owner has logged in to ${label}, refresh it (${inTool(c, REFRESH_PATH_GENERIC)}) and press “Mark refreshed”. ${WHO_CARETAKERS}`,
    };
  }
  const within = daysToCritical === null ? 'soon' : `within ${days(daysToCritical)}`;
  return {
    message: `${idle}: log in to ${label} ${within}.`,
    advice:
      `The owner logs in to ${label} (any visit counts), then presses “I was active”. ` +
      'Who: only the owner can log in; the owner, a backup, a team leader or an admin may record it.',
  };
}

export function refreshDueText(c: Connection, sinceDays: number, overdue: boolean, refreshBy: IsoDate): FindingText {
  const since = c.lastRefreshedAt === null ? 'connected and never refreshed' : 'last refreshed';
  const state = overdue ? `the refresh has been overdue since ${refreshBy}` : `a refresh is advised before ${refreshBy}`;
  return {
    message: `${subject(c)}: ${since} ${days(sinceDays)} ago; ${state}.`,
    advice: refreshAdvice(c, overdue ? 'now' : `before ${refreshBy}`),
  };
}

/**
 * One item for the findings a single refresh fixes (a token about to expire and a refresh due):
 * "refresh before <date>" (the token's end), or "now" once the date has passed, then each finding's
 * own reason. `before` null: the date has passed; `expired`: the token has ended (reconnect).
 */
export function refreshTogetherText(c: Connection, before: IsoDate | null, expired: boolean, parts: readonly FindingText[]): FindingText {
  const head = expired ? 'reconnect it now' : before === null ? 'refresh it now' : `refresh before ${before}`;
  const reasons = parts.map((p) => reasonOf(c, p.message));
  return { message: `${subject(c)}: ${head}. ${reasons.join(' ')}`, advice: parts[0]?.advice ?? refreshAdvice(c, 'now') };
}

/** A finding's message without the channel's name in front, as a sentence: "Token expires in 5 days, on …". */
function reasonOf(c: Connection, message: string): string {
  const prefix = `${subject(c)}: `;
  const reason = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

export function noBackupText(c: Connection): FindingText {
  return {
    message: `${subject(c)}: no backup admin: if the owner is away or leaves, nobody can reconnect it.`,
    advice:
      `Choose a teammate who is ${ADMIN_ROLES[c.network]} on ${networkLabel(c.network)} and an Administrator or Team Leader ` +
      `in your social media tool, then press “Add backup admin”. ${WHO_CARETAKERS}`,
  };
}

export function ownerGoneText(c: Connection): FindingText {
  const problem = isAwaitingOwner(c)
    ? `found by a sync${c.tool ? ` of ${toolLabel(c.tool)}` : ''} and waiting for an owner: nobody is responsible for refreshing it yet`
    : c.ownerId === null
      ? 'no owner on record (“Connected by: [undefined]”): nobody is responsible for refreshing it'
      : 'its owner left the workspace or lost the role connecting needs: the token may die with their access';
  return {
    message: `${subject(c)}: ${problem}.`,
    advice:
      `Press “Reassign owner” and choose ${ADMIN_ROLES[c.network]} on ${networkLabel(c.network)}; ` +
      `the new owner then refreshes the channel under their own login. ${WHO_LEADS}`,
  };
}

export function securityText(c: Connection, stage: SecurityStage): FindingText {
  const label = networkLabel(c.network);
  const role = ADMIN_ROLES[c.network];
  const permittedServices = c.network === 'linkedin' ? ' (LinkedIn: Settings → Data privacy → Permitted Services)' : '';
  const texts: Record<SecurityStage, FindingText> = {
    shared_login: {
      message: `${subject(c)}: connected through a shared login, which ${label} may flag and disconnect.`,
      advice: `Have one person reconnect it with their own login as ${role}, then update the channel here. ${WHO_CARETAKERS}`,
    },
    no_2fa: {
      message: `${subject(c)}: the owner's ${label} account has no two-step verification.`,
      advice: `The owner turns on two-step verification in their ${label} account settings; a team leader or an admin then updates the channel here.`,
    },
    not_super_admin: {
      message: `${subject(c)}: the owner is not ${role} on ${label}, which connecting requires.`,
      advice: `An existing admin grants the owner that role in the ${label} admin settings; then refresh the channel. ${WHO_CARETAKERS}`,
    },
    missing_permissions: {
      message: `${subject(c)}: not every permission was granted to your social media tool.`,
      advice: `Reconnect it and allow every permission asked for${permittedServices}. ${WHO_CARETAKERS}${removeWarning(c)}`,
    },
  };
  return texts[stage];
}

export function disconnectedText(c: Connection): FindingText {
  const since = c.disconnectedAt === null ? '' : ` since ${c.disconnectedAt}`;
  const reason = c.disconnectReason === null ? '' : `: ${DISCONNECT_REASONS[c.disconnectReason] ?? c.disconnectReason}`;
  const label = networkLabel(c.network);
  const reconnect = c.disconnectReason === 'network_outage' ? `Once the ${label} outage is over, reconnect` : 'Reconnect';
  const where = c.tool === null || c.tool === undefined || c.tool === 'other' ? 'in your social media tool (Settings → Channels → Reconnect)' : inTool(c, '');
  return {
    message: `${subject(c)}: disconnected${since}${reason}.`,
    advice: `${reconnect} it ${where} as ${ADMIN_ROLES[c.network]}, then press “Mark reconnected”. ${WHO_LEADS}${removeWarning(c)}`,
  };
}
