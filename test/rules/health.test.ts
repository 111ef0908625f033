import type { Health, Severity } from '../../src/domain';
import { compareUrgency, healthOf, nextDeadline, summarizeConnection, type UrgencyKey } from '../../src/rules/health';
import { evaluate, makeConnection } from './factories';

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

describe('nextDeadline: the earliest due date', () => {
  it.each<[string[], string | null]>([
    [[], null],
    [['2026-05-01'], '2026-05-01'],
    [['2026-05-01', '2026-03-01', '2026-04-01'], '2026-03-01'],
    [['2027-01-01', '2026-12-31'], '2026-12-31'],
  ])('%p → %p', (dates, expected) => {
    expect(nextDeadline(dates.map((dueAt) => ({ dueAt })))).toBe(expected);
  });
});

describe('compareUrgency: worse health first, then the earlier deadline', () => {
  it('sorts a status list most urgent first', () => {
    const rows: UrgencyKey[] = [
      { name: 'ok', health: 'ok', nextDeadline: null },
      { name: 'critical later', health: 'critical', nextDeadline: '2026-05-01' },
      { name: 'attention, no date', health: 'attention', nextDeadline: null },
      { name: 'critical sooner', health: 'critical', nextDeadline: '2026-04-01' },
      { name: 'disconnected', health: 'disconnected', nextDeadline: '2026-01-01' },
      { name: 'attention', health: 'attention', nextDeadline: '2026-03-01' },
      { name: 'at risk', health: 'at_risk', nextDeadline: '2026-09-01' },
      { name: 'b same', health: 'at_risk', nextDeadline: '2026-02-01' },
      { name: 'a same', health: 'at_risk', nextDeadline: '2026-02-01' },
    ];
    expect([...rows].sort(compareUrgency).map((r) => r.name)).toEqual([
      'disconnected',
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
  it('an expired channel without a backup: critical, its most urgent finding first', () => {
    const c = makeConnection({ id: 8, name: 'Acme', connectedAt: '2025-01-01', ownerLastActiveAt: '2026-01-20', backups: [] });
    const other = evaluate(makeConnection({ id: 99, connectedAt: '2020-01-01', status: 'disconnected' }), '2026-02-01');
    const summary = summarizeConnection(c, [...evaluate(c, '2026-02-01'), ...other]);
    expect(summary).toMatchObject({ connectionId: 8, name: 'Acme', network: 'linkedin', health: 'critical', nextDeadline: '2025-05-01' }); // the refresh has been overdue since then
    expect(summary.findings.map((f) => `${f.kind}:${f.stage}`)).toEqual(['expiry:expired', 'refresh_due:overdue', 'no_backup:none']);
    expect(summary.nextStep).toBe(summary.findings[0]?.advice);
  });

  it('a healthy channel: ok, no deadline, nothing to do', () => {
    const c = makeConnection({ connectedAt: '2026-01-01' });
    expect(summarizeConnection(c, evaluate(c, '2026-01-05'))).toMatchObject({ health: 'ok', nextDeadline: null, findings: [], nextStep: null });
  });
});
