import { FINDING_KINDS, type SecurityAttestations, type Severity } from '../../src/domain';
import { resolvePolicy } from '../../src/rules/policy';
import { evaluate, makeConnection, ofKind, oneOf } from './factories';

describe('inactivity: the latest of owner activity, last refresh, connection', () => {
  it.each<[string | null, string | null, string, string, string | null, Severity | null, string]>([
    // activity, refreshed, connected, today → stage, severity, anchor (cycle)
    ['2026-04-01', '2026-03-01', '2026-01-01', '2026-05-15', null, null, '2026-04-01'], // 44 days
    ['2026-04-01', '2026-03-01', '2026-01-01', '2026-05-16', 'warn', 'at_risk', '2026-04-01'], // 45
    ['2026-04-01', '2026-03-01', '2026-01-01', '2026-05-30', 'warn', 'at_risk', '2026-04-01'], // 59
    ['2026-04-01', '2026-03-01', '2026-01-01', '2026-05-31', 'critical', 'critical', '2026-04-01'], // 60
    // No recorded activity: the last refresh counts (it needed a login).
    [null, '2026-03-01', '2026-01-01', '2026-04-15', 'warn', 'at_risk', '2026-03-01'],
    // Activity older than the refresh: the refresh wins.
    ['2026-02-01', '2026-03-01', '2026-01-01', '2026-04-15', 'warn', 'at_risk', '2026-03-01'],
    // Neither: the connection date counts.
    [null, null, '2026-01-01', '2026-02-14', null, null, '2026-01-01'], // 44
    [null, null, '2026-01-01', '2026-02-15', 'warn', 'at_risk', '2026-01-01'], // 45
    [null, null, '2026-01-01', '2026-03-02', 'critical', 'critical', '2026-01-01'], // 60
  ])('active %p, refreshed %p, connected %s, on %s → %p', (active, refreshed, connectedAt, today, stage, severity, anchor) => {
    const c = makeConnection({ id: 4, ownerLastActiveAt: active, lastRefreshedAt: refreshed, connectedAt });
    const found = oneOf(evaluate(c, today), 'inactivity');
    if (stage === null) {
      expect(found).toBeNull();
      return;
    }
    expect(found).toMatchObject({ stage, severity, cycle: anchor, dedupKey: `4:inactivity:${stage}:${anchor}` });
    expect(found?.dueAt).toBe(new Date(Date.parse(`${anchor}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10));
  });

  it.each([
    ['2026-05-18', 'owner last active 47 days ago: log in to LinkedIn within 13 days'],
    ['2026-06-03', 'owner last active 63 days ago: the token may already be invalid: check and refresh'],
  ])('on %s the message says %p', (today, words) => {
    const found = oneOf(evaluate(makeConnection({ ownerLastActiveAt: '2026-04-01', connectedAt: '2026-01-01' }), today), 'inactivity');
    expect(found?.message).toContain(words);
    expect(found?.advice).toMatch(/log(s|ged)? in to LinkedIn/);
  });

  it('"I was active" starts a new cycle: a new key, and nothing left to warn about', () => {
    const before = makeConnection({ ownerLastActiveAt: '2026-04-01', connectedAt: '2026-01-01' });
    const after = { ...before, ownerLastActiveAt: '2026-05-20' };
    expect(oneOf(evaluate(before, '2026-05-20'), 'inactivity')?.dedupKey).toBe('1:inactivity:warn:2026-04-01');
    expect(oneOf(evaluate(after, '2026-05-20'), 'inactivity')).toBeNull();
    expect(oneOf(evaluate(after, '2026-07-04'), 'inactivity')?.dedupKey).toBe('1:inactivity:warn:2026-05-20');
  });

  it.each(['facebook', 'instagram', 'x', 'tiktok', 'youtube', 'pinterest', 'threads'] as const)('%s has no inactivity rule by default', (network) => {
    expect(ofKind(evaluate(makeConnection({ network, connectedAt: '2026-01-01' }), '2026-12-01'), 'inactivity')).toEqual([]);
  });

  it('only a warn threshold: warns, due at the warn date', () => {
    const policy = resolvePolicy('facebook', { networks: { facebook: { inactivityWarnDays: 30 } } });
    const found = oneOf(evaluate(makeConnection({ network: 'facebook', connectedAt: '2026-01-01' }), '2026-02-05', policy), 'inactivity');
    expect(found).toMatchObject({ stage: 'warn', dueAt: '2026-01-31' });
    expect(found?.message).toContain('log in to Facebook soon');
  });
});

describe('refresh cadence: days since the last refresh, or the connection', () => {
  it.each<[string | null, string, string | null, Severity | null, string]>([
    [null, '2026-03-31', null, null, '2026-05-01'], // 89 days after 2026-01-01
    [null, '2026-04-01', 'recommended', 'attention', '2026-05-01'], // 90
    [null, '2026-04-30', 'recommended', 'attention', '2026-05-01'], // 119
    [null, '2026-05-01', 'overdue', 'at_risk', '2026-05-01'], // 120
    [null, '2026-09-01', 'overdue', 'at_risk', '2026-05-01'],
    ['2026-02-01', '2026-05-01', null, null, '2026-06-01'], // 89 after the refresh
    ['2026-02-01', '2026-05-02', 'recommended', 'attention', '2026-06-01'], // 90
    ['2026-02-01', '2026-06-01', 'overdue', 'at_risk', '2026-06-01'], // 120
  ])('refreshed %p, on %s → %p (due %s)', (refreshed, today, stage, severity, dueAt) => {
    const c = makeConnection({ connectedAt: '2026-01-01', lastRefreshedAt: refreshed, ownerLastActiveAt: today });
    const found = oneOf(evaluate(c, today), 'refresh_due');
    if (stage === null) {
      expect(found).toBeNull();
      return;
    }
    const cycle = refreshed ?? '2026-01-01';
    expect(found).toMatchObject({ stage, severity, dueAt, cycle, dedupKey: `1:refresh_due:${stage}:${cycle}` });
    expect(found?.message).toContain(refreshed === null ? 'connected and never refreshed' : 'last refreshed');
  });

  it.each(['facebook', 'instagram', 'threads'] as const)('%s relies on its expiry ladder instead', (network) => {
    expect(ofKind(evaluate(makeConnection({ network, connectedAt: '2026-01-01' }), '2026-12-01'), 'refresh_due')).toEqual([]);
  });
});

describe('no backup admin', () => {
  it.each([
    ['linkedin', '2026-01-01', '2027-01-01'], // due when the token expires
    ['x', '2026-01-01', '2026-05-01'], // no expiry: due when the refresh is overdue
  ] as const)('%s connected %s without a backup → none / attention, due %s', (network, connectedAt, dueAt) => {
    const found = oneOf(evaluate(makeConnection({ id: 9, network, connectedAt, backups: [] }), '2026-02-01'), 'no_backup');
    expect(found).toMatchObject({ stage: 'none', severity: 'attention', dueAt, cycle: connectedAt, dedupKey: `9:no_backup:none:${connectedAt}` });
    expect(found?.advice).toContain('Add backup admin');
  });

  it('due today when the network has neither expiry nor refresh cadence', () => {
    const policy = resolvePolicy('x', { networks: { x: { refreshRecommendedDays: null, refreshOverdueDays: null } } });
    const found = oneOf(evaluate(makeConnection({ network: 'x', connectedAt: '2026-01-01', backups: [] }), '2026-02-01', policy), 'no_backup');
    expect(found?.dueAt).toBe('2026-02-01');
  });

  it('a backup silences it', () => {
    expect(ofKind(evaluate(makeConnection({ connectedAt: '2026-01-01' }), '2026-01-02'), 'no_backup')).toEqual([]);
  });
});

describe('owner gone', () => {
  it.each([
    [true, 'U_OWNER', true, 'left the workspace'],
    [false, null, true, 'Connected by: [undefined]'],
    [true, null, true, 'Connected by: [undefined]'],
    [false, 'U_OWNER', false, ''],
  ])('ownerGone %p, ownerId %p → finding %p', (ownerGone, ownerId, expected, words) => {
    const found = oneOf(evaluate(makeConnection({ id: 2, ownerId, connectedAt: '2026-01-01' }), '2026-01-10', undefined, ownerGone), 'owner_gone');
    if (!expected) {
      expect(found).toBeNull();
      return;
    }
    expect(found).toMatchObject({ stage: 'gone', severity: 'critical', dueAt: '2026-01-10', dedupKey: '2:owner_gone:gone:2026-01-01' });
    expect(found?.message).toContain(words);
    expect(found?.advice).toMatch(/Reassign owner.*Who: a team leader or an admin/);
  });
});

describe('security hygiene: attested problems only, unknown is no finding', () => {
  const unknown: SecurityAttestations = { sharedLogin: null, twoFactor: null, ownerSuperAdmin: null, permissionsGranted: null };
  it.each<[Partial<SecurityAttestations>, string | null]>([
    [{ sharedLogin: true }, 'shared_login'],
    [{ sharedLogin: false }, null],
    [{ sharedLogin: null }, null],
    [{ twoFactor: false }, 'no_2fa'],
    [{ twoFactor: true }, null],
    [{ twoFactor: null }, null],
    [{ ownerSuperAdmin: false }, 'not_super_admin'],
    [{ ownerSuperAdmin: true }, null],
    [{ ownerSuperAdmin: null }, null],
    [{ permissionsGranted: false }, 'missing_permissions'],
    [{ permissionsGranted: true }, null],
    [{ permissionsGranted: null }, null],
  ])('%p → %p', (attested, stage) => {
    const found = oneOf(evaluate(makeConnection({ connectedAt: '2026-01-01', security: { ...unknown, ...attested } }), '2026-01-02'), 'security');
    expect(found === null ? null : [found.stage, found.severity, found.dedupKey]).toEqual(
      stage === null ? null : [stage, 'attention', `1:security:${stage}:2026-01-01`],
    );
  });

  it('all four at once, in table order', () => {
    const security = { sharedLogin: true, twoFactor: false, ownerSuperAdmin: false, permissionsGranted: false };
    const found = ofKind(evaluate(makeConnection({ connectedAt: '2026-01-01', security }), '2026-01-02'), 'security');
    expect(found.map((f) => f.stage)).toEqual(['shared_login', 'no_2fa', 'not_super_admin', 'missing_permissions']);
  });
});

describe('disconnected suppresses everything else', () => {
  const everythingWrong = makeConnection({
    id: 5,
    connectedAt: '2024-01-01',
    ownerId: null,
    backups: [],
    security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: false, permissionsGranted: false },
    status: 'disconnected',
    disconnectReason: 'token_expired',
  });

  it.each([
    ['2026-01-05', '2026-01-05', '2026-01-05'],
    [null, '2024-01-01', '2026-02-01'], // no date recorded: the cycle start keys it, due today
  ])('disconnectedAt %p → one finding, cycle %s, due %s', (disconnectedAt, cycle, dueAt) => {
    const findings = evaluate({ ...everythingWrong, disconnectedAt }, '2026-02-01', undefined, true);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'disconnected',
      stage: 'disconnected',
      severity: 'disconnected',
      cycle,
      dueAt,
      dedupKey: `5:disconnected:disconnected:${cycle}`,
    });
    expect(findings[0]?.message).toContain('Token lifespan ended');
    expect(findings[0]?.advice).toMatch(/Mark reconnected.*Who: a team leader or an admin/);
  });

  it('during a network outage the advice is to wait for it to end', () => {
    const [found] = evaluate({ ...everythingWrong, disconnectReason: 'network_outage', disconnectedAt: '2026-01-05' }, '2026-02-01');
    expect(found?.message).toContain('disconnected since 2026-01-05: Network API outage or disruption');
    expect(found?.advice).toMatch(/^Once the LinkedIn outage is over, reconnect it/);
  });

  it('reconnected (status connected again) reports the other findings again', () => {
    const findings = evaluate({ ...everythingWrong, status: 'connected' }, '2026-02-01');
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(['expiry', 'inactivity', 'refresh_due', 'no_backup', 'owner_gone', 'security']));
  });
});

describe('every finding', () => {
  const all = evaluate(
    makeConnection({
      connectedAt: '2025-01-01',
      ownerId: null,
      backups: [],
      security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: false, permissionsGranted: false },
    }),
    '2026-02-01',
  );

  it('comes in the findings table order', () => {
    const ranks = all.map((f) => FINDING_KINDS.indexOf(f.kind));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(all).toHaveLength(9);
  });

  it.each(all.map((f) => [f.kind, f.stage, f] as const))('%s/%s has a one-line message and advice saying who', (_kind, _stage, f) => {
    expect(f.message).not.toMatch(/\n/);
    expect(f.message).toContain('LinkedIn “Acme”');
    expect(f.advice).not.toMatch(/\n/);
    expect(f.advice).toMatch(/Who: |a team leader or an admin/);
    expect(f.dedupKey.startsWith(`${f.connectionId}:${f.kind}:${f.stage}:${f.cycle}`)).toBe(true);
  });

  it('archived connections give none', () => {
    expect(evaluate(makeConnection({ connectedAt: '2024-01-01', archivedAt: new Date('2026-01-01T00:00:00Z') }), '2026-02-01')).toEqual([]);
  });
});
