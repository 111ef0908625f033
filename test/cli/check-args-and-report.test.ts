import { formatSummary, instantFor, parseAsOf, toJsonLine } from '../../src/cli/check';
import { ValidationError } from '../../src/errors';
import type { CheckSummary, PlannedWarning } from '../../src/runs/check-run';

const berlin = { timeZone: 'Europe/Berlin', checkTime: '09:30' };
const auckland = { timeZone: 'Pacific/Auckland', checkTime: '07:00' };

describe('check --at', () => {
  it("places a date at each workspace's check time, in its own zone", () => {
    const asOf = parseAsOf('2026-11-28');
    expect(instantFor(asOf, berlin).toISOString()).toBe('2026-11-28T08:30:00.000Z');
    expect(instantFor(asOf, auckland).toISOString()).toBe('2026-11-27T18:00:00.000Z');
  });

  it("reads a date-time without offset as wall-clock time in the workspace's zone", () => {
    expect(instantFor(parseAsOf('2026-07-01T12:00'), berlin).toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(instantFor(parseAsOf('2026-07-01T12:00:30'), { timeZone: 'UTC', checkTime: '09:00' }).toISOString()).toBe('2026-07-01T12:00:30.000Z');
  });

  it('takes a date-time with Z or an offset as that instant, whatever the zone', () => {
    expect(instantFor(parseAsOf('2026-11-28T23:30:00Z'), berlin).toISOString()).toBe('2026-11-28T23:30:00.000Z');
    expect(instantFor(parseAsOf('2026-11-28T10:00+02:00'), auckland).toISOString()).toBe('2026-11-28T08:00:00.000Z');
  });

  it.each(['2026-02-30', '2026-13-01', 'tomorrow', '28/11/2026', '2026-11-28T25:00', '2026-11-28 10:00', ''])(
    'refuses %j, naming it and the format',
    (text) => {
      expect(() => parseAsOf(text)).toThrow(ValidationError);
      expect(() => parseAsOf(text)).toThrow(`--at "${text}" is not an ISO date or date-time; use YYYY-MM-DD`);
    },
  );
});

const warning: PlannedWarning = {
  workspace: 'T1',
  connectionId: 7,
  connection: 'Acme',
  network: 'linkedin',
  kind: 'expiry',
  stage: '3d',
  severity: 'at_risk',
  dueAt: '2026-12-01',
  message: 'LinkedIn “Acme”: token expires in 3 days, on 2026-12-01.',
  advice: 'Refresh it.',
  reopened: false,
};

describe('check output', () => {
  it('prints JSON lines with exactly the contract keys, in order', () => {
    expect(toJsonLine(warning)).toBe(
      '{"workspace":"T1","connectionId":7,"connection":"Acme","network":"linkedin","kind":"expiry","stage":"3d","severity":"at_risk","dueAt":"2026-12-01"}',
    );
  });

  it('prints a report a person can read: counts, worst first, advice, data problems', () => {
    const summary: CheckSummary = {
      workspaceId: 'T1',
      today: '2026-11-28',
      timeZone: 'Europe/Berlin',
      now: new Date('2026-11-28T08:30:00Z'),
      dryRun: true,
      counts: { connections: 3, findings: 2, created: 2, reopened: 0, resolved: 1, stillOpen: 0, heldBack: 1, reclaimed: 0 },
      warnings: [
        warning,
        { ...warning, connectionId: 8, connection: 'Beta', kind: 'owner_gone', stage: 'gone', severity: 'critical', message: 'Beta has no owner.' },
      ],
      problems: [{ connectionId: 9, name: 'Gamma', reasons: ['connectedAt 2027-01-01 is in the future (today is 2026-11-28)'] }],
      outageNetworks: ['linkedin'],
      delivery: null,
    };
    const text = formatSummary(summary, 'Acme Inc');
    expect(text).toContain('Workspace Acme Inc (T1): check as of 2026-11-28 (Europe/Berlin) — dry run');
    expect(text).toContain('3 channels, 2 findings: 2 new, 0 reopened, 1 resolved, 0 still open, 1 held back by an outage (LinkedIn)');
    expect(text.indexOf('Beta has no owner.')).toBeLessThan(text.indexOf('token expires in 3 days'));
    expect(text).toContain('What to do: Refresh it.');
    // Words, not ids: the network's name, no kind or stage id (those are in --json).
    expect(text).toContain('Acme (LinkedIn, due 2026-12-01)');
    expect(text).not.toMatch(/linkedin|owner_gone|at_risk|\b3d\b/);
    expect(text).toContain('- Gamma (id 9): connectedAt 2027-01-01 is in the future');
    expect(text).not.toContain('Delivery:');
  });
});
