import { NETWORKS, type Network, type NetworkPolicy } from '../../src/domain';
import { DEFAULT_POLICIES, resolvePolicy } from '../../src/rules/policy';
import { parseLadder, validateCheckTime, validatePolicyOverrides, validateTimeZone } from '../../src/rules/policy-validation';

describe('default policies', () => {
  it.each<[Network, number | null, number[], number | null, number | null]>([
    ['linkedin', 365, [30, 14, 7, 3, 1], 45, 90],
    ['facebook', 60, [14, 7, 3, 1], null, null],
    ['instagram', 60, [14, 7, 3, 1], null, null],
    ['threads', 60, [14, 7, 3, 1], null, null],
    ['tiktok', 365, [30, 14, 7, 3, 1], null, 90],
    ['pinterest', 365, [30, 14, 7, 3, 1], null, 90],
    ['x', null, [30, 14, 7, 3, 1], null, 90],
    ['youtube', null, [30, 14, 7, 3, 1], null, 90],
  ])('%s: lifespan %p, ladder %p, inactivity warn %p, refresh at %p', (network, lifespan, ladder, warn, recommended) => {
    expect(DEFAULT_POLICIES[network]).toMatchObject({
      lifespanDays: lifespan,
      expiryLadder: ladder,
      inactivityWarnDays: warn,
      refreshRecommendedDays: recommended,
    });
  });

  it.each(NETWORKS)('%s default passes its own validation', (network) => {
    expect(validatePolicyOverrides({ networks: { [network]: DEFAULT_POLICIES[network] } })).toEqual({
      ok: true,
      value: { networks: { [network]: DEFAULT_POLICIES[network] } },
    });
  });
});

describe('resolvePolicy: network override wins over all, which wins over the default', () => {
  const overrides = {
    all: { lifespanDays: 300, refreshRecommendedDays: 80 },
    networks: { linkedin: { lifespanDays: 200, refreshRecommendedDays: null, inactivityWarnDays: undefined } },
  };

  it.each<[Network, Partial<NetworkPolicy>]>([
    ['linkedin', { lifespanDays: 200, refreshRecommendedDays: null, inactivityWarnDays: 45, refreshOverdueDays: 120 }],
    ['facebook', { lifespanDays: 300, refreshRecommendedDays: 80, inactivityWarnDays: null, refreshOverdueDays: null }],
    ['x', { lifespanDays: 300, refreshRecommendedDays: 80, expiryLadder: [30, 14, 7, 3, 1] }],
  ])('%s', (network, expected) => {
    expect(resolvePolicy(network, overrides)).toMatchObject(expected);
  });

  it('no overrides gives the default', () => {
    expect(resolvePolicy('facebook')).toEqual(DEFAULT_POLICIES.facebook);
  });

  it('returns a copy: editing it leaves the defaults alone', () => {
    resolvePolicy('linkedin').expiryLadder.push(0);
    expect(DEFAULT_POLICIES.linkedin.expiryLadder).toEqual([30, 14, 7, 3, 1]);
  });
});

describe('validatePolicyOverrides refuses, naming the field and what is allowed', () => {
  const ALLOWED_NETWORKS = 'allowed: linkedin, facebook, instagram, x, tiktok, youtube, pinterest, threads';
  const ALLOWED_FIELDS = 'allowed: lifespanDays, expiryLadder, inactivityWarnDays, inactivityCriticalDays, refreshRecommendedDays, refreshOverdueDays';
  it.each<[string, unknown, string, string]>([
    ['unknown network', { networks: { myspace: {} } }, 'networks.myspace', ALLOWED_NETWORKS],
    ['unknown field in all', { all: { lifespan: 3 } }, 'all.lifespan', ALLOWED_FIELDS],
    ['unknown field in a network', { networks: { x: { ladder: [3] } } }, 'networks.x.ladder', ALLOWED_FIELDS],
    ['unknown top-level field', { everything: {} }, 'everything', 'allowed: all, networks'],
    ['negative days', { all: { lifespanDays: -1 } }, 'all.lifespanDays', 'a whole number of days from 1 to 3650, or null'],
    ['zero days', { all: { refreshOverdueDays: 0 } }, 'all.refreshOverdueDays', 'from 1 to 3650'],
    ['fractional days', { networks: { linkedin: { lifespanDays: 365.5 } } }, 'networks.linkedin.lifespanDays', '(got 365.5)'],
    ['days as text', { all: { inactivityWarnDays: '45' } }, 'all.inactivityWarnDays', '(got "45")'],
    ['absurd days', { all: { lifespanDays: 100000 } }, 'all.lifespanDays', 'from 1 to 3650'],
    [
      'ladder ascending',
      { networks: { linkedin: { expiryLadder: [7, 14] } } },
      'networks.linkedin.expiryLadder',
      'strictly descending, e.g. 30,14,7,3,1 (got [7,14])',
    ],
    ['ladder repeated step', { all: { expiryLadder: [30, 30, 7] } }, 'all.expiryLadder', 'strictly descending'],
    ['ladder with zero', { all: { expiryLadder: [3, 0] } }, 'all.expiryLadder', 'from 1 to 3650'],
    ['ladder with negative', { all: { expiryLadder: [3, -1] } }, 'all.expiryLadder', 'from 1 to 3650'],
    ['ladder empty', { all: { expiryLadder: [] } }, 'all.expiryLadder', 'at least one step'],
    ['ladder null', { all: { expiryLadder: null } }, 'all.expiryLadder', 'must be a list of whole numbers'],
    ['ladder as text', { all: { expiryLadder: '30,14' } }, 'all.expiryLadder', 'must be a list of whole numbers'],
    [
      'warn equals critical',
      { networks: { linkedin: { inactivityWarnDays: 60, inactivityCriticalDays: 60 } } },
      'networks.linkedin.inactivityWarnDays',
      'inactivityWarnDays must be less than inactivityCriticalDays; not so for linkedin (60 ≥ 60)',
    ],
    ['warn past the default critical', { networks: { linkedin: { inactivityWarnDays: 70 } } }, 'networks.linkedin.inactivityWarnDays', 'linkedin (70 ≥ 60)'],
    [
      'critical below the default warn',
      { networks: { linkedin: { inactivityCriticalDays: 30 } } },
      'networks.linkedin.inactivityCriticalDays',
      'linkedin (45 ≥ 30)',
    ],
    [
      'recommended after overdue',
      { networks: { x: { refreshRecommendedDays: 120, refreshOverdueDays: 100 } } },
      'networks.x.refreshRecommendedDays',
      'refreshRecommendedDays must be less than refreshOverdueDays; not so for x (120 ≥ 100)',
    ],
    [
      'all: recommended past every default overdue',
      { all: { refreshRecommendedDays: 130 } },
      'all.refreshRecommendedDays',
      'not so for linkedin (130 ≥ 120), x (130 ≥ 120), tiktok (130 ≥ 120), youtube (130 ≥ 120), pinterest (130 ≥ 120)',
    ],
    ['not an object', 'strict', 'policyOverrides', 'optional "all" and "networks"'],
    ['networks not an object', { networks: ['linkedin'] }, 'networks', 'keyed by network: linkedin, facebook'],
    ['all not an object', { all: 5 }, 'all', ALLOWED_FIELDS.replace('allowed: ', 'some of: ')],
  ])('%s', (_name, input, field, message) => {
    const result = validatePolicyOverrides(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
  });

  it('reports every problem at once', () => {
    const result = validatePolicyOverrides({ all: { lifespanDays: -5 }, networks: { myspace: {}, linkedin: { expiryLadder: [1, 2] } }, extra: true });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['all.lifespanDays', 'networks.myspace', 'networks.linkedin.expiryLadder', 'extra']);
  });
});

describe('validatePolicyOverrides accepts', () => {
  it.each<[string, unknown, unknown]>([
    ['nothing (null)', null, {}],
    ['nothing (undefined)', undefined, {}],
    ['empty', {}, {}],
    ['a rule switched off', { all: { refreshRecommendedDays: null } }, { all: { refreshRecommendedDays: null } }],
    [
      'inactivity for Facebook',
      { networks: { facebook: { inactivityWarnDays: 30, inactivityCriticalDays: 50 } } },
      { networks: { facebook: { inactivityWarnDays: 30, inactivityCriticalDays: 50 } } },
    ],
    [
      'a warn threshold alone where critical is off',
      { networks: { facebook: { inactivityWarnDays: 30 } } },
      { networks: { facebook: { inactivityWarnDays: 30 } } },
    ],
    ['an earlier warning everywhere', { all: { inactivityWarnDays: 30 } }, { all: { inactivityWarnDays: 30 } }],
    ['a custom ladder', { all: { expiryLadder: [60, 10, 2] } }, { all: { expiryLadder: [60, 10, 2] } }],
    ['undefined fields, dropped', { all: { lifespanDays: undefined } }, { all: {} }],
  ])('%s', (_name, input, value) => {
    expect(validatePolicyOverrides(input)).toEqual({ ok: true, value });
  });
});

describe('validateTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['America/New_York', 'America/New_York'],
    ['Pacific/Auckland', 'Pacific/Auckland'],
    ['UTC', 'UTC'],
    [' Europe/Berlin ', 'Europe/Berlin'],
  ])('accepts %p', (input, value) => {
    expect(validateTimeZone(input)).toEqual({ ok: true, value });
  });

  it.each<unknown>(['Mars/Base', '', 'GMT+25', 42, null])('refuses %p', (input) => {
    expect(validateTimeZone(input)).toEqual({
      ok: false,
      errors: [{ field: 'timeZone', message: expect.stringContaining('is not an IANA time zone; use a name such as Europe/Berlin') }],
    });
  });
});

describe('validateCheckTime', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:05', '09:05'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    [' 07:30 ', '07:30'],
  ])('accepts %p as %p', (input, value) => {
    expect(validateCheckTime(input)).toEqual({ ok: true, value });
  });

  it.each<unknown>(['24:00', '12:60', '0900', 'noon', '9', '', 9, '09:00:00'])('refuses %p', (input) => {
    expect(validateCheckTime(input)).toEqual({
      ok: false,
      errors: [{ field: 'checkTime', message: expect.stringContaining('use HH:mm from 00:00 to 23:59') }],
    });
  });
});

describe('parseLadder', () => {
  it.each([
    ['30,14,7,3,1', [30, 14, 7, 3, 1]],
    [' 30, 14 ,7 ', [30, 14, 7]],
    ['30 14 7', [30, 14, 7]],
    ['1', [1]],
  ])('accepts %p', (text, value) => {
    expect(parseLadder(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['7,14', 'strictly descending'],
    ['30,30', 'strictly descending'],
    ['30,14,x', '(got "30,14,x")'],
    ['3.5', '(got "3.5")'],
    ['30,-1', '(got "30,-1")'],
    ['0', 'from 1 to 3650'],
    ['', 'at least one step'],
  ])('refuses %p', (text, message) => {
    expect(parseLadder(text)).toEqual({ ok: false, errors: [{ field: 'expiryLadder', message: expect.stringContaining(message) }] });
  });
});
