import { expirySeverity } from '../../src/rules/finding-rules';
import { resolvePolicy } from '../../src/rules/policy';
import { todayIn } from '../../src/rules/calendar';
import type { Severity } from '../../src/domain';
import { evaluate, LINKEDIN, makeConnection, oneOf } from './factories';

// Connected 2025-07-31: 365 days later (no 29 February in between) is 2026-07-31.
const connection = makeConnection({ id: 7, connectedAt: '2025-07-31' });

describe('expiry ladder on the default LinkedIn policy', () => {
  it.each<[string, number, string | null, Severity | null]>([
    ['2026-06-30', 31, null, null],
    ['2026-07-01', 30, '30d', 'attention'],
    ['2026-07-02', 29, '30d', 'attention'],
    ['2026-07-16', 15, '30d', 'attention'],
    ['2026-07-17', 14, '14d', 'attention'],
    ['2026-07-23', 8, '14d', 'attention'],
    ['2026-07-24', 7, '7d', 'at_risk'],
    ['2026-07-27', 4, '7d', 'at_risk'],
    ['2026-07-28', 3, '3d', 'at_risk'],
    ['2026-07-29', 2, '3d', 'at_risk'],
    ['2026-07-30', 1, '1d', 'critical'],
    ['2026-07-31', 0, 'expired', 'critical'],
    ['2026-08-01', -1, 'expired', 'critical'],
    ['2026-12-25', -147, 'expired', 'critical'],
  ])('on %s (%d days left) → %p / %p', (today, daysLeft, stage, severity) => {
    const found = oneOf(evaluate(connection, today), 'expiry');
    if (stage === null) {
      expect(found).toBeNull();
      return;
    }
    expect(found).toMatchObject({ connectionId: 7, stage, severity, dueAt: '2026-07-31', cycle: '2025-07-31' });
    if (daysLeft > 0) {
      expect(found?.dedupKey).toBe(`7:expiry:${stage}:2025-07-31`);
      expect(found?.message).toContain(`expires in ${daysLeft === 1 ? '1 day' : `${daysLeft} days`}, on 2026-07-31`);
    } else {
      // One reminder a day: the day is part of the key.
      expect(found?.dedupKey).toBe(`7:expiry:expired:2025-07-31:${today}`);
      expect(found?.message).toContain('expired');
    }
    expect(found?.advice).toMatch(/Settings → Channels/);
    expect(found?.advice).toMatch(/Who: the owner, a backup, a team leader or an admin/);
  });

  it('refreshed after expiry: a new cycle, no expiry finding, other findings keyed on the new cycle', () => {
    const refreshed = makeConnection({ id: 7, connectedAt: '2025-07-31', lastRefreshedAt: '2026-08-05', backups: [] });
    const findings = evaluate(refreshed, '2026-08-10');
    expect(oneOf(findings, 'expiry')).toBeNull();
    expect(oneOf(findings, 'no_backup')?.dedupKey).toBe('7:no_backup:none:2026-08-05');
    expect(oneOf(findings, 'no_backup')?.dueAt).toBe('2027-08-05');
  });

  it('refreshed before expiry: the ladder restarts from the refresh', () => {
    const refreshed = makeConnection({ connectedAt: '2025-07-31', lastRefreshedAt: '2026-07-20' });
    expect(oneOf(evaluate(refreshed, '2026-07-25'), 'expiry')).toBeNull();
    expect(oneOf(evaluate(refreshed, '2027-07-19'), 'expiry')).toMatchObject({ stage: '1d', dueAt: '2027-07-20', cycle: '2026-07-20' });
  });
});

describe('a lifespan counted in days, not years', () => {
  it.each([
    // Connected on 29 February: 365 days later is 28 February.
    ['2024-02-29', '2025-02-27', '1d', '2025-02-28'],
    ['2024-02-29', '2025-02-28', 'expired', '2025-02-28'],
    // A cycle spanning 29 February ends a calendar day earlier than "same date next year".
    ['2023-06-01', '2024-05-30', '1d', '2024-05-31'],
    ['2023-06-01', '2024-05-31', 'expired', '2024-05-31'],
  ])('connected %s, on %s → %s (expires %s)', (connectedAt, today, stage, expiresAt) => {
    const found = oneOf(evaluate(makeConnection({ connectedAt }), today), 'expiry');
    expect(found).toMatchObject({ stage, dueAt: expiresAt });
  });
});

describe('severity for any ladder step', () => {
  it.each<[number, Severity]>([
    [60, 'attention'],
    [30, 'attention'],
    [8, 'attention'],
    [7, 'at_risk'],
    [2, 'at_risk'],
    [1, 'critical'],
  ])('step %d → %s', (step, severity) => {
    expect(expirySeverity(step)).toBe(severity);
  });
});

describe('custom ladder override', () => {
  const policy = resolvePolicy('linkedin', { networks: { linkedin: { expiryLadder: [60, 10, 2] } } });

  it.each<[string, string | null, Severity | null]>([
    ['2026-05-31', null, null], // 61 days left
    ['2026-06-01', '60d', 'attention'], // 60
    ['2026-07-21', '10d', 'attention'], // 10
    ['2026-07-26', '10d', 'attention'], // 5: the smallest step ≥ 5 is 10
    ['2026-07-29', '2d', 'at_risk'], // 2
    ['2026-07-30', '2d', 'at_risk'], // 1
    ['2026-07-31', 'expired', 'critical'], // 0
  ])('on %s → %p / %p', (today, stage, severity) => {
    const found = oneOf(evaluate(connection, today, policy), 'expiry');
    expect(found === null ? null : [found.stage, found.severity]).toEqual(stage === null ? null : [stage, severity]);
  });

  it('a custom lifespan moves the expiry date', () => {
    const shorter = resolvePolicy('linkedin', { all: { lifespanDays: 300 } });
    expect(oneOf(evaluate(connection, '2026-05-20', shorter), 'expiry')).toMatchObject({ stage: '7d', dueAt: '2026-05-27' });
  });
});

describe('other networks', () => {
  it.each([
    ['facebook', '2026-06-15', null], // 15 days left: above the 14-day first step
    ['facebook', '2026-06-16', '14d'],
    ['threads', '2026-06-29', '1d'],
    ['instagram', '2026-06-30', 'expired'],
    ['x', '2030-01-01', null], // no scheduled expiry
    ['youtube', '2030-01-01', null],
    ['tiktok', '2027-04-30', '1d'],
    ['pinterest', '2027-04-30', '1d'],
  ] as const)('%s connected 2026-05-01, on %s → %p', (network, today, stage) => {
    const found = oneOf(evaluate(makeConnection({ network, connectedAt: '2026-05-01' }), today), 'expiry');
    expect(found?.stage ?? null).toBe(stage);
  });
});

describe('day counts follow the workspace time zone around local midnight on DST change days', () => {
  // Each connection expires the day after the DST change day D: before D's local midnight 2 days
  // are left (3d), on D 1 day (1d), from the next local midnight it has expired.
  it.each([
    ['America/New_York', '2025-03-09', '2026-03-08T04:59:59Z', '3d', 'expires in 2 days'],
    ['America/New_York', '2025-03-09', '2026-03-08T05:00:00Z', '1d', 'expires in 1 day'],
    ['America/New_York', '2025-03-09', '2026-03-09T03:59:59Z', '1d', 'expires in 1 day'],
    ['America/New_York', '2025-03-09', '2026-03-09T04:00:00Z', 'expired', 'expired today'],
    ['America/New_York', '2025-11-02', '2026-11-01T03:59:59Z', '3d', 'expires in 2 days'],
    ['America/New_York', '2025-11-02', '2026-11-01T04:00:00Z', '1d', 'expires in 1 day'],
    ['America/New_York', '2025-11-02', '2026-11-02T04:59:59Z', '1d', 'expires in 1 day'],
    ['America/New_York', '2025-11-02', '2026-11-02T05:00:00Z', 'expired', 'expired today'],
    ['Europe/Berlin', '2025-03-30', '2026-03-28T22:59:59Z', '3d', 'expires in 2 days'],
    ['Europe/Berlin', '2025-03-30', '2026-03-28T23:00:00Z', '1d', 'expires in 1 day'],
    ['Europe/Berlin', '2025-03-30', '2026-03-29T21:59:59Z', '1d', 'expires in 1 day'],
    ['Europe/Berlin', '2025-03-30', '2026-03-29T22:00:00Z', 'expired', 'expired today'],
    ['Europe/Berlin', '2025-10-26', '2026-10-24T21:59:59Z', '3d', 'expires in 2 days'],
    ['Europe/Berlin', '2025-10-26', '2026-10-24T22:00:00Z', '1d', 'expires in 1 day'],
    ['Europe/Berlin', '2025-10-26', '2026-10-25T22:59:59Z', '1d', 'expires in 1 day'],
    ['Europe/Berlin', '2025-10-26', '2026-10-25T23:00:00Z', 'expired', 'expired today'],
  ])('%s, connected %s, at %s → %s', (zone, connectedAt, instant, stage, words) => {
    const found = oneOf(evaluate(makeConnection({ connectedAt }), todayIn(new Date(instant), zone)), 'expiry');
    expect(found?.stage).toBe(stage);
    expect(found?.message).toContain(words);
  });

  it('inactivity counts calendar days across the November DST change', () => {
    const idle = makeConnection({ connectedAt: '2026-01-01', ownerLastActiveAt: '2026-09-17' });
    const before = evaluate(idle, todayIn(new Date('2026-11-01T03:59:59Z'), 'America/New_York'));
    const after = evaluate(idle, todayIn(new Date('2026-11-01T04:00:00Z'), 'America/New_York'));
    expect(oneOf(before, 'inactivity')).toBeNull(); // 44 days
    expect(oneOf(after, 'inactivity')?.message).toContain('owner last active 45 days ago: log in to LinkedIn within 15 days');
  });

  it('a workspace in Pacific/Auckland and one in UTC see different days at the same instant', () => {
    const now = new Date('2026-06-15T13:00:00Z');
    const c = makeConnection({ id: 3, connectedAt: '2025-06-16' }); // expires 2026-06-16
    const utc = oneOf(evaluate(c, todayIn(now, 'UTC')), 'expiry');
    const auckland = oneOf(evaluate(c, todayIn(now, 'Pacific/Auckland')), 'expiry');
    expect(utc).toMatchObject({ stage: '1d', dedupKey: '3:expiry:1d:2025-06-16' });
    expect(utc?.message).toContain('expires in 1 day');
    expect(auckland).toMatchObject({ stage: 'expired', dedupKey: '3:expiry:expired:2025-06-16:2026-06-16' });
  });
});

it('the default LinkedIn policy is the documented one', () => {
  expect(LINKEDIN).toEqual({
    lifespanDays: 365,
    expiryLadder: [30, 14, 7, 3, 1],
    inactivityWarnDays: 45,
    inactivityCriticalDays: 60,
    refreshRecommendedDays: 90,
    refreshOverdueDays: 120,
  });
});
