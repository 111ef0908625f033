/**
 * Calendar-day arithmetic on ISO `YYYY-MM-DD` dates.
 * The zone matters only when turning an instant (`now`) into the local date; after that, dates are
 * zone-free, so all arithmetic runs in UTC where every day has 24 hours and DST cannot skew a count.
 */
import { DateTime, IANAZone } from 'luxon';
import type { IsoDate } from '../domain';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_AGO = /^(\d{1,4})\s*(?:d|days?)\s+ago$/;

export type UserDate = { ok: true; value: IsoDate } | { ok: false; reason: string };

/** Strict `YYYY-MM-DD` naming a real day (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

function parse(date: IsoDate): DateTime {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return DateTime.fromISO(date, { zone: 'utc' });
}

function format(dt: DateTime): IsoDate {
  const iso = dt.toISODate();
  if (iso === null) throw new RangeError(`Date out of range: ${dt.invalidExplanation ?? 'invalid'}`);
  return iso;
}

/** The local calendar date at instant `now` in IANA `zone`. */
export function todayIn(now: Date, zone: string): IsoDate {
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(zone)}`);
  return format(DateTime.fromJSDate(now, { zone }));
}

/** Calendar days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  // Both are UTC midnights, so the difference is a whole number; round only guards float noise.
  return Math.round(parse(b).diff(parse(a), 'days').days);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be a whole number: ${days}`);
  return format(parse(date).plus({ days }));
}

/** The later of two dates (ISO dates order as strings). */
export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

/**
 * What a person typed in a date field: `YYYY-MM-DD`, `today`, `yesterday`, `N days ago` or `Nd ago`.
 * Dates after `today` are refused: every date we record is something that already happened.
 */
export function parseUserDate(text: string, today: IsoDate): UserDate {
  const input = text.trim().toLowerCase();
  let value: IsoDate | null = null;
  if (input === 'today') value = today;
  else if (input === 'yesterday') value = addDays(today, -1);
  else if (isIsoDate(input)) value = input;
  else {
    const ago = DAYS_AGO.exec(input);
    if (ago?.[1] !== undefined) value = addDays(today, -Number(ago[1]));
  }
  if (value === null) {
    return { ok: false, reason: `"${text.trim()}" is not a date: use YYYY-MM-DD, "today", "yesterday" or "N days ago"` };
  }
  if (value > today) return { ok: false, reason: `${value} is in the future (today is ${today})` };
  return { ok: true, value };
}
