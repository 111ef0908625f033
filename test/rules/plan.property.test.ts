/**
 * Properties of evaluate + plan over generated connections and days. Dates are offsets from a fixed
 * base, so every run is deterministic for a given seed and nothing reads the clock.
 */
import fc from 'fast-check';
import { NETWORKS, WARNING_STATES, type Connection, type WarningState } from '../../src/domain';
import { addDays } from '../../src/rules/calendar';
import { evaluateAll, evaluateConnection, validateConnectionDates } from '../../src/rules/evaluate';
import { planWarnings, type ExistingWarning, type WarningPlan } from '../../src/rules/plan';
import { resolvePolicy } from '../../src/rules/policy';
import type { Finding } from '../../src/rules/finding';
import { makeConnection } from './factories';

const BASE = '2023-01-01';
const NOW = new Date('2026-06-15T09:00:00Z');
const day = (offset: number) => addDays(BASE, offset);
const tristate = fc.constantFrom(true, false, null);

interface Scenario {
  connection: Connection;
  ownerGone: boolean;
  /** Day offset of the token cycle start (last refresh, or connection). */
  cycleStart: number;
  /** Day offset of "today"; every date of the connection is on or before it. */
  today: number;
}

/** A connected channel on any network with any mix of dates, backups, owner and attestations. */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    id: fc.integer({ min: 1, max: 50 }),
    network: fc.constantFrom(...NETWORKS),
    connected: fc.integer({ min: 0, max: 800 }),
    refreshGap: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    activityGap: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
    ahead: fc.integer({ min: 0, max: 500 }),
    hasBackup: fc.boolean(),
    hasOwner: fc.boolean(),
    ownerGone: fc.boolean(),
    security: fc.record({ sharedLogin: tristate, twoFactor: tristate, ownerSuperAdmin: tristate, permissionsGranted: tristate }),
  })
  .map((g) => {
    const refreshed = g.refreshGap === null ? null : g.connected + g.refreshGap;
    const active = g.activityGap === null ? null : g.activityGap;
    const latest = Math.max(g.connected, refreshed ?? 0, active ?? 0);
    const connection = makeConnection({
      id: g.id,
      network: g.network,
      connectedAt: day(g.connected),
      lastRefreshedAt: refreshed === null ? null : day(refreshed),
      ownerLastActiveAt: active === null ? null : day(active),
      ownerId: g.hasOwner ? 'U_OWNER' : null,
      security: g.security,
      ...(g.hasBackup ? {} : { backups: [] }),
    });
    return { connection, ownerGone: g.ownerGone, cycleStart: refreshed ?? g.connected, today: latest + g.ahead };
  });

function findingsOf(s: Scenario, today = s.today): Finding[] {
  return evaluateConnection(s.connection, { today: day(today), policy: resolvePolicy(s.connection.network), ownerGone: s.ownerGone });
}

/** Stored rows for findings, in states and snoozes chosen by the test. */
function rowsFor(findings: readonly Finding[], states: readonly WarningState[], firstId: number): ExistingWarning[] {
  return findings.map((f, i) => ({
    id: firstId + i,
    connectionId: f.connectionId,
    kind: f.kind,
    cycle: f.cycle,
    dedupKey: f.dedupKey,
    state: states[i % states.length] ?? 'pending',
    snoozedUntil: new Date(NOW.getTime() + ((i % 3) - 1) * 86_400_000), // before, at or after now
  }));
}

/** What the job does with a plan: create rows, reopen (pending), resolve. */
function apply(existing: readonly ExistingWarning[], plan: WarningPlan, firstId: number): ExistingWarning[] {
  const state = (row: ExistingWarning): WarningState => (plan.resolve.includes(row.id) ? 'resolved' : plan.reopen.includes(row.id) ? 'pending' : row.state);
  const created = plan.create.map((w, i) => ({ ...w, id: firstId + i, state: 'pending' as const, snoozedUntil: null }));
  return [...existing.map((row) => ({ ...row, state: state(row) })), ...created];
}

const states = fc.array(fc.constantFrom(...WARNING_STATES), { minLength: 1, maxLength: 6 });

describe('planWarnings properties', () => {
  it('a refresh resolves every open warning of the old cycle and creates none for it', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 60 }), states, (s, refreshStep, later, rowStates) => {
        const oldStart = day(s.cycleStart);
        const existing = rowsFor(findingsOf(s), rowStates, 1);
        // The refresh lands after the old cycle start and on or before the (possibly later) day of the check.
        const today = s.today + later;
        fc.pre(today > s.cycleStart);
        const refreshed = day(s.cycleStart + Math.min(refreshStep, today - s.cycleStart));
        const after: Scenario = { ...s, connection: { ...s.connection, lastRefreshedAt: refreshed } };
        const plan = planWarnings({ workspaceId: 'T1', findings: findingsOf(after, today), existing, now: NOW });

        const oldCycleOpen = existing.filter((row) => row.cycle === oldStart && row.state !== 'resolved').map((row) => row.id);
        expect(plan.resolve).toEqual(expect.arrayContaining(oldCycleOpen));
        expect(plan.create.filter((w) => w.cycle === oldStart)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('planning again with the first plan applied creates, reopens and resolves nothing', () => {
    fc.assert(
      fc.property(fc.array(scenario, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 400 }), states, (scenarios, earlier, rowStates) => {
        const unique = [...new Map(scenarios.map((s) => [s.connection.id, s])).values()];
        const today = Math.max(...unique.map((s) => s.today));
        // Rows left from an earlier day, then today's run, then the same run again.
        const existing = rowsFor(
          unique.flatMap((s) => findingsOf(s, Math.max(today - earlier, s.today))),
          rowStates,
          1,
        );
        const findings = unique.flatMap((s) => findingsOf(s, today));
        const first = planWarnings({ workspaceId: 'T1', findings, existing, now: NOW });
        const stored = apply(existing, first, 10_000);
        const second = planWarnings({ workspaceId: 'T1', findings, existing: stored, now: NOW });

        expect(second.create).toEqual([]);
        expect(second.reopen).toEqual([]);
        expect(second.resolve).toEqual([]);
        // And what stays unresolved is exactly what holds today.
        const active = stored.filter((row) => row.state !== 'resolved').map((row) => row.dedupKey);
        expect(new Set(active)).toEqual(new Set(findings.map((f) => f.dedupKey)));
      }),
      { numRuns: 300 },
    );
  });

  it('each stored row lands in at most one list', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 400 }), states, (s, later, rowStates) => {
        const existing = rowsFor(findingsOf(s), rowStates, 1);
        const plan = planWarnings({ workspaceId: 'T1', findings: findingsOf(s, s.today + later), existing, now: NOW });
        const ids = [...plan.reopen, ...plan.resolve, ...plan.open];
        expect(new Set(ids).size).toBe(ids.length);
      }),
    );
  });
});

describe('evaluation properties', () => {
  it('never throws on arbitrary date strings, and reports exactly the connections it skips', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('2026-02-30', '2026-13-01', '9999-12-31', '2026-06-15', '2020-01-01'));
    const today = '2026-06-15';
    fc.assert(
      fc.property(text, fc.option(text, { nil: null }), fc.option(text, { nil: null }), (connectedAt, lastRefreshedAt, ownerLastActiveAt) => {
        const c = makeConnection({ connectedAt, lastRefreshedAt, ownerLastActiveAt, backups: [] });
        const reasons = validateConnectionDates(c, today);
        const result = evaluateAll([c], { today, policyFor: (n) => resolvePolicy(n), isOwnerGone: () => false });
        if (reasons.length > 0) {
          expect(result).toEqual({ findings: [], problems: [{ connectionId: c.id, name: c.name, reasons }] });
        } else {
          // Valid data always has a finding here: the connection has no backup.
          expect(result.problems).toEqual([]);
          expect(result.findings.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('a connected channel shows at most one stage per kind (security aside) and never a disconnected finding', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const kinds = findingsOf(s)
          .filter((f) => f.kind !== 'security')
          .map((f) => f.kind);
        expect(new Set(kinds).size).toBe(kinds.length);
        expect(kinds).not.toContain('disconnected');
      }),
    );
  });
});
