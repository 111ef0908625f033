/** Per-tool rules: the policy each tool's documentation sets, the advice naming its place, retired channels. */
import { DEFAULT_POLICIES, resolvePolicy, TOOL_POLICIES } from '../../src/rules/policy';
import { DO_NOT_REMOVE } from '../../src/rules/advice';
import { upcomingDeadlines } from '../../src/rules/deadlines';
import { NETWORKS, TOOLS, type Network, type Tool } from '../../src/domain';
import { evaluate, makeConnection, ofKind } from './factories';

describe('policy per tool', () => {
  it.each<[Tool, Network, number | null]>([
    // Agorapulse's token table: Facebook and Instagram 3 months, YouTube 30 days.
    ['agorapulse', 'facebook', 90],
    ['agorapulse', 'instagram', 90],
    ['agorapulse', 'youtube', 30],
    // Documented as the network default: unchanged.
    ['agorapulse', 'linkedin', 365],
    ['agorapulse', 'threads', 60],
    ['agorapulse', 'x', null],
    // Not confirmed from the tool's own pages: the network default stays.
    ['sprout_social', 'linkedin', 365],
    ['hootsuite', 'facebook', 60],
  ])('%s on %s: lifespan %s', (tool, network, lifespan) => {
    expect(resolvePolicy(network, {}, tool).lifespanDays).toBe(lifespan);
  });

  it('a tool without documented numbers, and no tool, give the network default', () => {
    for (const network of NETWORKS) {
      expect(resolvePolicy(network, {}, null)).toEqual(DEFAULT_POLICIES[network]);
      expect(resolvePolicy(network, {}, 'buffer')).toEqual(DEFAULT_POLICIES[network]);
    }
  });

  it('every tool number stays overridable per workspace: all and the network override win', () => {
    expect(resolvePolicy('facebook', { all: { lifespanDays: 45 } }, 'agorapulse').lifespanDays).toBe(45);
    expect(
      resolvePolicy('youtube', { networks: { youtube: { lifespanDays: 40, refreshRecommendedDays: 20, refreshOverdueDays: 30 } } }, 'agorapulse'),
    ).toMatchObject({
      lifespanDays: 40,
      refreshRecommendedDays: 20,
    });
  });

  it('every documented tool number keeps the ladder below the lifespan', () => {
    for (const tool of TOOLS) {
      for (const network of NETWORKS) {
        const policy = resolvePolicy(network, {}, tool);
        if (TOOL_POLICIES[tool]?.[network] && policy.lifespanDays !== null) expect(Math.max(...policy.expiryLadder)).toBeLessThan(policy.lifespanDays);
      }
    }
  });

  it('an Agorapulse Facebook page connected 80 days ago is 10 days from expiry; the same page with no tool has expired', () => {
    const page = makeConnection({ network: 'facebook', kind: 'page', connectedAt: '2026-03-27' });
    const today = '2026-06-15';
    const agorapulse = ofKind(evaluate({ ...page, tool: 'agorapulse' }, today, resolvePolicy('facebook', {}, 'agorapulse')), 'expiry');
    expect(agorapulse.map((f) => [f.stage, f.dueAt])).toEqual([['14d', '2026-06-25']]);
    const none = ofKind(evaluate(page, today), 'expiry');
    expect(none.map((f) => f.stage)).toEqual(['expired']);
  });
});

describe('advice per tool', () => {
  const today = '2026-06-15';
  const expired = (tool: Tool | null) => ofKind(evaluate(makeConnection({ connectedAt: '2025-06-01', tool }), today), 'expiry')[0]!.advice;
  const disconnected = (tool: Tool | null) =>
    ofKind(evaluate(makeConnection({ tool, status: 'disconnected', disconnectedAt: '2026-06-01' }), today), 'disconnected')[0]!.advice;

  it('names the tool’s own place for reconnecting where its documentation gives one', () => {
    expect(expired('agorapulse')).toContain('reconnect it in Agorapulse, Organization settings → Social profiles & tokens');
    expect(disconnected('socialpilot')).toContain('Reconnect it in SocialPilot, Accounts → Manage Accounts → Reconnect');
    expect(expired('buffer')).toContain('reconnect it in Buffer, logged in to LinkedIn');
  });

  it('warns "reconnect, do not remove" only where the tool documents that removing deletes queued posts', () => {
    expect(disconnected('socialpilot')).toContain(DO_NOT_REMOVE);
    expect(expired('hootsuite')).toContain(DO_NOT_REMOVE);
    expect(disconnected('agorapulse')).not.toContain(DO_NOT_REMOVE);
    expect(expired(null)).not.toContain(DO_NOT_REMOVE);
  });

  it('without a tool (or "other") the texts stay as they were', () => {
    expect(disconnected(null)).toBe(
      'Reconnect it in your social media tool (Settings → Channels → Reconnect) as a Super Admin of the Page, then press “Mark reconnected”. Who: a team leader or an admin.',
    );
    expect(expired('other')).toBe(expired(null));
  });
});

describe('retired channels', () => {
  it('give no findings and no deadlines', () => {
    const retired = makeConnection({ connectedAt: '2025-06-01', backups: [], retiredAt: new Date('2026-06-01T00:00:00Z') });
    expect(evaluate(retired, '2026-06-15')).toEqual([]);
    expect(upcomingDeadlines([retired], { today: '2026-06-15', policyFor: (c) => resolvePolicy(c.network) })).toEqual([]);
  });
});

describe('upcomingDeadlines', () => {
  const policyFor = (x: { network: Network }) => resolvePolicy(x.network);

  it('lists expiry, refresh due and inactivity, sorted by date', () => {
    const c = makeConnection({ connectedAt: '2026-01-10', lastRefreshedAt: '2026-04-01', ownerLastActiveAt: '2026-06-01' });
    const deadlines = upcomingDeadlines([c], { today: '2026-06-15', policyFor });
    expect(deadlines.map((d) => [d.kind, d.date, d.since])).toEqual([
      ['refresh_due', '2026-07-30', '2026-04-01'],
      ['inactivity', '2026-07-31', '2026-06-01'],
      ['expiry', '2027-04-01', '2026-04-01'],
    ]);
  });

  it('leaves out deadlines already past and channels marked disconnected', () => {
    const late = makeConnection({ connectedAt: '2026-01-10', ownerLastActiveAt: '2026-06-01' });
    expect(upcomingDeadlines([late], { today: '2026-06-15', policyFor }).map((d) => d.kind)).toEqual(['inactivity', 'expiry']);
    const gone = makeConnection({ status: 'disconnected', disconnectedAt: '2026-06-01' });
    expect(upcomingDeadlines([gone], { today: '2026-06-15', policyFor })).toEqual([]);
  });
});
