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
  if (typeof value !== 'string') return false;
  const known = dayNumbers.get(value);
  if (known !== undefined) return known !== null;
  return ISO_DATE.test(value) && dayNumberOrNull(value) !== null;
}

/*
 * A check pass does date arithmetic millions of times over a few thousand distinct dates, so luxon
 * turns each date into a day number (days since 1970-01-01, UTC) once and the result is memoised;
 * the arithmetic itself is then integer arithmetic on day numbers. Bounded so it cannot grow forever.
 */
const MEMO_LIMIT = 50_000;
const dayNumbers = new Map<string, number | null>();
const isoDates = new Map<number, IsoDate>();
const MS_PER_DAY = 86_400_000;

function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

function dayNumberOrNull(date: string): number | null {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const dt = DateTime.fromISO(date, { zone: 'utc' });
  return remember(dayNumbers, date, dt.isValid ? Math.round(dt.toMillis() / MS_PER_DAY) : null);
}

function dayNumber(date: IsoDate): number {
  // Only strings that passed the strict pattern are ever memoised, so a hit needs no re-check.
  const known = dayNumbers.get(date);
  if (known !== undefined && known !== null) return known;
  const day = ISO_DATE.test(date) ? dayNumberOrNull(date) : null;
  if (day === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
}

function isoDateOf(day: number): IsoDate {
  const known = isoDates.get(day);
  if (known !== undefined) return known;
  const iso = DateTime.fromMillis(day * MS_PER_DAY, { zone: 'utc' }).toISODate();
  if (iso === null) throw new RangeError(`Date out of range: day ${day}`);
  return remember(isoDates, day, iso);
}

/**
 * The local calendar date at instant `now` in IANA `zone`. `IANAZone.create` is luxon's own cache of
 * zones (validity included), so a pass over many workspaces in a handful of zones checks each zone once.
 */
export function todayIn(now: Date, zone: string): IsoDate {
  if (!IANAZone.create(zone).isValid) throw new RangeError(`Unknown IANA time zone: ${JSON.stringify(zone)}`);
  const iso = DateTime.fromJSDate(now, { zone }).toISODate();
  if (iso === null) throw new RangeError(`Instant out of range: ${now.toISOString()}`);
  return iso;
}

/** Calendar days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`Days must be a whole number: ${days}`);
  return isoDateOf(dayNumber(date) + days);
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
