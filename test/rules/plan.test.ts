import type { FindingKind, WarningState } from '../../src/domain';
import { dedupKeyOf, type Finding } from '../../src/rules/finding';
import { planWarnings, type ExistingWarning } from '../../src/rules/plan';
import { evaluate, makeConnection } from './factories';

const now = new Date('2026-06-15T09:00:00Z');

function finding(connectionId: number, kind: FindingKind, stage: string, cycle = '2026-01-01', day?: string): Finding {
  return {
    connectionId,
    kind,
    stage,
    severity: 'attention',
    dueAt: '2026-07-01',
    cycle,
    dedupKey: dedupKeyOf(connectionId, kind, stage, cycle, day),
    message: 'm',
    advice: 'a',
  };
}

function row(id: number, f: Finding, state: WarningState = 'posted', snoozedUntil: Date | null = null): ExistingWarning {
  return { id, connectionId: f.connectionId, kind: f.kind, cycle: f.cycle, dedupKey: f.dedupKey, state, snoozedUntil };
}

const plan = (findings: Finding[], existing: ExistingWarning[], skipConnectionIds?: number[]) =>
  planWarnings({ workspaceId: 'T1', findings, existing, now, skipConnectionIds });

describe('planWarnings', () => {
  it('creates a warning for each new finding, sorted by connection, kind and stage', () => {
    const findings = [
      finding(2, 'no_backup', 'none'),
      finding(1, 'security', 'no_2fa'),
      finding(1, 'expiry', '30d'),
      finding(1, 'security', 'missing_permissions'),
    ];
    const result = plan(findings, []);
    expect(result.create.map((w) => w.dedupKey)).toEqual([
      '1:expiry:30d:2026-01-01',
      '1:security:missing_permissions:2026-01-01',
      '1:security:no_2fa:2026-01-01',
      '2:no_backup:none:2026-01-01',
    ]);
    expect(result.create[0]).toEqual({
      workspaceId: 'T1',
      connectionId: 1,
      kind: 'expiry',
      stage: '30d',
      severity: 'attention',
      cycle: '2026-01-01',
      dedupKey: '1:expiry:30d:2026-01-01',
      dueAt: '2026-07-01',
    });
    expect(result).toMatchObject({ reopen: [], resolve: [], open: [] });
  });

  describe('a stored row whose finding still holds', () => {
    const f = finding(1, 'expiry', '14d');
    it.each<[WarningState, Date | null, 'open' | 'reopen']>([
      ['pending', null, 'open'],
      ['sending', null, 'open'],
      ['posted', null, 'open'],
      ['failed', null, 'open'],
      ['resolved', null, 'reopen'],
      ['snoozed', new Date('2026-06-16T00:00:00Z'), 'open'], // snooze still running
      ['snoozed', new Date('2026-06-15T09:00:00Z'), 'reopen'], // snooze ends exactly now
      ['snoozed', new Date('2026-06-01T00:00:00Z'), 'reopen'],
      ['snoozed', null, 'reopen'], // a snooze without an end never silences for ever
    ])('%s (snoozed until %p) → %s, nothing created', (state, until, list) => {
      const result = plan([f], [row(10, f, state, until)]);
      expect(result).toEqual({ create: [], reopen: list === 'reopen' ? [10] : [], resolve: [], open: list === 'open' ? [10] : [] });
    });
  });

  describe('a stored row whose finding no longer holds', () => {
    const gone = finding(1, 'expiry', '30d');
    it.each<[WarningState, number[]]>([
      ['pending', [10]],
      ['sending', [10]],
      ['posted', [10]],
      ['failed', [10]],
      ['snoozed', [10]],
      ['resolved', []],
    ])('%s → resolve %p', (state, resolve) => {
      expect(plan([], [row(10, gone, state, new Date('2026-07-01T00:00:00Z'))])).toEqual({ create: [], reopen: [], resolve, open: [] });
    });
  });

  it('a new stage replaces the previous one: 30d resolves, 14d is created', () => {
    const result = plan([finding(1, 'expiry', '14d')], [row(10, finding(1, 'expiry', '30d'))]);
    expect(result.resolve).toEqual([10]);
    expect(result.create.map((w) => w.stage)).toEqual(['14d']);
  });

  it('daily expired reminders: yesterday’s row resolves once today’s exists, today’s stays open', () => {
    const yesterday = finding(1, 'expiry', 'expired', '2025-06-14', '2026-06-14');
    const today = finding(1, 'expiry', 'expired', '2025-06-14', '2026-06-15');
    const first = plan([today], [row(10, yesterday)]);
    expect(first).toMatchObject({ resolve: [10], open: [] });
    expect(first.create.map((w) => w.dedupKey)).toEqual(['1:expiry:expired:2025-06-14:2026-06-15']);
    const again = plan([today], [row(10, yesterday, 'resolved'), row(11, today, 'pending')]);
    expect(again).toEqual({ create: [], reopen: [], resolve: [], open: [11] });
  });

  it('a refresh resolves every row of the old cycle and creates the new cycle’s', () => {
    const before = makeConnection({ connectedAt: '2025-06-01', backups: [] });
    const old = evaluate(before, '2026-05-20');
    const existing = old.map((f, i) => row(100 + i, f));
    const after = evaluate({ ...before, lastRefreshedAt: '2026-05-20' }, '2026-05-20');
    const result = plan(after, existing);
    expect(result.resolve).toEqual(existing.map((r) => r.id));
    expect(result.create.map((w) => w.dedupKey)).toEqual(['1:no_backup:none:2026-05-20']);
  });

  it('rows of connections that could not be evaluated are left alone', () => {
    const result = plan([], [row(10, finding(1, 'expiry', '30d')), row(20, finding(2, 'expiry', '30d'))], [2]);
    expect(result.resolve).toEqual([10]);
  });

  it('is deterministic whatever the input order', () => {
    const findings = [finding(3, 'expiry', '7d'), finding(1, 'no_backup', 'none'), finding(2, 'owner_gone', 'gone'), finding(1, 'expiry', '1d')];
    const existing = [
      row(5, finding(2, 'owner_gone', 'gone')),
      row(4, finding(1, 'expiry', '3d')),
      row(3, finding(3, 'expiry', '7d'), 'resolved'),
      row(2, finding(1, 'security', 'no_2fa')),
    ];
    const forward = plan(findings, existing);
    expect(plan([...findings].reverse(), [...existing].reverse())).toEqual(forward);
    expect(forward).toEqual({
      create: [expect.objectContaining({ dedupKey: '1:expiry:1d:2026-01-01' }), expect.objectContaining({ dedupKey: '1:no_backup:none:2026-01-01' })],
      reopen: [3],
      resolve: [4, 2],
      open: [5],
    });
  });

  it('the same finding twice is created once', () => {
    const f = finding(1, 'expiry', '7d');
    expect(plan([f, { ...f }], []).create).toHaveLength(1);
  });
});
