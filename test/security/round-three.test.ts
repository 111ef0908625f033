/**
 * The adversarial suite, round three: what two replicas, a key rotation, a flood of unfinished
 * installs, trace logs and an org-wide uninstall could do. Each case runs on SQLite and
 * PostgreSQL. On PostgreSQL "replicas" are separate stores (their own connections) on one
 * database; on SQLite both use the one connection (better-sqlite3 waits for another connection's
 * lock by blocking the thread, so two in one process would wait on each other), which still
 * interleaves everything outside a transaction.
 */
import { Writable } from 'node:stream';
import { createApp, type ChannelKeeperApp } from '../../src/bot/app';
import { createMultiWorkspace, type MultiWorkspace } from '../../src/bot/oauth/index';
import { rewriteOutdatedTokens, startRetentionSweep } from '../../src/runs/retention';
import { createLogger, scrubSecrets, silentLogger } from '../../src/logger';
import { CLI_ACTOR } from '../../src/services/permissions';
import { MAX_UNFINISHED_INSTALLS, type InstallationRecord } from '../../src/store/installation-repository';
import { setRole } from '../../src/services/workspace';
import { openStore, type Store } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { answerOAuth, beginInstall, finishInstall, install, KEY, multiConfig, multiWorkspace, OAUTH, startMultiApp, type Team } from '../bot/oauth/support';
import { eventually, signatureOf, SIGNING_SECRET } from '../bot/support/slack-harness';

const NOW = new Date('2026-12-01T10:00:00Z');
/**
 * The sweeps here purge nothing of other suites' (on PostgreSQL they share the database): no
 * workspace (an endless retention), and no install state but this file's (their clock is earlier
 * than any other suite's).
 */
const KEEP_FOREVER = 100_000;
const LONG_AGO = new Date('2019-06-01T00:00:00Z');

describeEachDatabase('adversarial: two replicas', (db) => {
  let replicas: [Store, Store];
  const separate = () => db().provider === 'postgresql';
  beforeAll(() => void (replicas = separate() ? [openStore(db().target), openStore(db().target)] : [db().store, db().store]));
  afterAll(async () => {
    if (separate()) for (const replica of replicas) await replica.close();
  });

  it('two admins demoting each other at once on two replicas leave one admin (the guard runs under the lock)', async () => {
    for (let round = 0; round < 4; round += 1) {
      const team = uniqueId('T');
      await db().store.workspaces.ensure(team);
      await db().store.members.upsert(team, 'UADMINA', { role: 'admin' });
      await db().store.members.upsert(team, 'UADMINB', { role: 'admin' });
      const acting = async (store: Store, userId: string) => ({
        workspace: await store.workspaces.getById(team),
        actor: (await store.members.find(team, userId))!,
      });
      const [a, b] = await Promise.all([acting(replicas[0], 'UADMINA'), acting(replicas[1], 'UADMINB')]);
      const outcomes = await Promise.all([
        setRole({ store: replicas[0], now: () => NOW }, a, 'UADMINB', 'member'),
        setRole({ store: replicas[1], now: () => NOW }, b, 'UADMINA', 'member'),
      ]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['changed', 'last_admin']);
      expect(await db().store.members.list(team, { role: 'admin', active: true })).toHaveLength(1);
    }
  });

  it('the command line names an admin again when none is left', async () => {
    const team = uniqueId('T');
    await db().store.workspaces.ensure(team);
    await db().store.members.upsert(team, 'UONLY', { role: 'member' });
    const change = await setRole(
      { store: replicas[0], now: () => NOW },
      { workspace: await db().store.workspaces.getById(team), actor: CLI_ACTOR },
      'UONLY',
      'admin',
    );
    expect(change.outcome).toBe('changed');
    expect((await db().store.members.list(team, { role: 'admin' })).map((m) => m.userId)).toEqual(['UONLY']);
  });
});

async function signedPost(baseUrl: string, body: string, contentType: string): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signatureOf(SIGNING_SECRET, timestamp, body) },
    body,
  });
  await response.text();
  return response.status;
}

/** `/channels <text>` from a workspace of an org that installed the app org-wide, as Slack sends it. */
function orgCommand(baseUrl: string, fake: FakeSlack, org: string, team: string, user: string, text: string): Promise<number> {
  const form = new URLSearchParams({
    team_id: team,
    enterprise_id: org,
    is_enterprise_install: 'true',
    channel_id: 'CWORK',
    user_id: user,
    command: '/channels',
    text,
    api_app_id: 'A0001',
    response_url: fake.responseUrl(),
    trigger_id: `trigger-${uniqueId('')}`,
  });
  return signedPost(baseUrl, form.toString(), 'application/x-www-form-urlencoded');
}

describeEachDatabase('adversarial: an org-wide install', (db) => {
  const fake = new FakeSlack();
  const teams = new Map<string, Team>();
  let app: { bot: ChannelKeeperApp; baseUrl: string };

  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, teams);
    app = await startMultiApp(db().store, fake, () => NOW);
  });
  afterAll(async () => {
    await app.bot.stop();
    await fake.stop();
  });

  /** Slack's `app_uninstalled` for an org-wide install, its envelope naming `team`. */
  const orgUninstall = (org: string, team: string) =>
    signedPost(
      app.baseUrl,
      JSON.stringify({
        team_id: team,
        enterprise_id: org,
        is_enterprise_install: true,
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: `Ev${uniqueId('')}`,
        event_time: 1,
        event: { type: 'app_uninstalled' },
      }),
      'application/json',
    );

  it('serves the workspaces of its org; its uninstall stops every one of them; its reinstall serves them again', async () => {
    const { store } = db();
    const org = uniqueId('E');
    teams.set(org, { id: org, name: 'Grid org', token: `xoxb-${org.toLowerCase()}-org`, orgWide: true });
    expect((await install(app.baseUrl, org)).status).toBe(200);
    const workspaces = [uniqueId('T'), uniqueId('T')];
    for (const team of workspaces) {
      fake.addUser(`U${team}`, { team_id: team, enterprise_user: { enterprise_id: org, teams: [team] } });
      expect(await orgCommand(app.baseUrl, fake, org, team, `U${team}`, 'status')).toBe(200);
      await eventually(async () => (await store.members.find(team, `U${team}`)) !== null);
    }
    // Background work for a workspace of the org finds the org's token.
    expect((await store.installations({ current: KEY }).findForWorkspace(workspaces[0]!))?.botToken).toBe(`xoxb-${org.toLowerCase()}-org`);

    // The envelope names one workspace of the org; the install it ends is the org's.
    expect(await orgUninstall(org, workspaces[0]!)).toBe(200);
    for (const team of workspaces) await eventually(async () => !!(await store.workspaces.findById(team))?.uninstalledAt);
    for (const team of workspaces) {
      expect((await store.workspaces.findById(team))?.uninstalledAt).toEqual(NOW);
      expect(await store.installations({ current: KEY }).findForWorkspace(team, org)).toBeNull();
    }
    expect((await store.workspaces.list()).map((w) => w.id)).not.toEqual(expect.arrayContaining([workspaces[0]]));

    expect((await install(app.baseUrl, org)).status).toBe(200);
    for (const team of workspaces) expect((await store.workspaces.findById(team))?.uninstalledAt).toBeNull();
  });

  it('takes an org-wide uninstall whose envelope names a workspace it never served (the identity gate lets uninstalls through)', async () => {
    const { store } = db();
    const org = uniqueId('E');
    teams.set(org, { id: org, name: 'Grid org', token: `xoxb-${org.toLowerCase()}-org`, orgWide: true });
    expect((await install(app.baseUrl, org)).status).toBe(200);
    const team = uniqueId('T');
    fake.addUser(`U${team}`, { team_id: team, enterprise_user: { enterprise_id: org, teams: [team] } });
    expect(await orgCommand(app.baseUrl, fake, org, team, `U${team}`, 'status')).toBe(200);
    await eventually(async () => (await store.members.find(team, `U${team}`)) !== null);
    expect(await orgUninstall(org, uniqueId('T'))).toBe(200);
    await eventually(async () => !!(await store.workspaces.findById(team))?.uninstalledAt);
    expect(await store.installations({ current: KEY }).findForWorkspace(team, org)).toBeNull();
  });
});

type StateRows = {
  oAuthState: {
    createMany(q: unknown): Promise<unknown>;
    findMany(q: unknown): Promise<{ state: string }[]>;
    count(q?: unknown): Promise<number>;
    deleteMany(q: unknown): Promise<unknown>;
  };
};
const stateRows = (store: Store): StateRows => (store as unknown as { client: StateRows }).client;

describeEachDatabase('adversarial: unfinished installs', (db) => {
  const fake = new FakeSlack();
  let app: { bot: ChannelKeeperApp; baseUrl: string };

  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, new Map());
    app = await startMultiApp(db().store, fake, () => NOW);
  });
  afterAll(async () => {
    await app.bot.stop();
    await fake.stop();
  });

  it('/slack/install answers one address a few pages a minute, then 429 with a page that says when to come back', async () => {
    const before = await stateRows(db().store).oAuthState.count();
    for (let i = 0; i < 10; i += 1) expect((await beginInstall(app.baseUrl)).status).toBe(200);
    const refused = await fetch(`${app.baseUrl}/slack/install`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.text()).toContain('Too many install attempts');
    // The refused request stored no state.
    expect(await stateRows(db().store).oAuthState.count()).toBeLessThanOrEqual(before + 10);
  });

  it('expired install state is purged by the hourly sweep, live state is kept', async () => {
    const { store } = db();
    const installations = store.installations({ current: KEY });
    const expired = uniqueId('state-expired-');
    const live = uniqueId('state-live-');
    await installations.saveState(expired, {}, new Date(LONG_AGO.getTime() - 60_000));
    await installations.saveState(live, {}, new Date(LONG_AGO.getTime() + 60_000));
    const stop = startRetentionSweep({ store, now: () => LONG_AGO, retentionDays: KEEP_FOREVER, logger: silentLogger });
    try {
      await eventually(async () => (await stateRows(store).oAuthState.findMany({ where: { state: expired } })).length === 0);
    } finally {
      stop();
    }
    expect(await stateRows(store).oAuthState.findMany({ where: { state: live } })).toHaveLength(1);
    await stateRows(store).oAuthState.deleteMany({ where: { state: live } });
  });

  it(`at most ${MAX_UNFINISHED_INSTALLS} unfinished installs are kept: the oldest go first`, async () => {
    const { store } = db();
    const prefix = uniqueId('flood-');
    // Long expired (older than any other suite's state on a shared database), one second apart.
    const flood = Array.from({ length: MAX_UNFINISHED_INSTALLS }, (_, i) => ({
      state: `${prefix}-${String(i).padStart(4, '0')}`,
      installOptions: '{}',
      expiresAt: new Date(Date.UTC(2019, 0, 1) + i * 1000),
    }));
    await stateRows(store).oAuthState.createMany({ data: flood });
    const fresh = Array.from({ length: 5 }, (_, i) => `${prefix}-fresh-${i}`);
    try {
      for (const state of fresh) await store.installations({ current: KEY }).saveState(state, {}, new Date(Date.UTC(2099, 0, 1)));
      expect(await stateRows(store).oAuthState.count()).toBeLessThanOrEqual(MAX_UNFINISHED_INSTALLS);
      const kept = new Set((await stateRows(store).oAuthState.findMany({ where: { state: { startsWith: prefix } } })).map((r) => r.state));
      for (const state of fresh) expect(kept).toContain(state);
      expect(kept).not.toContain(flood[0]!.state);
      expect(kept).not.toContain(flood[4]!.state);
    } finally {
      await stateRows(store).oAuthState.deleteMany({ where: { state: { startsWith: prefix } } });
    }
  });
});

describeEachDatabase('adversarial: logs at trace', (db) => {
  it('in multi-workspace mode through an install, no secret reaches the logs at any level', async () => {
    const fake = new FakeSlack();
    await fake.start();
    const team: Team = {
      id: uniqueId('T'),
      name: 'Logged team',
      token: `xoxb-${uniqueId('').toLowerCase()}-bot-token`,
      refreshToken: `xoxe-1-${uniqueId('')}-refresh`,
    };
    answerOAuth(fake, new Map([[team.id, team]]));
    const lines: string[] = [];
    const logger = createLogger({ level: 'trace', destination: new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }) });
    const { store } = db();
    const bot = createApp({
      config: { ...multiConfig(store, fake), logLevel: 'trace' },
      store,
      logger,
      now: () => NOW,
      multiWorkspace: multiWorkspace(store, fake, () => NOW, logger),
    });
    const baseUrl = `http://127.0.0.1:${await bot.start(0)}`;
    try {
      const started = await beginInstall(baseUrl);
      const code = `code-${team.id}`;
      expect((await finishInstall(baseUrl, code, started.state, started.cookie)).status).toBe(200);
      const output = lines.join('');
      // Bolt did speak at trace: the OAuth exchange is in the logs, without its secrets.
      expect(output).toContain('"source":"bolt"');
      expect(output).toContain('oauth.v2.access');
      for (const secret of [OAUTH.clientSecret, OAUTH.stateSecret, SIGNING_SECRET, code, started.state, team.token, team.refreshToken!]) {
        expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
      }
    } finally {
      await bot.stop();
      await fake.stop();
    }
  });
});

describeEachDatabase('adversarial: rotating TOKEN_ENCRYPTION_KEY across replicas', (db) => {
  const OLD = Buffer.alloc(32, 7);
  const NEW = Buffer.alloc(32, 8);
  const NOW_SECONDS = NOW.getTime() / 1000;
  const fake = new FakeSlack();
  const refreshed: string[] = [];
  let other: Store;

  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, new Map(), refreshed);
    other = db().provider === 'postgresql' ? openStore(db().target) : db().store;
  });
  afterAll(async () => {
    if (other !== db().store) await other.close();
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  /** A replica: its own store, with the keys it was started with. */
  function replica(store: Store, keys: { current: Buffer; previous?: Buffer; next?: Buffer }): MultiWorkspace {
    const oauth = { ...OAUTH, encryptionKey: keys.current, previousEncryptionKey: keys.previous ?? null, nextEncryptionKey: keys.next ?? null };
    return createMultiWorkspace({ oauth, store, logger: silentLogger, now: () => NOW, apiUrl: fake.apiUrl });
  }

  async function installedUnder(multi: MultiWorkspace): Promise<{ id: string; refreshToken: string }> {
    const id = uniqueId('T');
    const refreshToken = `xoxe-1-${uniqueId('').toLowerCase()}`;
    const record: InstallationRecord = {
      enterpriseId: null,
      teamId: id,
      isEnterpriseInstall: false,
      teamName: null,
      enterpriseName: null,
      appId: 'A0001',
      botToken: `xoxe.xoxb-${id.toLowerCase()}`,
      botId: 'BBOT',
      botUserId: 'UBOT',
      botScopes: ['chat:write'],
      botRefreshToken: refreshToken,
      // Within the refresh window: the next use refreshes it.
      botExpiresAt: NOW_SECONDS + 600,
      installerUserId: 'UINSTALLER',
      installedAt: NOW,
    };
    await multi.installations.save(record, NOW);
    return { id, refreshToken };
  }

  /** Starts a refresh on `multi` that Slack answers slowly, and waits until Slack has been asked. */
  async function refreshInFlight(multi: MultiWorkspace, id: string): Promise<{ token: Promise<string> }> {
    const before = fake.callsTo('oauth.v2.access').length;
    fake.fail('oauth.v2.access', { delayMs: 1_500 });
    const token = multi.tokens.tokenFor(id);
    await eventually(async () => fake.callsTo('oauth.v2.access').length > before);
    // Wrapped: an async function returning the promise itself would wait for it.
    return { token };
  }

  it('replicas on the old key read what the new key writes; a refresh in flight is left alone and its new refresh token kept', async () => {
    // Step 1 on the replica that has not restarted yet: the new key is read, not written.
    const oldReplica = replica(db().store, { current: OLD, next: NEW });
    // Step 2 on the replica that restarted first.
    const newReplica = replica(other, { current: NEW, previous: OLD });
    const { id, refreshToken } = await installedUnder(oldReplica);

    const { token } = await refreshInFlight(oldReplica, id);
    const during = await rewriteOutdatedTokens(newReplica.installations, NOW);
    expect(during.deferred).toBeGreaterThanOrEqual(1);
    const rotated = await token;
    expect(fake.callsTo('oauth.v2.access').map((c) => c.body.refresh_token)).toEqual([refreshToken]);
    const newRefreshToken = `xoxe-1-refresh-${refreshed.length}`;

    // The refresh stored its new tokens; the next pass moves them to the new key.
    expect((await newReplica.installations.findForWorkspace(id))?.botRefreshToken).toBe(newRefreshToken);
    await rewriteOutdatedTokens(newReplica.installations, NOW);
    // Both replicas read the row, and neither needs another exchange.
    for (const multi of [oldReplica, newReplica]) {
      expect(await multi.installations.findForWorkspace(id)).toMatchObject({ botToken: rotated, botRefreshToken: newRefreshToken });
      expect(await multi.tokens.tokenFor(id)).toBe(rotated);
    }
    expect(fake.callsTo('oauth.v2.access')).toHaveLength(1);
    // The old replica keeps writing with the old key, which the new replica reads.
    const written = await installedUnder(oldReplica);
    expect((await newReplica.installations.findForWorkspace(written.id))?.botRefreshToken).toBe(written.refreshToken);
  });

  it('a refresh whose stored token was re-encrypted meanwhile still stores the new refresh token', async () => {
    const oldReplica = replica(db().store, { current: OLD, next: NEW });
    const newReplica = replica(other, { current: NEW, previous: OLD });
    const { id } = await installedUnder(oldReplica);

    const { token } = await refreshInFlight(oldReplica, id);
    // A replica that does not wait for the claim (its clock an hour ahead: the claim looks stale).
    await newReplica.installations.rewriteTokens(new Date(NOW.getTime() + 60 * 60_000));
    const rotated = await token;
    const newRefreshToken = `xoxe-1-refresh-${refreshed.length}`;
    expect(await newReplica.installations.findForWorkspace(id)).toMatchObject({ botToken: rotated, botRefreshToken: newRefreshToken });
    expect(await oldReplica.tokens.tokenFor(id)).toBe(rotated);
  });

  it('the sweep comes back for tokens left to a refresh in flight, until every one is under the new key', async () => {
    const oldReplica = replica(db().store, { current: OLD, next: NEW });
    const newReplica = replica(other, { current: NEW, previous: OLD });
    const newOnly = replica(other, { current: NEW });
    const { id } = await installedUnder(oldReplica);

    const { token } = await refreshInFlight(oldReplica, id);
    const stop = startRetentionSweep({
      store: other,
      // Before the claim's end: the pass waits for the refresh, then comes back.
      now: () => LONG_AGO,
      retentionDays: KEEP_FOREVER,
      logger: silentLogger,
      installations: newReplica.installations,
      deferredRewriteMs: 50,
    });
    try {
      const rotated = await token;
      // Written under the old key by the refresh, then moved by the sweep's next pass.
      await eventually(async () => (await newOnly.installations.findForWorkspace(id).catch(() => null))?.botToken === rotated);
    } finally {
      stop();
    }
  });
});

describe('adversarial: secrets in plain log text', () => {
  it.each([
    [
      'http request body: {"client_id":"111.222","client_secret":"s3cr3t-value","code":"abc.def"}',
      'http request body: {"client_id":"111.222","client_secret":"[redacted]","code":"[redacted]"}',
    ],
    ['GET /slack/oauth_redirect?code=abc.def&state=xyz', 'GET /slack/oauth_redirect?code=[redacted]&state=[redacted]'],
    [
      'Generated authorize URL: https://slack.com/oauth/v2/authorize?scope=commands&state=st4te&client_id=1',
      'Generated authorize URL: https://slack.com/oauth/v2/authorize?scope=commands&state=[redacted]&client_id=1',
    ],
    ['authorization: Bearer xoxb-1-2-3', 'authorization: Bearer [redacted]'],
    ['refreshed with xoxe-1-abc and xoxe.xoxb-1-def, app token xapp-1-A-1-x', 'refreshed with [redacted] and [redacted], app token [redacted]'],
    ['{"refresh_token":"r-1","bot_token":"b-1"}', '{"refresh_token":"[redacted]","bot_token":"[redacted]"}'],
  ])('%s', (text, scrubbed) => {
    expect(scrubSecrets(text)).toBe(scrubbed);
  });

  it('takes out configured secrets wherever they appear, and leaves ordinary text alone', () => {
    expect(scrubSecrets('signed with my-signing-secret today', ['my-signing-secret', null, 'ab'])).toBe('signed with [redacted] today');
    expect(scrubSecrets('apiCall(oauth.v2.access) end; statusCode 200 for team T0123')).toBe('apiCall(oauth.v2.access) end; statusCode 200 for team T0123');
  });
});
