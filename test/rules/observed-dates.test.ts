/**
 * What a network said of a token (docs/sources.md, "Dates"): an introspected end replaces the
 * predicted one in the findings, the deadlines and the words; Meta's data access deadline is a
 * deadline of its own; a refresh recorded after the token was described stops it applying.
 */
import type { ObservedToken } from '../../src/domain';
import { channelDates, upcomingDeadlines } from '../../src/rules/deadlines';
import { resolvePolicy } from '../../src/rules/policy';
import { evaluate, makeConnection, oneOf } from './factories';

// Connected 2025-07-31: predicted end 2026-07-31 (365 days).
const said = (over: Partial<ObservedToken> = {}): ObservedToken => ({
  end: '2026-03-10',
  from: 'linkedin-app',
  on: '2026-01-05',
  dataAccessEnd: null,
  ...over,
});

describe('an introspected end', () => {
  it('replaces the predicted end: the ladder counts to the day LinkedIn said, and the words say who said it', () => {
    const c = makeConnection({ id: 3, observed: said() });
    // 2026-03-03 is 7 days before the said end (the predicted end is months away).
    const found = oneOf(evaluate(c, '2026-03-03'), 'expiry');
    expect(found).toMatchObject({ stage: '7d', severity: 'at_risk', dueAt: '2026-03-10', cycle: '2025-07-31' });
    expect(found?.message).toBe('LinkedIn “Acme”: token expires in 7 days, on 2026-03-10 (said by LinkedIn on 2026-01-05).');
    expect(found?.advice).toContain('“Set introspection token”');
    // Past the said end: expired, one reminder a day, although the prediction gives months.
    expect(oneOf(evaluate(c, '2026-03-12'), 'expiry')).toMatchObject({
      stage: 'expired',
      severity: 'critical',
      dedupKey: '3:expiry:expired:2025-07-31:2026-03-12',
    });
  });

  it('a later end than predicted silences the predicted ladder', () => {
    const c = makeConnection({ observed: said({ end: '2027-01-03' }) });
    // 2026-07-30 is one day before the predicted end: nothing, LinkedIn said January.
    expect(oneOf(evaluate(c, '2026-07-30'), 'expiry')).toBeNull();
    expect(channelDates(c, '2026-07-30', resolvePolicy('linkedin')).tokenEndsOn).toBe('2027-01-03');
    // The calendar's event says who said the date; a predicted one, what it is predicted from.
    const [event] = upcomingDeadlines([c], { today: '2026-07-30', policyFor: () => resolvePolicy('linkedin') }).filter((d) => d.kind === 'expiry');
    expect(event).toMatchObject({ date: '2027-01-03' });
    expect(event!.description).toContain('ends on 2027-01-03 (said by LinkedIn on 2026-01-05)');
    const [predicted] = upcomingDeadlines([makeConnection()], { today: '2026-07-30', policyFor: () => resolvePolicy('linkedin') }).filter(
      (d) => d.kind === 'expiry',
    );
    expect(predicted!.description).toContain('ends on 2026-07-31 (predicted from the connection on 2025-07-31)');
  });

  it('a predicted end says what it is predicted from', () => {
    expect(oneOf(evaluate(makeConnection(), '2026-07-24'), 'expiry')?.message).toBe(
      'LinkedIn “Acme”: token expires in 7 days, on 2026-07-31 (predicted from the connection on 2025-07-31).',
    );
    const refreshed = makeConnection({ connectedAt: '2025-01-02', lastRefreshedAt: '2025-07-31' });
    expect(oneOf(evaluate(refreshed, '2026-07-24'), 'expiry')?.message).toContain('(predicted from the refresh on 2025-07-31)');
  });

  it("Meta's `never`: no expiry at all, on a network whose tokens are predicted to last 60 days", () => {
    const page = makeConnection({
      network: 'facebook',
      kind: 'page',
      connectedAt: '2026-01-01',
      observed: said({ end: 'never', from: 'meta-app', on: '2026-01-02' }),
    });
    expect(oneOf(evaluate(page, '2026-02-27'), 'expiry')).toBeNull();
    expect(channelDates(page, '2026-02-27', resolvePolicy('facebook')).tokenEndsOn).toBeNull();
    // Without what Meta said, the prediction warns on the same day.
    expect(oneOf(evaluate({ ...page, observed: null }, '2026-02-27'), 'expiry')).not.toBeNull();
  });

  it('stops applying once a refresh is recorded after the token was described: the prediction from the refresh counts again', () => {
    const c = makeConnection({ lastRefreshedAt: '2026-02-01', observed: said() });
    expect(oneOf(evaluate(c, '2026-03-09'), 'expiry')).toBeNull();
    expect(channelDates(c, '2026-03-09', resolvePolicy('linkedin')).tokenEndsOn).toBe('2027-02-01');
    // A refresh on the day the token was described still counts it (the same day's re-authorisation).
    const sameDay = makeConnection({ lastRefreshedAt: '2026-01-05', observed: said() });
    expect(oneOf(evaluate(sameDay, '2026-03-09'), 'expiry')).toMatchObject({ stage: '1d', dueAt: '2026-03-10' });
  });

  it('a disconnected, retired or archived channel gives no expiry from what was said', () => {
    for (const over of [{ status: 'disconnected' as const }, { retiredAt: new Date() }, { archivedAt: new Date() }]) {
      expect(oneOf(evaluate(makeConnection({ observed: said(), ...over }), '2026-03-09'), 'expiry')).toBeNull();
    }
  });
});

describe("Meta's data access deadline", () => {
  const page = makeConnection({
    id: 9,
    network: 'facebook',
    kind: 'page',
    connectedAt: '2026-06-01',
    observed: said({ end: 'never', from: 'meta-app', on: '2026-06-01', dataAccessEnd: '2026-08-30' }),
  });

  it.each([
    ['2026-08-15', null, null],
    ['2026-08-16', '14d', 'attention'],
    ['2026-08-23', '7d', 'at_risk'],
    ['2026-08-29', '1d', 'critical'],
    ['2026-08-30', 'expired', 'critical'],
  ])('on %s → %p / %p (the network’s ladder)', (today, stage, severity) => {
    const found = oneOf(evaluate(page, today), 'data_access');
    if (stage === null) expect(found).toBeNull();
    else expect(found).toMatchObject({ stage, severity, dueAt: '2026-08-30', cycle: '2026-08-30' });
  });

  it('words it as data access, said by Meta, and asks the owner to log in through the app', () => {
    const found = oneOf(evaluate(page, '2026-08-23'), 'data_access');
    expect(found?.message).toBe(
      'Facebook “Acme”: data access ends in 7 days, on 2026-08-30 (said by Meta on 2026-06-01); after it the app can no longer read the Facebook account.',
    );
    expect(found?.advice).toContain('“Mark refreshed”');
  });

  it('a moved deadline (the owner logged in again) starts a new series: its cycle is the deadline', () => {
    const moved = { ...page, observed: { ...page.observed!, dataAccessEnd: '2026-11-28' } };
    expect(oneOf(evaluate(moved, '2026-11-21'), 'data_access')?.dedupKey).toBe('9:data_access:7d:2026-11-28');
    expect(oneOf(evaluate(page, '2026-08-23'), 'data_access')?.dedupKey).toBe('9:data_access:7d:2026-08-30');
  });

  it('is a deadline in the calendar and the next date of the channel', () => {
    const deadlines = upcomingDeadlines([page], { today: '2026-07-01', policyFor: (c) => resolvePolicy(c.network) });
    expect(deadlines).toEqual([
      expect.objectContaining({ connectionId: 9, kind: 'data_access', date: '2026-08-30', title: 'Facebook “Acme”: data access ends' }),
    ]);
    expect(channelDates(page, '2026-07-01', resolvePolicy('facebook')).next).toEqual({ kind: 'data_access', date: '2026-08-30' });
  });
});
