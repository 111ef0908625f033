import { addDays, daysBetween, isIsoDate, laterOf, parseUserDate, todayIn } from '../../src/rules/calendar';

describe('isIsoDate', () => {
  it.each<[unknown, boolean]>([
    ['2026-02-28', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-2-3', false],
    ['2026-02-03T00:00', false],
    [' 2026-02-03', false],
    ['', false],
    [20260203, false],
    [null, false],
  ])('%p → %p', (input, expected) => {
    expect(isIsoDate(input)).toBe(expected);
  });
});

describe('daysBetween (b - a, calendar days)', () => {
  it.each([
    ['2026-01-01', '2026-01-31', 30],
    ['2026-01-31', '2026-01-01', -30],
    ['2026-05-05', '2026-05-05', 0],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-02-28', '2025-03-01', 1],
    ['2024-02-29', '2025-02-28', 365],
    ['2026-03-07', '2026-03-09', 2], // US spring forward on 03-08
    ['2026-10-31', '2026-11-02', 2], // US fall back on 11-01
    ['2026-03-28', '2026-03-30', 2], // EU spring forward on 03-29
    ['2026-10-24', '2026-10-26', 2], // EU fall back on 10-25
  ])('%s → %s = %d', (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it('refuses a date that is not a calendar date', () => {
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2024-02-29', 365, '2025-02-28'],
    ['2025-01-01', 365, '2026-01-01'],
    ['2023-06-01', 365, '2024-05-31'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('%s + %d = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses fractional days', () => {
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('laterOf', () => {
  it.each([
    ['2026-01-02', '2026-01-01', '2026-01-02'],
    ['2025-12-31', '2026-01-01', '2026-01-01'],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(laterOf(a, b)).toBe(expected);
  });
});

describe('todayIn: the local date just before and after local midnight on DST change days', () => {
  it.each([
    // America/New_York, spring forward 2026-03-08 (midnight is still EST, UTC-5; the next is EDT, UTC-4)
    ['America/New_York', '2026-03-08T04:59:59Z', '2026-03-07'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T03:59:59Z', '2026-03-08'],
    ['America/New_York', '2026-03-09T04:00:00Z', '2026-03-09'],
    // America/New_York, fall back 2026-11-01 (midnight is EDT; the next is EST)
    ['America/New_York', '2026-11-01T03:59:59Z', '2026-10-31'],
    ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-01'],
    ['America/New_York', '2026-11-02T04:59:59Z', '2026-11-01'],
    ['America/New_York', '2026-11-02T05:00:00Z', '2026-11-02'],
    // Europe/Berlin, spring forward 2026-03-29 (midnight is CET, UTC+1; the next is CEST, UTC+2)
    ['Europe/Berlin', '2026-03-28T22:59:59Z', '2026-03-28'],
    ['Europe/Berlin', '2026-03-28T23:00:00Z', '2026-03-29'],
    ['Europe/Berlin', '2026-03-29T21:59:59Z', '2026-03-29'],
    ['Europe/Berlin', '2026-03-29T22:00:00Z', '2026-03-30'],
    // Europe/Berlin, fall back 2026-10-25 (midnight is CEST; the next is CET)
    ['Europe/Berlin', '2026-10-24T21:59:59Z', '2026-10-24'],
    ['Europe/Berlin', '2026-10-24T22:00:00Z', '2026-10-25'],
    ['Europe/Berlin', '2026-10-25T22:59:59Z', '2026-10-25'],
    ['Europe/Berlin', '2026-10-25T23:00:00Z', '2026-10-26'],
    // The same instant is a different day in Auckland and in UTC
    ['Pacific/Auckland', '2026-06-15T13:00:00Z', '2026-06-16'],
    ['UTC', '2026-06-15T13:00:00Z', '2026-06-15'],
  ])('%s at %s is %s', (zone, instant, expected) => {
    expect(todayIn(new Date(instant), zone)).toBe(expected);
  });

  it('refuses an unknown zone', () => {
    expect(() => todayIn(new Date('2026-01-01T00:00:00Z'), 'Mars/Base')).toThrow(/time zone/);
  });
});

describe('parseUserDate', () => {
  const today = '2026-06-15';

  it.each([
    ['2026-06-01', '2026-06-01'],
    ['2026-06-15', '2026-06-15'],
    ['today', '2026-06-15'],
    ['  Yesterday ', '2026-06-14'],
    ['3 days ago', '2026-06-12'],
    ['1 day ago', '2026-06-14'],
    ['0 days ago', '2026-06-15'],
    ['10d ago', '2026-06-05'],
    ['10 d ago', '2026-06-05'],
    ['45 DAYS AGO', '2026-05-01'],
  ])('%p → %s', (text, expected) => {
    expect(parseUserDate(text, today)).toEqual({ ok: true, value: expected });
  });

  it('crosses month ends', () => {
    expect(parseUserDate('yesterday', '2026-03-01')).toEqual({ ok: true, value: '2026-02-28' });
  });

  it.each([
    ['2026-06-16', /2026-06-16 is in the future \(today is 2026-06-15\)/],
    ['tomorrow', /not a date: use YYYY-MM-DD, "today", "yesterday" or "N days ago"/],
    ['2026-02-30', /not a date/],
    ['', /not a date/],
    ['-3 days ago', /not a date/],
    ['3 weeks ago', /not a date/],
    ['15/06/2026', /not a date/],
  ])('refuses %p with a reason', (text, reason) => {
    const result = parseUserDate(text, today);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
