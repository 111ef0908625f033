/**
 * iCalendar (RFC 5545) text of a workspace's deadlines: one all-day event per deadline, each with a
 * reminder before it. Pure: given the deadlines and the moment of export, the same text every time
 * (only `DTSTAMP` follows the clock). UIDs name the channel and the kind of deadline, never the
 * date, so a calendar that imports or subscribes again moves the event instead of adding another.
 */
import { daysBetween } from '../rules/calendar';
import type { Deadline } from '../rules/deadlines';

export interface IcsCalendar {
  /** The calendar's display name (`X-WR-CALNAME`). */
  name: string;
  /** The workspace's IANA zone: the all-day dates are days there (`X-WR-TIMEZONE`). */
  timeZone: string;
  /** The workspace id: part of every UID, so two workspaces' events never collide. */
  workspaceId: string;
  /** When the file was made (`DTSTAMP`). */
  stamp: Date;
  deadlines: readonly Deadline[];
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** TEXT values: backslash, semicolon, comma and line breaks are escaped (RFC 5545 §3.3.11). */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Splits a content line into lines of at most 75 octets (UTF-8), never inside a character; each
 * continuation starts with one space (RFC 5545 §3.1).
 */
export function foldIcsLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function icsDate(date: string): string {
  return date.replace(/-/g, '');
}

function icsInstant(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The UID of a channel's deadline of one kind: stable while the channel exists, whatever its date. */
export function deadlineUid(workspaceId: string, d: Pick<Deadline, 'connectionId' | 'kind'>): string {
  return `${d.kind}-${d.connectionId}-${workspaceId.toLowerCase()}@channel-keeper`;
}

export function formatIcs(calendar: IcsCalendar): string {
  return icsHead(calendar) + icsEvents(calendar, calendar.deadlines) + ICS_END;
}

/** The text of `formatIcs`, in pieces: the head, then the events of each page of deadlines (in the order given), then the end. */
export async function* icsChunks(calendar: Omit<IcsCalendar, 'deadlines'>, pages: AsyncIterable<readonly Deadline[]>): AsyncGenerator<string> {
  yield icsHead(calendar);
  for await (const page of pages) if (page.length) yield icsEvents(calendar, page);
  yield ICS_END;
}

const ICS_END = `END:VCALENDAR${CRLF}`;

/** Content lines, each folded and ended with CRLF. */
function icsLines(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) text += foldIcsLine(line) + CRLF;
  return text;
}

function icsHead(calendar: Omit<IcsCalendar, 'deadlines'>): string {
  return icsLines([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Channel Keeper//Deadlines//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(calendar.name)}`,
    `X-WR-TIMEZONE:${calendar.timeZone}`,
  ]);
}

function icsEvents(calendar: Pick<IcsCalendar, 'workspaceId' | 'stamp'>, deadlines: readonly Deadline[]): string {
  const stamp = icsInstant(calendar.stamp);
  const lines: string[] = [];
  for (const d of deadlines) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${deadlineUid(calendar.workspaceId, d)}`,
      `DTSTAMP:${stamp}`,
      // A later cycle start or activity moved the deadline: a higher sequence tells calendars the event changed.
      `SEQUENCE:${Math.max(0, daysBetween('2020-01-01', d.since))}`,
      `DTSTART;VALUE=DATE:${icsDate(d.date)}`,
      `DTEND;VALUE=DATE:${icsDate(nextDay(d.date))}`,
      `SUMMARY:${escapeIcsText(d.title)}`,
      `DESCRIPTION:${escapeIcsText(d.description)}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeIcsText(d.title)}`,
      `TRIGGER:-P${d.remindDaysBefore}D`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  return icsLines(lines);
}
