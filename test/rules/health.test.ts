import type { FindingKind, Health, Severity } from '../../src/domain';
import { compareUrgency, healthOf, overdueOf, summarizeConnection, type UrgencyKey } from '../../src/rules/health';
import { evaluate, LINKEDIN, makeConnection } from './factories';

describe('healthOf: the worst severity, or ok', () => {
  it.each<[Severity[], Health]>([
    [[], 'ok'],
    [['attention'], 'attention'],
    [['attention', 'at_risk'], 'at_risk'],
    [['attention', 'critical', 'at_risk'], 'critical'],
    [['critical', 'disconnected', 'attention'], 'disconnected'],
  ])('%p → %s', (severities, health) => {
    expect(healthOf(severities.map((severity) => ({ severity })))).toBe(health);
  });
});

describe('overdueOf: the earliest date that has passed, never one ahead', () => {
  it.each<[[string, FindingKind][], unknown]>([
    [[], null],
    [[['2026-05-01', 'expiry']], null],
    [
      [
        ['2026-03-01', 'refresh_due'],
        ['2026-02-01', 'no_backup'],
        ['2026-05-01', 'expiry'],
      ],
      { since: '2026-02-01', kind: 'no_backup' },
    ],
    [
      [
        ['2026-02-01', 'no_backup'],
        ['2026-02-01', 'expiry'],
      ],
      { since: '2026-02-01', kind: 'expiry' },
    ],
    [[['2026-04-01', 'owner_gone']], null],
  ])('%p → %p on 2026-04-01', (dates, expected) => {
    expect(
      overdueOf(
        dates.map(([dueAt, kind]) => ({ dueAt, kind })),
        '2026-04-01',
      ),
    ).toEqual(expected);
  });
});

describe('compareUrgency: worse health first, then overdue longest or due soonest', () => {
  const next = (date: string) => ({ date, kind: 'expiry' as const });
  const since = (date: string) => ({ since: date, kind: 'refresh_due' as const });
  it('sorts a status list most urgent first', () => {
    const rows: UrgencyKey[] = [
      { name: 'ok', health: 'ok', overdue: null, nextDeadline: null },
      { name: 'critical later', health: 'critical', overdue: null, nextDeadline: next('2026-05-01') },
      { name: 'attention, no date', health: 'attention', overdue: null, nextDeadline: null },
      { name: 'critical sooner', health: 'critical', overdue: null, nextDeadline: next('2026-04-01') },
      { name: 'critical overdue', health: 'critical', overdue: since('2026-02-01'), nextDeadline: next('2026-03-01') },
      { name: 'disconnected', health: 'disconnected', overdue: since('2026-01-01'), nextDeadline: null },
      { name: 'attention', health: 'attention', overdue: null, nextDeadline: next('2026-03-01') },
      { name: 'at risk', health: 'at_risk', overdue: null, nextDeadline: next('2026-09-01') },
      { name: 'b same', health: 'at_risk', overdue: null, nextDeadline: next('2026-02-01') },
      { name: 'a same', health: 'at_risk', overdue: null, nextDeadline: next('2026-02-01') },
    ];
    expect([...rows].sort(compareUrgency).map((r) => r.name)).toEqual([
      'disconnected',
      'critical overdue',
      'critical sooner',
      'critical later',
      'a same',
      'b same',
      'at risk',
      'attention',
      'attention, no date',
      'ok',
    ]);
  });
});

describe('summarizeConnection', () => {
  const dates = (today: string) => ({ today, policy: LINKEDIN });

  it('an expired channel without a backup: critical, overdue since its first past date, nothing past called next', () => {
    const c = makeConnection({ id: 8, name: 'Acme', connectedAt: '2025-01-01', ownerLastActiveAt: '2026-01-20', backups: [] });
    const other = evaluate(makeConnection({ id: 99, connectedAt: '2020-01-01', status: 'disconnected' }), '2026-02-01');
    const summary = summarizeConnection(c, [...evaluate(c, '2026-02-01'), ...other], dates('2026-02-01'));
    expect(summary).toMatchObject({
      connectionId: 8,
      name: 'Acme',
      network: 'linkedin',
      health: 'critical',
      // 2025-01-01 + 120 days: the refresh has been overdue since then; the token ended on 2026-01-01.
      overdue: { since: '2025-05-01', kind: 'refresh_due' },
      token: { endsOn: '2026-01-01', ended: true },
      // The owner was last active on 2026-01-20: 60 days later is still ahead.
      nextDeadline: { date: '2026-03-21', kind: 'inactivity' },
    });
    expect(summary.nextDeadline!.date >= '2026-02-01').toBe(true);
    expect(summary.findings.map((f) => `${f.kind}:${f.stage}`)).toEqual(['expiry:expired', 'refresh_due:overdue', 'no_backup:none']);
    expect(summary.nextStep).toBe(summary.findings[0]?.advice);
  });

  it('a healthy channel: ok and nothing to do, yet its token end and what is due next are known', () => {
    const c = makeConnection({ connectedAt: '2026-01-01' });
    expect(summarizeConnection(c, evaluate(c, '2026-01-05'), dates('2026-01-05'))).toMatchObject({
      health: 'ok',
      overdue: null,
      token: { endsOn: '2027-01-01', ended: false },
      nextDeadline: { date: '2026-03-02', kind: 'inactivity' },
      findings: [],
      nextStep: null,
    });
  });

  it('a disconnected channel has no token end and no deadline ahead: it is overdue since it disconnected', () => {
    const c = makeConnection({ connectedAt: '2025-06-01', status: 'disconnected', disconnectedAt: '2026-01-10', disconnectReason: 'password_change' });
    expect(summarizeConnection(c, evaluate(c, '2026-02-01'), dates('2026-02-01'))).toMatchObject({
      health: 'disconnected',
      token: null,
      nextDeadline: null,
      overdue: { since: '2026-01-10', kind: 'disconnected' },
    });
  });
});
