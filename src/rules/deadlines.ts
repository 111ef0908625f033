/**
 * The dates ahead of each channel (docs/rules.md, "The calendar"): when its token expires, when a
 * refresh is due, when its owner's inactivity reaches the limit. Pure: the calendar export and feed
 * turn these into events.
 */
import type { Connection, IsoDate, NetworkPolicy, ObservedToken, Tool } from '../domain';
import { endOrigin, networkLabel, toolLabel } from './advice';
import { addDays } from './calendar';
import { validateConnectionDates } from './evaluate';
import { activityAnchor, currentObservation, expiresAt, factsOf, refreshBy } from './finding-rules';

// New kinds go last: a calendar event's key counts on each kind's place.
export const DEADLINE_KINDS = ['expiry', 'refresh_due', 'inactivity', 'data_access'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface Deadline {
  connectionId: number;
  kind: DeadlineKind;
  /** The day it falls due, in the workspace's zone. */
  date: IsoDate;
  /** What the date counts from (the token cycle start, or the last activity): a later one means the deadline moved. */
  since: IsoDate;
  /** Days before `date` the reminder should sound. */
  remindDaysBefore: number;
  title: string;
  description: string;
}

export interface DeadlineInput {
  today: IsoDate;
  policyFor: (connection: Connection) => NetworkPolicy;
}

/** Ahead of the first deadline of each kind: a week, as the ladder's at-risk steps begin. */
const REMIND_DAYS = 7;

/** A channel's date of one kind, past ones included. */
interface DeadlineDate {
  kind: DeadlineKind;
  date: IsoDate;
  since: IsoDate;
}

/** Whether a channel has deadlines at all: in use (not archived, retired or marked disconnected) and with dates that can be judged. */
function inUse(c: Connection, today: IsoDate): boolean {
  return c.archivedAt === null && c.retiredAt === null && c.status === 'connected' && validateConnectionDates(c, today).length === 0;
}

/** When the token ends, when a refresh is due, when the owner's inactivity reaches the limit (no words: a status line needs only the dates). */
function datesOf(c: Connection, today: IsoDate, policy: NetworkPolicy): DeadlineDate[] {
  const facts = factsOf(c, today, policy);
  const out: DeadlineDate[] = [];
  const expiry = expiresAt(facts);
  if (expiry !== null) out.push({ kind: 'expiry', date: expiry, since: facts.cycleStart });
  const refresh = refreshBy(facts);
  if (refresh !== null) out.push({ kind: 'refresh_due', date: refresh, since: facts.cycleStart });
  const limit = policy.inactivityCriticalDays ?? policy.inactivityWarnDays;
  if (limit !== null) {
    const anchor = activityAnchor(c);
    out.push({ kind: 'inactivity', date: addDays(anchor, limit), since: anchor });
  }
  const dataAccess = facts.observed?.dataAccessEnd ?? null;
  if (dataAccess !== null) out.push({ kind: 'data_access', date: dataAccess, since: facts.observed!.on });
  return out;
}

function byDate(a: Pick<Deadline, 'date' | 'connectionId' | 'kind'>, b: Pick<Deadline, 'date' | 'connectionId' | 'kind'>): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.connectionId - b.connectionId || DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind);
}

/**
 * Every deadline from today on, of every channel that is in use: not archived, not retired, not
 * marked disconnected (a disconnected channel has nothing left to expire) and with dates that
 * can be judged. Sorted by date, then channel, then kind.
 */
export function upcomingDeadlines(connections: readonly Connection[], input: DeadlineInput): Deadline[] {
  const out: Deadline[] = [];
  for (const c of connections) {
    if (!inUse(c, input.today)) continue;
    const subject = `${networkLabel(c.network)} “${c.name}”`;
    const held = c.tool === null ? '' : ` (${heldIn(c.tool)})`;
    for (const { kind, date, since } of datesOf(c, input.today, input.policyFor(c))) {
      if (date < input.today) continue;
      out.push({ connectionId: c.id, kind, date, since, remindDaysBefore: REMIND_DAYS, ...words(kind, date, c, subject, held, currentObservation(c)) });
    }
  }
  return out.sort(byDate);
}

function words(
  kind: DeadlineKind,
  date: IsoDate,
  c: Connection,
  subject: string,
  held: string,
  said: ObservedToken | null,
): Pick<Deadline, 'title' | 'description'> {
  switch (kind) {
    case 'expiry':
      return {
        title: `${subject}: token expires`,
        description: `The ${networkLabel(c.network)} token of ${c.name}${held} ends on ${date} (${endOrigin(c, date, said)}). Refresh it before then and record it with /channels refresh.`,
      };
    case 'refresh_due':
      return { title: `${subject}: refresh due`, description: `${c.name}${held} should be refreshed by ${date}; record it with /channels refresh.` };
    case 'data_access':
      return {
        title: `${subject}: data access ends`,
        description: `Meta's data access to ${c.name}${held} ends on ${date}: the owner logs in to ${networkLabel(c.network)} through your app again before then, and records it with /channels refresh.`,
      };
    case 'inactivity':
      return {
        title: `${subject}: owner inactivity limit`,
        description: `Unless its owner logs in to ${networkLabel(c.network)} before ${date}, the token of ${c.name}${held} may be invalidated. Record the visit with /channels active.`,
      };
  }
}

/**
 * A channel's token end and next deadline as of `today`: the day its current token ends (today or
 * past once it has; null when its network's tokens have no fixed lifespan, or the channel is not in
 * use), and the earliest deadline from today on, an ended token left out.
 */
export function channelDates(
  c: Connection,
  today: IsoDate,
  policy: NetworkPolicy,
): { tokenEndsOn: IsoDate | null; next: { kind: DeadlineKind; date: IsoDate } | null } {
  if (!inUse(c, today)) return { tokenEndsOn: null, next: null };
  const dates = datesOf(c, today, policy);
  const tokenEndsOn = dates.find((d) => d.kind === 'expiry')?.date ?? null;
  const ahead = dates
    .filter((d) => d.date > today || (d.date === today && d.kind !== 'expiry'))
    .sort((a, b) => byDate({ ...a, connectionId: c.id }, { ...b, connectionId: c.id }));
  return { tokenEndsOn, next: ahead[0] ? { kind: ahead[0].kind, date: ahead[0].date } : null };
}

function heldIn(tool: Tool): string {
  return tool === 'other' ? 'held in another tool' : `held in ${toolLabel(tool)}`;
}
