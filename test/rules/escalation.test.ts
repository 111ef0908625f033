/** The escalation rule (src/rules/escalation): which step is due when, and the ladder settings. */
import {
  DEFAULT_ESCALATION,
  decideEscalation,
  formatEscalationLadder,
  ladderFor,
  parseEscalationLadder,
  validateEscalationSettings,
  type EscalationRow,
} from '../../src/rules/escalation';

const POSTED = new Date('2026-11-28T09:00:00Z');
const hours = (n: number) => new Date(POSTED.getTime() + n * 3_600_000);

function row(overrides: Partial<EscalationRow> = {}): EscalationRow {
  return {
    severity: 'critical',
    state: 'posted',
    postedAt: POSTED,
    escalationStep: 0,
    escalatedAt: null,
    acknowledgedAt: null,
    escalationEnded: null,
    ...overrides,
  };
}

describe('decideEscalation', () => {
  it('climbs the default critical ladder one step at a time, each its delay after the one before', () => {
    let current = row();
    const taken: string[] = [];
    // Every quarter of an hour for two days, as a worker would look.
    for (let t = 0; t <= 48 * 4; t++) {
      const now = hours(t / 4);
      const decision = decideEscalation(current, {}, now, null);
      if (decision.kind !== 'step') continue;
      taken.push(`${decision.rung.to}@${(now.getTime() - POSTED.getTime()) / 3_600_000}h`);
      current = { ...current, escalationStep: decision.index + 1, escalatedAt: now, escalationEnded: decision.nextAt ? null : 'top' };
    }
    expect(taken).toEqual(['owner@4h', 'backups@8h', 'leaders@16h', 'channel@28h']);
    expect(decideEscalation(current, {}, hours(100), null)).toEqual({ kind: 'end', reason: 'top' });
  });

  it('waits until the step is due, and says when', () => {
    expect(decideEscalation(row(), {}, hours(3.9), null)).toEqual({ kind: 'wait', until: hours(4) });
    expect(decideEscalation(row({ escalationStep: 1, escalatedAt: hours(5) }), {}, hours(6), null)).toEqual({ kind: 'wait', until: hours(9) });
  });

  it('takes only the next step after a long pause (a worker down for a day skips nothing)', () => {
    const decision = decideEscalation(row(), {}, hours(30), null);
    expect(decision).toEqual({ kind: 'step', index: 0, rung: { to: 'owner', afterHours: 4 }, nextAt: hours(34) });
  });

  it('ends when someone acted on the channel since the warning was posted, or took it', () => {
    expect(decideEscalation(row(), {}, hours(5), hours(1))).toEqual({ kind: 'end', reason: 'acted' });
    // An action before the warning was posted is not an answer to it.
    expect(decideEscalation(row(), {}, hours(5), hours(-1))).toMatchObject({ kind: 'step', index: 0 });
    expect(decideEscalation(row({ acknowledgedAt: hours(1) }), {}, hours(5), null)).toEqual({ kind: 'end', reason: 'acknowledged' });
  });

  it('does nothing for a warning not up, and never climbs below at risk', () => {
    expect(decideEscalation(row({ state: 'snoozed' }), {}, hours(50), null)).toEqual({ kind: 'idle' });
    expect(decideEscalation(row({ state: 'pending', postedAt: null }), {}, hours(50), null)).toEqual({ kind: 'idle' });
    expect(decideEscalation(row({ severity: 'attention' }), {}, hours(50), null)).toEqual({ kind: 'end', reason: 'off' });
  });

  it("follows the workspace's ladder: its own steps and delays, or none", () => {
    const settings = { at_risk: [{ to: 'leaders' as const, afterHours: 2 }] };
    expect(decideEscalation(row({ severity: 'at_risk' }), settings, hours(2), null)).toEqual({
      kind: 'step',
      index: 0,
      rung: { to: 'leaders', afterHours: 2 },
      nextAt: null,
    });
    expect(decideEscalation(row(), { critical: [] }, hours(50), null)).toEqual({ kind: 'end', reason: 'off' });
    expect(ladderFor({}, 'at_risk')).toEqual(DEFAULT_ESCALATION.at_risk);
  });
});

describe('escalation settings', () => {
  it('reads and writes a ladder as text', () => {
    const parsed = parseEscalationLadder('owner 2h, Leaders 1d,channel 36h');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { to: 'owner', afterHours: 2 },
        { to: 'leaders', afterHours: 24 },
        { to: 'channel', afterHours: 36 },
      ],
    });
    expect(formatEscalationLadder(parsed.ok ? parsed.value : [])).toBe('owner 2h, leaders 1d, channel 36h');
    expect(parseEscalationLadder('off')).toEqual({ ok: true, value: [] });
    expect(formatEscalationLadder(DEFAULT_ESCALATION.at_risk)).toBe('owner 1d, backups 1d, leaders 2d, channel 3d');
  });

  it.each([
    ['owner', /is not a step/],
    ['owner 4x', /is not a step/],
    ['backups 1h, owner 2h', /in this order/],
    ['owner 1h, owner 2h', /in this order/],
    ['owner 0h', /from 1 to 720/],
    ['owner 31d', /from 1 to 720/],
  ])('refuses %p', (text, message) => {
    const parsed = parseEscalationLadder(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]!.message).toMatch(message);
  });

  it('validates stored settings field by field', () => {
    expect(validateEscalationSettings({ critical: [{ to: 'owner', afterHours: 1 }], here: true })).toEqual({
      ok: true,
      value: { critical: [{ to: 'owner', afterHours: 1 }], here: true },
    });
    const bad = validateEscalationSettings({ critical: [{ to: 'boss', afterHours: 1 }], here: 'yes', weekly: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['escalation.critical', 'escalation.here', 'escalation.weekly']);
  });
});
