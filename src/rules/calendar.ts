/**
 * Calendar-day arithmetic on ISO `YYYY-MM-DD` dates.
 * The zone matters only when turning an instant (`now`) into the local date; after that, dates are
 * zone-free, so all arithmetic runs in UTC where every day has 24 hours and DST cannot skew a count.
 */
import { DateTime, IANAZone } from 'luxon';
import { EARLIEST_DATE, type IsoDate } from '../domain';

const DAYS_AGO = /^(\d{1,4})\s*(?:d|days?)\s+ago$/;

export type UserDate = { ok: true; value: IsoDate } | { ok: false; reason: string };

/** Strict `YYYY-MM-DD` naming a real day (2026-02-30 is not one). */
export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && dayNumberOrNull(value) !== null;
}

/*
 * A check pass does date arithmetic millions of times, so dates become day numbers (days since
 * 1970-01-01) by integer arithmetic on the proleptic Gregorian calendar (the "days from civil"
 * algorithm), with no date library and no cache: pure functions of their arguments.
 */
const DAYS_BEFORE_EPOCH = 719_468; // 0000-03-01 to 1970-01-01
const DAYS_PER_ERA = 146_097; // 400 years

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Digits `from`..`from + count` of `text` as a number; NaN when one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** The day number of a strict `YYYY-MM-DD` naming a real day, else null (read by character codes: no regex, no substrings). */
function dayNumberOrNull(date: string): number | null {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return null;
  const year = digitsAt(date, 0, 4);
  const month = digitsAt(date, 5, 2);
  const day = digitsAt(date, 8, 2);
  // NaN fails every comparison below, so a non-digit ends here too.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return null;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - DAYS_BEFORE_EPOCH;
}

function dayNumber(date: IsoDate): number {
  const day = dayNumberOrNull(date);
  if (day === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return day;
}

function isoDateOf(dayNumber: number): IsoDate {
  const z = dayNumber + DAYS_BEFORE_EPOCH;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range: day ${dayNumber}`);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
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
  if (value < EARLIEST_DATE) return { ok: false, reason: `${value} is before ${EARLIEST_DATE}: give the real date` };
  return { ok: true, value };
}
