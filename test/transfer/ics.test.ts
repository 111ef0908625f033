/** The iCalendar codec: RFC 5545 text read back by a maintained parser (ical.js). */
import type { Deadline } from '../../src/rules/deadlines';
import { escapeIcsText, foldIcsLine, formatIcs } from '../../src/transfer/ics';
import { parseIcs } from '../support/ical';

const deadline = (overrides: Partial<Deadline> = {}): Deadline => ({
  connectionId: 7,
  kind: 'expiry',
  date: '2026-12-31',
  since: '2026-01-01',
  remindDaysBefore: 7,
  title: 'LinkedIn “Acme”: token expires',
  description: 'Refresh it.',
  ...overrides,
});

const STAMP = new Date('2026-06-15T12:00:00Z');

describe('formatIcs', () => {
  it('writes all-day events with a reminder before each, in the workspace zone, read back by ical.js', () => {
    const text = formatIcs({
      name: 'Channel Keeper: Acme',
      timeZone: 'Europe/Berlin',
      workspaceId: 'T0ACME',
      stamp: STAMP,
      deadlines: [deadline(), deadline({ kind: 'refresh_due', date: '2026-07-01', remindDaysBefore: 3, title: 'refresh' })],
    });
    const parsed = parseIcs(text);
    expect(parsed).toMatchObject({ name: 'Channel Keeper: Acme', timeZone: 'Europe/Berlin' });
    expect(parsed.events).toEqual([
      expect.objectContaining({ uid: 'expiry-7-t0acme@channel-keeper', start: '2026-12-31', end: '2027-01-01', allDay: true, alarms: [-7 * 86400] }),
      expect.objectContaining({ uid: 'refresh_due-7-t0acme@channel-keeper', start: '2026-07-01', allDay: true, alarms: [-3 * 86400] }),
    ]);
    expect(text).toContain('DTSTART;VALUE=DATE:20261231\r\n');
    expect(text).toContain('DTSTAMP:20260615T120000Z\r\n');
  });

  it('uses CRLF only, folds lines at 75 octets without splitting a character, and escapes , ; \\ and newlines', () => {
    const name = `Ünïcode, 🚀; back\\slash\nnew line ${'é'.repeat(60)}`;
    const text = formatIcs({ name: 'x', timeZone: 'UTC', workspaceId: 'T1', stamp: STAMP, deadlines: [deadline({ title: name, description: name })] });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    const [event] = parseIcs(text).events;
    expect(event!.summary).toBe(name);
    expect(event!.description).toBe(name);
  });

  it('escapes and folds by the RFC', () => {
    expect(escapeIcsText('a,b;c\\d\r\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const folded = foldIcsLine(`SUMMARY:${'€'.repeat(40)}`);
    const parts = folded.split('\r\n');
    expect(parts.length).toBe(2);
    expect(parts.every((p) => Buffer.byteLength(p) <= 75)).toBe(true);
    expect(parts[1]!.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(`SUMMARY:${'€'.repeat(40)}`);
  });

  it('an empty calendar is still a valid calendar', () => {
    expect(parseIcs(formatIcs({ name: 'x', timeZone: 'UTC', workspaceId: 'T1', stamp: STAMP, deadlines: [] })).events).toEqual([]);
  });
});
