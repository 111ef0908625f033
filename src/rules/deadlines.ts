/**
 * The dates ahead of each channel (docs/rules.md, "The calendar"): when its token expires, when a
 * refresh is due, when its owner's inactivity reaches the limit. Pure: the calendar export and feed
 * turn these into events.
 */
import type { Connection, IsoDate, NetworkPolicy, Tool } from '../domain';
import { networkLabel, toolLabel } from './advice';
import { addDays } from './calendar';
import { validateConnectionDates } from './evaluate';
import { activityAnchor, expiresAt, refreshBy, type Facts } from './finding-rules';

export const DEADLINE_KINDS = ['expiry', 'refresh_due', 'inactivity'] as const;
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

/**
 * Every deadline from today on, of every channel that is in use: not archived, not retired, not
 * marked disconnected (a disconnected channel has nothing left to expire) and with dates that
 * can be judged. Sorted by date, then channel, then kind.
 */
export function upcomingDeadlines(connections: readonly Connection[], input: DeadlineInput): Deadline[] {
  const out: Deadline[] = [];
  for (const c of connections) {
    if (c.archivedAt !== null || c.retiredAt !== null || c.status !== 'connected') continue;
    if (validateConnectionDates(c, input.today).length > 0) continue;
    const policy = input.policyFor(c);
    const facts: Facts = { connection: c, today: input.today, policy, cycleStart: c.lastRefreshedAt ?? c.connectedAt };
    const subject = `${networkLabel(c.network)} “${c.name}”`;
    const held = c.tool === null ? '' : ` (${heldIn(c.tool)})`;
    const expiry = expiresAt(facts);
    if (expiry !== null && expiry >= input.today) {
      out.push({
        connectionId: c.id,
        kind: 'expiry',
        date: expiry,
        since: facts.cycleStart,
        remindDaysBefore: REMIND_DAYS,
        title: `${subject}: token expires`,
        description: `The ${networkLabel(c.network)} token of ${c.name}${held} ends on ${expiry}. Refresh it before then and record it with /channels refresh.`,
      });
    }
    const refresh = refreshBy(facts);
    if (refresh !== null && refresh >= input.today) {
      out.push({
        connectionId: c.id,
        kind: 'refresh_due',
        date: refresh,
        since: facts.cycleStart,
        remindDaysBefore: REMIND_DAYS,
        title: `${subject}: refresh due`,
        description: `${c.name}${held} should be refreshed by ${refresh}; record it with /channels refresh.`,
      });
    }
    const limit = policy.inactivityCriticalDays ?? policy.inactivityWarnDays;
    if (limit !== null) {
      const anchor = activityAnchor(c);
      const date = addDays(anchor, limit);
      if (date >= input.today) {
        out.push({
          connectionId: c.id,
          kind: 'inactivity',
          date,
          since: anchor,
          remindDaysBefore: REMIND_DAYS,
          title: `${subject}: owner inactivity limit`,
          description: `Unless its owner logs in to ${networkLabel(c.network)} before ${date}, the token of ${c.name}${held} may be invalidated. Record the visit with /channels active.`,
        });
      }
    }
  }
  return out.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.connectionId - b.connectionId || DEADLINE_KINDS.indexOf(a.kind) - DEADLINE_KINDS.indexOf(b.kind),
  );
}

/**
 * The day a channel's current token ends (today or past once it has), or null: its network's tokens
 * have no fixed lifespan, or the channel is not in use, or its dates cannot be judged.
 */
export function tokenEndOf(c: Connection, today: IsoDate, policy: NetworkPolicy): IsoDate | null {
  if (c.archivedAt !== null || c.retiredAt !== null || c.status !== 'connected') return null;
  if (validateConnectionDates(c, today).length > 0) return null;
  return expiresAt({ connection: c, today, policy, cycleStart: c.lastRefreshedAt ?? c.connectedAt });
}

function heldIn(tool: Tool): string {
  return tool === 'other' ? 'held in another tool' : `held in ${toolLabel(tool)}`;
}
