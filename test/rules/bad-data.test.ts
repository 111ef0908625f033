import type { Connection, Network } from '../../src/domain';
import { evaluateAll, evaluateConnection, validateConnectionDates } from '../../src/rules/evaluate';
import { resolvePolicy } from '../../src/rules/policy';
import { LINKEDIN, makeConnection } from './factories';

const today = '2026-06-15';

describe('validateConnectionDates', () => {
  it.each<[string, Partial<Connection>, RegExp[]]>([
    ['valid', { connectedAt: '2026-01-01', lastRefreshedAt: '2026-03-01', ownerLastActiveAt: '2025-12-01' }, []],
    ['connected today', { connectedAt: today }, []],
    [
      'refresh before connection',
      { connectedAt: '2026-01-01', lastRefreshedAt: '2025-12-01' },
      [/lastRefreshedAt 2025-12-01 is before connectedAt 2026-01-01/],
    ],
    ['connected in the future', { connectedAt: '2026-06-16' }, [/connectedAt 2026-06-16 is in the future \(today is 2026-06-15\)/]],
    ['refreshed in the future', { lastRefreshedAt: '2026-07-01' }, [/lastRefreshedAt 2026-07-01 is in the future/]],
    ['active tomorrow', { ownerLastActiveAt: '2026-06-16' }, [/ownerLastActiveAt 2026-06-16 is in the future/]],
    ['disconnected in the future', { disconnectedAt: '2026-06-16' }, [/disconnectedAt 2026-06-16 is in the future/]],
    [
      'unknown network',
      { network: 'myspace' as Network },
      [/unknown network "myspace"; allowed: linkedin, facebook, instagram, x, tiktok, youtube, pinterest, threads/],
    ],
    ['impossible date', { connectedAt: '2026-02-30' }, [/connectedAt "2026-02-30" is not a date \(YYYY-MM-DD\)/]],
    ['missing connection date', { connectedAt: null as unknown as string }, [/connectedAt null is not a date/]],
    ['not ISO', { lastRefreshedAt: '03/01/2026' }, [/lastRefreshedAt "03\/01\/2026" is not a date/]],
    ['unknown status', { status: 'paused' as Connection['status'] }, [/unknown status "paused"; allowed: connected, disconnected/]],
    ['several at once', { network: 'myspace' as Network, connectedAt: '2027-01-01' }, [/unknown network/, /connectedAt 2027-01-01 is in the future/]],
  ])('%s', (_name, overrides, reasons) => {
    const found = validateConnectionDates(makeConnection(overrides), today);
    expect(found).toHaveLength(reasons.length);
    reasons.forEach((reason, i) => expect(found[i]).toMatch(reason));
  });
});

describe('bad data never throws', () => {
  it.each<Partial<Connection>>([
    { connectedAt: '2026-02-30' },
    { connectedAt: null as unknown as string },
    { network: 'myspace' as Network },
    { lastRefreshedAt: 'yesterday' },
    { connectedAt: '2026-07-01' },
  ])('evaluateConnection(%p) returns no findings', (overrides) => {
    expect(evaluateConnection(makeConnection(overrides), { today, policy: LINKEDIN, ownerGone: false })).toEqual([]);
  });

  it('evaluateAll skips bad connections with their reasons and evaluates the rest', () => {
    const connections = [
      makeConnection({ id: 1, name: 'Good', connectedAt: '2025-06-20', backups: [] }),
      makeConnection({ id: 2, name: 'Odd network', network: 'myspace' as Network }),
      makeConnection({ id: 3, name: 'Time traveller', connectedAt: '2026-01-01', lastRefreshedAt: '2025-01-01' }),
      makeConnection({ id: 4, name: 'Also good', network: 'facebook', connectedAt: '2026-04-30', ownerId: 'U_GONE' }),
    ];
    const policyFor = jest.fn((network: Network) => resolvePolicy(network));
    const result = evaluateAll(connections, { today, policyFor, isOwnerGone: (c) => c.ownerId === 'U_GONE' });

    expect(result.problems).toEqual([
      { connectionId: 2, name: 'Odd network', reasons: [expect.stringContaining('unknown network "myspace"')] },
      { connectionId: 3, name: 'Time traveller', reasons: ['lastRefreshedAt 2025-01-01 is before connectedAt 2026-01-01'] },
    ]);
    expect(result.findings.map((f) => `${f.connectionId}:${f.kind}:${f.stage}`)).toEqual([
      '1:expiry:7d',
      '1:inactivity:critical',
      '1:refresh_due:overdue',
      '1:no_backup:none',
      '4:expiry:14d',
      '4:owner_gone:gone',
    ]);
    // The policy is only asked for known networks.
    expect(policyFor.mock.calls.map(([network]) => network)).toEqual(['linkedin', 'facebook']);
  });
});
