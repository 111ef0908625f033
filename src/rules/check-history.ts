/**
 * Whether the daily checks ran: "all quiet" must not look the same as "the bot is dead". From the
 * scheduled check fires recorded (their scheduled minute and outcome) and the workspace's check
 * time, counts the days of the last week that had a check against those that should have had one,
 * and finds the gap left when no replica ran for more than a day. Pure: the service loads the fires.
 */
import { DateTime } from 'luxon';
import { validateCheckTime } from './policy-validation';
import { count } from '../words';

/** The span "checks ran N of N days" looks back over. */
export const CHECK_HISTORY_DAYS = 7;

/** One scheduled check fire as recorded (a manual `runNow` is not one). */
export interface CheckFire {
  /** The scheduled minute (from the fire's key). */
  scheduledAt: Date;
  finishedAt: Date | null;
  /** `ok: …`, `failed: …`, or null while running. */
  outcome: string | null;
}

export interface CheckSchedule {
  /** `HH:mm` in `timeZone`. */
  checkTime: string;
  timeZone: string;
  /** Before this, no check was due (the workspace did not exist yet). */
  since: Date;
}

export interface CheckHistory {
  /** Days of the last week with a check that finished ok. */
  ran: number;
  /** Days of the last week that should have had one. */
  expected: number;
  /** When the latest check that finished ok ended (null: none recorded). */
  lastCheck: Date | null;
}

/** The check's scheduled instants in (from, to], in the schedule's zone, none before `since`. */
export function dueChecks(schedule: CheckSchedule, from: Date, to: Date): Date[] {
  const time = validateCheckTime(schedule.checkTime);
  const start = Math.max(from.getTime(), schedule.since.getTime() - 1);
  const out: Date[] = [];
  let day = DateTime.fromMillis(start, { zone: schedule.timeZone }).startOf('day');
  // A malformed time or zone (an old row): nothing can be said to be due.
  if (!time.ok || !day.isValid) return out;
  const [hour, minute] = time.value.split(':').map(Number);
  for (;;) {
    const due = day.set({ hour, minute, second: 0, millisecond: 0 });
    const at = due.toMillis();
    if (at > to.getTime()) return out;
    if (at > start) out.push(due.toJSDate());
    day = day.plus({ days: 1 });
  }
}

function succeeded(fire: CheckFire): boolean {
  return fire.finishedAt !== null && (fire.outcome ?? '').startsWith('ok');
}

/** A check due this recently may still be running: not yet counted as missed. */
export const CHECK_RUNNING_GRACE_MS = 60 * 60_000;

/**
 * Of the last CHECK_HISTORY_DAYS checks due by `at`: how many had a scheduled check that finished
 * ok (on the same local day, so a fire caught up later that day counts), and the last one. A check
 * due within the grace and not yet done leaves the week ending the day before: a weekly report at
 * the check's own minute would otherwise always read "6 of 7".
 */
export function checkHistory(fires: readonly CheckFire[], schedule: CheckSchedule, at: Date): CheckHistory {
  const from = new Date(at.getTime() - (CHECK_HISTORY_DAYS + 1) * 86_400_000);
  const dayOf = (instant: Date) => DateTime.fromJSDate(instant, { zone: schedule.timeZone }).toISODate();
  const ok = fires.filter((f) => succeeded(f) && f.scheduledAt <= at);
  const okDays = new Set(ok.filter((f) => f.scheduledAt > from).map((f) => dayOf(f.scheduledAt)));
  const due = dueChecks(schedule, from, at);
  const latest = due[due.length - 1];
  if (latest && at.getTime() - latest.getTime() < CHECK_RUNNING_GRACE_MS && !okDays.has(dayOf(latest))) due.pop();
  const week = due.slice(-CHECK_HISTORY_DAYS);
  const ran = week.filter((d) => okDays.has(dayOf(d))).length;
  const last = ok.reduce<Date | null>((newest, f) => (f.finishedAt && (!newest || f.finishedAt > newest) ? f.finishedAt : newest), null);
  return { ran, expected: week.length, lastCheck: last };
}

/** Checks that were due while no replica ran, once more than a day of them was missed. */
export interface MissedChecks {
  /** Checks due after the last recorded one and before this start. */
  days: number;
  /** The first check that did not run. */
  since: Date;
  /** The scheduled minute of the last fire recorded before the gap: it names the gap. */
  after: Date;
}

/**
 * The gap between the last scheduled check recorded before `startedAt` and `startedAt`: null when at
 * most one check was missed (the scheduler's catch-up runs the latest one) or none was ever recorded
 * (a new install missed nothing).
 */
export function missedChecks(lastFire: Date | null, schedule: CheckSchedule, startedAt: Date): MissedChecks | null {
  if (!lastFire) return null;
  const due = dueChecks(schedule, lastFire, startedAt);
  if (due.length <= 1) return null;
  return { days: due.length, since: due[0]!, after: lastFire };
}

/** How a medium writes an instant (Slack: each reader's zone; plain text: UTC). */
export type TimeStyle = (at: Date) => string;

export const PLAIN_TIME: TimeStyle = (at) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Checks ran 6 of 7 days; last check 2026-06-15 08:00 UTC". */
export function checkHistoryLine(history: CheckHistory, time: TimeStyle = PLAIN_TIME): string {
  if (history.expected === 0 && !history.lastCheck) return 'No scheduled check was due yet';
  const last = history.lastCheck ? `last check ${time(history.lastCheck)}` : 'no scheduled check has finished yet';
  return `Checks ran ${history.ran} of ${count(history.expected, 'day')}; ${last}`;
}

/** "No check ran on 3 days, since …": what the admins are told once after the gap. */
export function missedChecksLine(missed: MissedChecks, time: TimeStyle = PLAIN_TIME): string {
  return (
    `Channel Keeper was not running: ${missed.days} daily checks were missed, since ${time(missed.since)}. ` +
    'The latest is run now; channels were not checked on the other days, so warnings due then may have come late.'
  );
}
