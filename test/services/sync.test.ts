/**
 * A sync against fake Hootsuite, Buffer, LinkedIn and Meta APIs on loopback, on both databases:
 * matching, new records, disconnection and recovery, introspected dates, 429/401/5xx, a failed
 * source changing nothing, and credentials encrypted at rest.
 */
import { randomBytes } from 'node:crypto';
import { runCheck } from '../../src/runs/check-run';
import { runSync } from '../../src/runs/sync-run';
import { evaluateConnection } from '../../src/rules/evaluate';
import { resolvePolicy } from '../../src/rules/policy';
import type { SyncNotice } from '../../src/services/sync-report';
import { addSource, setIntrospectionToken } from '../../src/services/sources';
import { syncWorkspace, type SyncDeps } from '../../src/services/sync';
import { CLI_ACTOR } from '../../src/services/permissions';
import { sourceClients } from '../../src/sources/clients';
import { describeEachDatabase } from '../support/databases';
import { connectionInput, newWorkspace } from '../support/factories';
import { FakeSources } from '../support/fake-sources';

const keys = { current: randomBytes(32) };
const NOW = new Date('2026-06-01T10:42:00Z');
// The workspace's local date at NOW (its zone is the factories' default).
const TODAY = '2026-06-01';
const sleeps: number[] = [];
const http = { sleep: async (ms: number) => void sleeps.push(ms), backoffMs: 5 };

describeEachDatabase('sync', (db) => {
  let fake: FakeSources;
  beforeEach(async () => {
    fake = await new FakeSources().start();
    sleeps.length = 0;
  });
  afterEach(() => fake.stop());

  const deps = (oauth: { clientId: string; clientSecret: string } | null = null): SyncDeps => ({
    store: db().store,
    now: () => NOW,
    keys,
    clients: sourceClients({ ...fake.urls(), hootsuiteOAuth: oauth }, http),
  });

  async function workspaceWith(kind: 'hootsuite' | 'buffer', secret: string, refreshSecret: string | null = null) {
    const id = await newWorkspace(db().store);
    const workspace = (await db().store.workspaces.findById(id))!;
    await addSource(deps(), keys, { workspace, actor: CLI_ACTOR }, { kind, secret, refreshSecret });
    return workspace;
  }

  /** A workspace whose team's own LinkedIn app introspects the tokens it is given. */
  async function workspaceWithLinkedInApp() {
    const id = await newWorkspace(db().store);
    const workspace = (await db().store.workspaces.findById(id))!;
    const app = { kind: 'linkedin-app' as const, clientId: fake.linkedinApp.clientId, secret: fake.linkedinApp.clientSecret };
    await addSource(deps(), keys, { workspace, actor: CLI_ACTOR }, app);
    return workspace;
  }

  it('matches by external id, then network and name, then URL; new profiles become owner-less records created by sync', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    const byName = await db().store.connections.create(workspace.id, connectionInput({ name: 'ＡＣＭＥ  Corp', network: 'linkedin', ownerId: 'UOWNER' }), 'U1');
    const byUrl = await db().store.connections.create(
      workspace.id,
      connectionInput({ name: 'Acme on X', network: 'x', kind: 'profile', url: 'https://twitter.com/acmecorp/' }),
      'U1',
    );
    fake.hootsuiteProfiles = [
      { id: '101', type: 'LINKEDINCOMPANY', socialNetworkUsername: 'acme corp', isReauthRequired: 0 },
      { id: '102', type: 'TWITTER', socialNetworkUsername: 'acmecorp', isReauthRequired: 0 },
      { id: '103', type: 'INSTAGRAMBUSINESS', socialNetworkUsername: 'acme.shop', isReauthRequired: 0 },
      { id: '104', type: 'WHATSAPP', socialNetworkUsername: 'acme', isReauthRequired: 0 },
    ];
    const report = await syncWorkspace(deps(), workspace.id);
    expect(report.sources).toEqual([
      expect.objectContaining({
        source: 'hootsuite',
        ok: true,
        counts: { seen: 3, matched: 2, created: 1, disconnected: 0, reconnected: 0, skipped: 1, superseded: 0, dated: 0 },
      }),
    ]);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', url: '/hootsuite/v1/socialProfiles', authorization: `Bearer ${fake.hootsuiteToken}` });
    const observations = new Map((await db().store.sources().observations(workspace.id)).map((o) => [o.connectionId, o]));
    expect(observations.get(byName.id)).toMatchObject({ source: 'hootsuite', externalId: '101', observedState: 'ok' });
    expect(observations.get(byUrl.id)).toMatchObject({ externalId: '102' });
    const [created] = await db().store.connections.findByName(workspace.id, 'acme.shop');
    expect(created).toMatchObject({ network: 'instagram', kind: 'business_account', ownerId: null, tool: 'hootsuite', connectedAt: '2026-06-01' });
    const audit = await db().store.audit.list(workspace.id, { connectionId: created!.id });
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([['connection.sync', 'system']]);
    // People's records stay as they were: name and owner untouched.
    expect(await db().store.connections.findById(workspace.id, byName.id)).toMatchObject({ name: 'ＡＣＭＥ  Corp', ownerId: 'UOWNER' });

    // Renamed in the tool: the stored external id still finds it; nothing is created again.
    fake.hootsuiteProfiles[0]!.socialNetworkUsername = 'Acme Corporation';
    const again = await syncWorkspace(deps(), workspace.id);
    expect(again.created).toEqual([]);
    expect(again.sources[0]!.counts.matched).toBe(3);
  });

  it('a profile needing reauth is recorded as observed, its warning recorded at once; back to healthy is reconnected with a new token cycle', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    const c = await db().store.connections.create(workspace.id, connectionInput({ name: 'Acme Page', lastRefreshedAt: '2026-02-01' }), 'U1');
    fake.hootsuiteProfiles = [{ id: '7', type: 'LINKEDINCOMPANY', socialNetworkUsername: 'Acme Page', isReauthRequired: 1 }];
    const report = await runSync(deps(), workspace.id);
    expect(report.disconnected).toEqual([expect.objectContaining({ id: c.id, reason: 'Hootsuite: reconnect needed' })]);
    expect(await db().store.connections.findById(workspace.id, c.id)).toMatchObject({ status: 'disconnected', disconnectedAt: '2026-06-01' });
    const [observation] = await db().store.sources().observations(workspace.id);
    expect(observation).toMatchObject({ observedState: 'disconnected', observedReason: 'Hootsuite: reconnect needed', observedAt: NOW });
    const warnings = await db().store.warnings.listOpen(workspace.id, { connectionIds: [c.id] });
    expect(warnings.map((w) => [w.kind, w.state])).toEqual([['disconnected', 'pending']]);

    fake.hootsuiteProfiles[0]!.isReauthRequired = 0;
    const back = await runSync(deps(), workspace.id);
    expect(back.reconnected.map((r) => r.id)).toEqual([c.id]);
    expect(await db().store.connections.findById(workspace.id, c.id)).toMatchObject({
      status: 'connected',
      lastRefreshedAt: '2026-06-01',
      disconnectedAt: null,
    });
  });

  it('a record the sync created waits for an owner: admins are told once, and the check records no warning for it until it gets one', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    fake.hootsuiteProfiles = [{ id: '7', type: 'LINKEDINCOMPANY', socialNetworkUsername: 'Found Co', isReauthRequired: 0 }];
    const notices: SyncNotice[] = [];
    const report = await runSync({ ...deps(), tellAdmins: async (_id, notice) => void notices.push(notice) }, workspace.id);
    expect(notices).toEqual([{ needOwner: [{ name: 'Found Co', network: 'linkedin', source: 'hootsuite' }], needsCredential: [] }]);
    const created = (await db().store.connections.findById(workspace.id, report.created[0]!.id!))!;
    expect(created).toMatchObject({ ownerId: null, awaitingOwner: true, tool: 'hootsuite' });

    // The daily check: the missing owner is a finding (lists show it), but no warning is recorded or posted.
    const check = await runCheck({ store: db().store, now: () => NOW }, workspace.id);
    expect(check.warnings.filter((w) => w.kind === 'owner_gone')).toEqual([]);
    expect(await db().store.warnings.listOpen(workspace.id, { connectionIds: [created.id], kinds: ['owner_gone'] })).toEqual([]);
    const judged = evaluateConnection(created, { today: TODAY, policy: resolvePolicy('linkedin'), ownerGone: true });
    expect(judged.find((f) => f.kind === 'owner_gone')).toMatchObject({ stage: 'unassigned', severity: 'attention' });
    expect(judged.find((f) => f.kind === 'owner_gone')?.message).toContain('found by a sync of Hootsuite and waiting for an owner');

    // Given an owner, then left without one again: a missing owner is critical and warned about like any other.
    await db().store.connections.setOwner(workspace.id, created.id, 'UOWNER');
    const owned = await db().store.connections.setOwner(workspace.id, created.id, null);
    expect(owned.connection.awaitingOwner).toBe(false);
    const later = await runCheck({ store: db().store, now: () => NOW }, workspace.id);
    expect(later.warnings.filter((w) => w.kind === 'owner_gone').map((w) => [w.stage, w.severity])).toEqual([['gone', 'critical']]);
  });

  it('two profiles of one name and network make one record; the second is counted as skipped', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    fake.hootsuiteProfiles = [
      { id: '1', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme', isReauthRequired: 0 },
      { id: '2', type: 'FACEBOOKPAGE', socialNetworkUsername: 'ACME', isReauthRequired: 0 },
    ];
    const report = await syncWorkspace(deps(), workspace.id);
    expect(report.sources[0]!.counts).toMatchObject({ seen: 2, created: 1, skipped: 1 });
    expect(await db().store.connections.list(workspace.id)).toHaveLength(1);
  });

  it('Buffer: organizations then channels; isDisconnected and isLocked disconnect', async () => {
    const workspace = await workspaceWith('buffer', fake.bufferKey);
    fake.bufferChannels = {
      org1: [
        { id: 'b1', name: 'acmeco', displayName: 'Acme Co', service: 'facebook', serviceId: 'f1', isDisconnected: true, isLocked: false },
        { id: 'b2', name: 'acme_x', displayName: 'Acme X', service: 'twitter', serviceId: 't1', isDisconnected: false, isLocked: true },
        { id: 'b3', name: 'acme_m', displayName: 'Acme M', service: 'mastodon', serviceId: 'm1', isDisconnected: false, isLocked: false },
      ],
    };
    const report = await syncWorkspace(deps(), workspace.id);
    const buffer = fake.requests.filter((r) => r.route === 'buffer').map((r) => JSON.parse(r.body) as { query: string; variables?: unknown });
    expect(buffer[0]!.query).toContain('organizations');
    expect(buffer[1]!.variables).toEqual({ input: { organizationId: 'org1' } });
    expect(report.sources[0]!.counts).toEqual({ seen: 2, matched: 0, created: 2, disconnected: 2, reconnected: 0, skipped: 1, superseded: 0, dated: 0 });
    expect(report.disconnected.map((d) => d.reason).sort()).toEqual(['Buffer: disconnected', 'Buffer: locked']);
    const [page] = await db().store.connections.findByName(workspace.id, 'Acme Co');
    expect(page).toMatchObject({ network: 'facebook', kind: 'page', status: 'disconnected', tool: 'buffer', ownerId: null });
  });

  it('LinkedIn introspection: the observed expiry replaces the predicted one; revoked disconnects', async () => {
    const workspace = await workspaceWithLinkedInApp();
    const id = workspace.id;
    const live = await db().store.connections.create(id, connectionInput({ name: 'Live' }), 'U1');
    const dead = await db().store.connections.create(id, connectionInput({ name: 'Dead' }), 'U1');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, live, 'tok-live');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, dead, 'tok-dead');
    fake.linkedinTokens = {
      'tok-live': { active: true, status: 'active', expires_at: Date.parse('2027-01-03T00:00:00Z') / 1000, authorized_at: 1, created_at: 1 },
      'tok-dead': { active: false, status: 'revoked', expires_at: 0 },
    };
    const report = await syncWorkspace(deps(), id);
    const form = new URLSearchParams(fake.requests.find((r) => r.route === 'linkedin')!.body);
    expect(Object.fromEntries(form)).toEqual({ client_id: 'li-client', client_secret: 'li-secret', token: 'tok-live' });
    expect(report.disconnected).toEqual([expect.objectContaining({ id: dead.id, reason: 'LinkedIn: token revoked' })]);
    const observations = new Map((await db().store.sources().observations(id)).map((o) => [o.connectionId, o]));
    expect(observations.get(live.id)).toMatchObject({ observedState: 'ok' });
    expect((await db().store.connections.findById(id, live.id))!.observed).toEqual({ end: '2027-01-03', from: 'linkedin-app', on: TODAY, dataAccessEnd: null });
    // LinkedIn's expires_at 0 on a revoked token says no date.
    expect((await db().store.connections.findById(id, dead.id))!.observed).toEqual({ end: null, from: 'linkedin-app', on: TODAY, dataAccessEnd: null });
  });

  it('Meta debug_token: expires_at 0 is never, data_access_expires_at its own deadline, is_valid false disconnects', async () => {
    const id = await newWorkspace(db().store);
    const workspace = (await db().store.workspaces.findById(id))!;
    await addSource(deps(), keys, { workspace, actor: CLI_ACTOR }, { kind: 'meta-app', clientId: fake.metaApp.appId, secret: fake.metaApp.appSecret });
    const page = await db().store.connections.create(id, connectionInput({ name: 'Acme FB', network: 'facebook', kind: 'page' }), 'U1');
    const insta = await db().store.connections.create(id, connectionInput({ name: 'Acme IG', network: 'instagram', kind: 'business_account' }), 'U1');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, page, 'page-token');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, insta, 'ig-token');
    fake.metaTokens = {
      'page-token': { is_valid: true, expires_at: 0, data_access_expires_at: Date.parse('2026-08-30T00:00:00Z') / 1000 },
      'ig-token': { is_valid: false, expires_at: 1, data_access_expires_at: 0 },
    };
    const report = await syncWorkspace(deps(), id);
    const call = new URL(`http://x${fake.requests.find((r) => r.route === 'meta')!.url}`);
    expect(call.searchParams.get('access_token')).toBe('meta-app|meta-secret');
    expect(report.disconnected.map((d) => [d.id, d.reason])).toEqual([[insta.id, 'Meta: token invalid']]);
    expect((await db().store.connections.findById(id, page.id))!.observed).toEqual({ end: 'never', from: 'meta-app', on: TODAY, dataAccessEnd: '2026-08-30' });
  });

  it("a token end LinkedIn said is warned about at once: the sync's check records the expiry on LinkedIn's date, and a sync that changes nothing checks nothing", async () => {
    const workspace = await workspaceWithLinkedInApp();
    const id = workspace.id;
    // Refreshed last month: predicted to live until 2027; LinkedIn says the token ends in 5 days.
    const c = await db().store.connections.create(id, connectionInput({ name: 'Acme', connectedAt: '2025-01-10', lastRefreshedAt: '2026-05-01' }), 'U1');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, c, 'tok');
    fake.linkedinTokens = { tok: { active: true, status: 'active', expires_at: Date.parse('2026-06-06T00:00:00Z') / 1000 } };
    const first = await runSync(deps(), id);
    expect(first.sources[0]!.counts).toMatchObject({ seen: 1, dated: 1, disconnected: 0 });
    const warnings = await db().store.warnings.listOpen(id, { connectionIds: [c.id] });
    expect(warnings.find((w) => w.kind === 'expiry')).toMatchObject({ stage: '7d', severity: 'at_risk', dueAt: '2026-06-06', state: 'pending' });

    const again = await runSync(deps(), id);
    expect(again.sources[0]!.counts).toMatchObject({ seen: 1, dated: 0 });
  });

  it('a token given before the last recorded refresh describes the old token: its answer neither disconnects nor dates the channel', async () => {
    const workspace = await workspaceWithLinkedInApp();
    const id = workspace.id;
    const c = await db().store.connections.create(id, connectionInput({ name: 'Acme', connectedAt: '2025-01-10', lastRefreshedAt: '2025-06-01' }), 'U1');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, c, 'old');
    fake.linkedinTokens = { old: { active: true, status: 'active', expires_at: Date.parse('2026-06-01T00:00:00Z') / 1000 } };
    await syncWorkspace(deps(), id);
    // Then the team re-authorised and recorded the refresh, but the bot still holds the old token.
    const later = { ...deps(), now: () => new Date('2026-06-02T10:00:00Z') };
    await db().store.connections.update(id, c.id, { lastRefreshedAt: '2026-06-02' });
    fake.linkedinTokens = { old: { active: false, status: 'revoked' } };
    const report = await syncWorkspace(later, id);
    expect(report.sources[0]!.counts).toMatchObject({ seen: 1, superseded: 1, disconnected: 0 });
    const after = (await db().store.connections.findById(id, c.id))!;
    expect(after.status).toBe('connected');
    // Still stored, with the day the bot first described the token; the rules no longer apply it.
    expect(after.observed).toMatchObject({ from: 'linkedin-app', on: TODAY });
  });

  it('Meta refusing the app (400, OAuthException 190) marks meta-app as needing a new credential', async () => {
    const id = await newWorkspace(db().store);
    const workspace = (await db().store.workspaces.findById(id))!;
    await addSource(deps(), keys, { workspace, actor: CLI_ACTOR }, { kind: 'meta-app', clientId: fake.metaApp.appId, secret: 'a-wrong-secret' });
    const page = await db().store.connections.create(id, connectionInput({ name: 'Acme FB', network: 'facebook', kind: 'page' }), 'U1');
    await setIntrospectionToken(deps(), keys, { workspace, actor: CLI_ACTOR }, page, 'page-token');
    const report = await syncWorkspace(deps(), id);
    expect(report.sources[0]).toMatchObject({ source: 'meta-app', ok: false, needsCredential: true, tellAdmins: true });
    expect(await db().store.connections.findById(id, page.id)).toMatchObject({ status: 'connected' });
  });

  it('429 with Retry-After up to 60 s is waited for; 5xx is retried with backoff', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    fake.hootsuiteProfiles = [{ id: '1', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme', isReauthRequired: 0 }];
    fake.failNext('hootsuite', { status: 429, retryAfter: '2' }, { status: 503 }, { status: 502 });
    const report = await syncWorkspace(deps(), workspace.id);
    expect(report.sources[0]!.ok).toBe(true);
    expect(fake.count('hootsuite')).toBe(4);
    // Retry-After, then the doubling backoff (the fractional waits are Hootsuite's pacing, 20 requests a second).
    expect(sleeps.filter((ms) => Number.isInteger(ms))).toEqual([2000, 5, 10]);
  });

  it('Retry-After beyond 60 s leaves the source for the next sync and changes nothing', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    fake.hootsuiteProfiles = [{ id: '1', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme', isReauthRequired: 1 }];
    fake.failNext('hootsuite', { status: 429, retryAfter: '120' });
    const report = await syncWorkspace(deps(), workspace.id);
    expect(report.sources[0]).toMatchObject({ ok: false, needsCredential: false });
    expect(report.sources[0]!.error).toMatch(/Hootsuite asked to slow down.*next sync/);
    expect(fake.count('hootsuite')).toBe(1);
    expect(await db().store.connections.list(workspace.id)).toEqual([]);
    const [status] = await db().store.sources().list(workspace.id);
    expect(status).toMatchObject({ lastSyncOk: false, needsCredential: false });
  });

  it('5xx every time fails the source after its attempts, and nothing changes', async () => {
    const workspace = await workspaceWith('buffer', fake.bufferKey);
    const c = await db().store.connections.create(workspace.id, connectionInput({ name: 'Acme Co', network: 'facebook', kind: 'page' }), 'U1');
    fake.bufferChannels = {
      org1: [{ id: 'b1', name: 'x', displayName: 'Acme Co', service: 'facebook', serviceId: 'f', isDisconnected: true, isLocked: false }],
    };
    fake.failNext('buffer', { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const report = await syncWorkspace(deps(), workspace.id);
    expect(report.sources[0]).toMatchObject({ ok: false, error: expect.stringContaining('Buffer answered 500 4 times') });
    expect(await db().store.connections.findById(workspace.id, c.id)).toMatchObject({ status: 'connected' });
    expect(await db().store.sources().observations(workspace.id)).toEqual([]);
  });

  it('401 marks the source "needs a new credential" and admins are told once', async () => {
    const workspace = await workspaceWith('hootsuite', 'a-stale-token');
    const told: unknown[] = [];
    const run = () => runSync({ ...deps(), tellAdmins: async (_id, notice) => void told.push(notice) }, workspace.id);
    const first = await run();
    expect(first.sources[0]).toMatchObject({ ok: false, needsCredential: true, tellAdmins: true });
    await run();
    expect(told).toEqual([{ needOwner: [], needsCredential: ['hootsuite'] }]);
    const [status] = await db().store.sources().list(workspace.id);
    expect(status).toMatchObject({ needsCredential: true, lastSyncOk: false });
    expect(status!.lastError).toContain('Hootsuite refused the credential (401)');
  });

  it('with the OAuth client set, an expired Hootsuite token is refreshed at /oauth2/token and the new pair stored', async () => {
    const workspace = await workspaceWith('hootsuite', 'expired', fake.hootsuiteRefresh);
    fake.hootsuiteProfiles = [{ id: '1', type: 'PINTEREST', socialNetworkUsername: 'acme', isReauthRequired: 0 }];
    const oauth = { clientId: 'hs-client', clientSecret: 'hs-secret' };
    const report = await syncWorkspace(deps(oauth), workspace.id);
    expect(report.sources[0]!.ok).toBe(true);
    const token = fake.requests.find((r) => r.route === 'hootsuite-token')!;
    expect(token.authorization).toBe(`Basic ${Buffer.from('hs-client:hs-secret').toString('base64')}`);
    const [stored] = await db().store.sources(keys).credentials(workspace.id);
    expect(stored).toMatchObject({ secret: fake.hootsuiteToken, refreshSecret: fake.hootsuiteRefresh });
  });

  it('one new-records message for admins lists every record that needs an owner; --dry-run writes nothing', async () => {
    const workspace = await workspaceWith('hootsuite', fake.hootsuiteToken);
    fake.hootsuiteProfiles = [
      { id: '1', type: 'YOUTUBECHANNEL', socialNetworkUsername: 'Acme TV', isReauthRequired: 0 },
      { id: '2', type: 'TIKTOKBUSINESS', socialNetworkUsername: 'acme', isReauthRequired: 0 },
      { id: '3', type: 'THREADS', socialNetworkUsername: 'acme', isReauthRequired: 1 },
    ];
    const dry = await runSync(deps(), workspace.id, { dryRun: true });
    expect(dry.created).toHaveLength(3);
    expect(await db().store.connections.list(workspace.id)).toEqual([]);
    expect((await db().store.sources().list(workspace.id))[0]!.lastSyncAt).toBeNull();
    const told: unknown[] = [];
    await runSync({ ...deps(), tellAdmins: async (_id, notice) => void told.push(notice) }, workspace.id);
    expect(told).toEqual([
      {
        needOwner: [
          { name: 'Acme TV', network: 'youtube', source: 'hootsuite' },
          { name: 'acme', network: 'tiktok', source: 'hootsuite' },
          { name: 'acme', network: 'threads', source: 'hootsuite' },
        ],
        needsCredential: [],
      },
    ]);
  });

  it('credentials are stored encrypted, never in plain text', async () => {
    const workspace = await workspaceWith('buffer', 'plain-buffer-key-123');
    await expect(db().store.sources().credentials(workspace.id)).rejects.toThrow(/need TOKEN_ENCRYPTION_KEY/);
    const [credential] = await db().store.sources(keys).credentials(workspace.id);
    expect(credential!.secret).toBe('plain-buffer-key-123');
    await expect(
      db()
        .store.sources({ current: randomBytes(32) })
        .credentials(workspace.id),
    ).rejects.toThrow(/TOKEN_ENCRYPTION_KEY/);
  });
});
