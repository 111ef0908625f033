/**
 * Multi-workspace mode end to end over HTTP: the install page issues a state kept in the
 * database, the redirect exchanges the code with the fake Slack's oauth.v2.access and stores the
 * installation with its tokens encrypted, and a signed `/channels status` from that team is
 * answered with that team's own token. A forged or replayed state installs nothing. Uninstall
 * stops the workspace and keeps its data for the retention period; a reinstall restores it.
 */
import type { ChannelKeeperApp } from '../../../src/bot/app';
import { purgeUninstalled } from '../../../src/runs/retention';
import { describeEachDatabase, uniqueId } from '../../support/databases';
import { connectionInput, newWarning } from '../../support/factories';
import { FakeSlack } from '../../support/fake-slack';
import { eventually, signatureOf, SIGNING_SECRET } from '../support/slack-harness';
import { answerOAuth, beginInstall, finishInstall, install, KEY, startMultiApp, type Team } from './support';

const DAY = 24 * 60 * 60_000;

async function signedPost(baseUrl: string, body: string, contentType: string): Promise<{ status: number; text: string }> {
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signatureOf(SIGNING_SECRET, timestamp, body) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function command(baseUrl: string, fake: FakeSlack, team: string, user: string, text: string) {
  const form = new URLSearchParams({
    team_id: team,
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

function event(baseUrl: string, team: string, event: Record<string, unknown>) {
  const body = JSON.stringify({ team_id: team, api_app_id: 'A0001', type: 'event_callback', event_id: `Ev${uniqueId('')}`, event_time: 1, event });
  return signedPost(baseUrl, body, 'application/json');
}

type RawRow = { botToken: string | null; botRefreshToken: string | null; botExpiresAt: number | null; installerUserId: string | null; botScopes: string };
const raw = (store: unknown, teamId: string): Promise<RawRow | null> =>
  (store as { client: { installation: { findFirst(q: unknown): Promise<RawRow | null> } } }).client.installation.findFirst({ where: { teamId } });

describeEachDatabase('multi-workspace install', (db) => {
  const fake = new FakeSlack();
  const teams = new Map<string, Team>();
  // Years before the other suites' dates: the purge below must not take their uninstalled
  // workspaces (on PostgreSQL the run's test files share one database).
  let clock = new Date('2020-01-06T10:00:00Z');
  let app: { bot: ChannelKeeperApp; baseUrl: string };

  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, teams);
    app = await startMultiApp(db().store, fake, () => clock);
  });
  afterAll(async () => {
    await app.bot.stop();
    await fake.stop();
  });
  beforeEach(() => fake.calls.splice(0));

  function newTeam(extra: Partial<Team> = {}): Team {
    const id = uniqueId('T');
    const team = { id, name: `Team ${id}`, token: `xoxb-${id.toLowerCase()}-secret`, ...extra };
    teams.set(id, team);
    return team;
  }

  it('installs through /slack/install and /slack/oauth_redirect, stores the tokens encrypted, then answers that team with its token', async () => {
    const team = newTeam({ refreshToken: `xoxe-1-${uniqueId('')}`, expiresIn: 43_200 });
    const started = await beginInstall(app.baseUrl);
    expect(started.status).toBe(200);
    expect(started.page).toContain('Add to Slack');
    expect(started.state).not.toBe('');
    expect(started.cookie).toContain(started.state);

    const done = await finishInstall(app.baseUrl, `code-${team.id}`, started.state, started.cookie);
    expect(done.status).toBe(200);
    expect(done.page).toContain(`installed in ${team.name}`);
    expect(done.page).toContain('/invite @Channel Keeper');
    expect(done.page).toContain('/channels settings');
    const exchange = fake.callsTo('oauth.v2.access')[0]!;
    expect(exchange.body).toMatchObject({ code: `code-${team.id}` });

    const row = (await raw(db().store, team.id))!;
    expect(row.botToken).not.toContain(team.token);
    expect(row.botRefreshToken).not.toContain(team.refreshToken!);
    expect(row.installerUserId).toBe('UINSTALLER');
    expect(row.botScopes).toBe('commands,chat:write,users:read,channels:history,channels:read');
    // Seconds since the epoch, not milliseconds.
    expect(Math.abs(row.botExpiresAt! - (Math.floor(Date.now() / 1000) + 43_200))).toBeLessThan(600);
    const read = await db().store.installations({ current: KEY }).findForWorkspace(team.id);
    expect(read).toMatchObject({ botToken: team.token, botRefreshToken: team.refreshToken, teamName: team.name });
    await expect(
      db()
        .store.installations({ current: Buffer.alloc(32, 1) })
        .findForWorkspace(team.id),
    ).rejects.toThrow(/another TOKEN_ENCRYPTION_KEY/);
    expect(await db().store.workspaces.findById(team.id)).toMatchObject({ id: team.id, name: team.name, uninstalledAt: null });

    fake.addUser('UASKER', { is_admin: true });
    fake.calls.splice(0);
    expect((await command(app.baseUrl, fake, team.id, 'UASKER', 'status')).status).toBe(200);
    await eventually(async () => fake.callsTo('response_url').length > 0);
    const lookups = fake.calls.filter((c) => c.method !== 'response_url');
    expect(lookups.map((c) => c.method)).toContain('users.info');
    for (const call of lookups) expect(call.headers.authorization).toBe(`Bearer ${team.token}`);
    expect(String(fake.callsTo('response_url')[0]!.body.text)).not.toMatch(/not installed/);
  });

  it('publishes App Home with the token of the workspace it is opened in', async () => {
    const [one, two] = [newTeam(), newTeam()];
    for (const team of [one, two]) expect((await install(app.baseUrl, team.id)).status).toBe(200);
    fake.addUser('UHOME');
    fake.calls.splice(0);
    for (const team of [two, one])
      expect((await event(app.baseUrl, team.id, { type: 'app_home_opened', user: 'UHOME', tab: 'home', channel: 'D1' })).status).toBe(200);
    await eventually(async () => fake.callsTo('views.publish').length === 2);
    const publishedWith = fake.callsTo('views.publish').map((c) => c.headers.authorization);
    expect(publishedWith.sort()).toEqual([`Bearer ${one.token}`, `Bearer ${two.token}`].sort());
  });

  it('refuses a forged state, a state used twice and a state without its cookie: nothing is installed', async () => {
    const team = newTeam();
    const forged = await finishInstall(app.baseUrl, `code-${team.id}`, 'forged-state', 'slack-app-oauth-state=forged-state');
    expect(forged.status).toBe(400);
    expect(forged.page).toContain('not valid');

    const started = await beginInstall(app.baseUrl);
    const noCookie = await finishInstall(app.baseUrl, `code-${team.id}`, started.state, '');
    expect(noCookie.status).toBe(400);

    const once = await beginInstall(app.baseUrl);
    const other = newTeam();
    expect((await finishInstall(app.baseUrl, `code-${other.id}`, once.state, once.cookie)).status).toBe(200);
    const replay = await finishInstall(app.baseUrl, `code-${team.id}`, once.state, once.cookie);
    expect(replay.status).toBe(400);

    expect(fake.callsTo('oauth.v2.access').map((c) => c.body.code)).toEqual([`code-${other.id}`]);
    expect(await raw(db().store, team.id)).toBeNull();
    expect(await db().store.workspaces.findById(team.id)).toBeNull();
  });

  it('answers nothing for a team without an installation', async () => {
    const stranger = uniqueId('T');
    expect((await command(app.baseUrl, fake, stranger, 'UASKER', 'status')).status).toBe(200);
    expect(fake.calls.filter((c) => c.method === 'users.info' || c.method === 'response_url')).toEqual([]);
    expect(await db().store.workspaces.findById(stranger)).toBeNull();
  });

  async function installedWithData(): Promise<{ team: Team; connectionId: number }> {
    const team = newTeam();
    expect((await install(app.baseUrl, team.id)).status).toBe(200);
    const { store } = db();
    const connection = await store.connections.create(team.id, connectionInput(), 'USETUP');
    await store.workspaces.updateSettings(team.id, { alertChannel: 'CALERT' });
    await store.warnings.upsertMany([newWarning(team.id, connection.id)]);
    return { team, connectionId: connection.id };
  }

  it.each([
    ['app_uninstalled then tokens_revoked', ['app_uninstalled', 'tokens_revoked']],
    ['tokens_revoked then app_uninstalled', ['tokens_revoked', 'app_uninstalled']],
  ])('%s: stops checks and delivery, keeps the data; a reinstall within the retention restores it', async (_title, order) => {
    const { store } = db();
    const { team, connectionId } = await installedWithData();
    const uninstall = (type: string) => event(app.baseUrl, team.id, type === 'tokens_revoked' ? { type, tokens: { bot: [`UBOT${team.id}`] } } : { type });
    expect((await uninstall(order[0]!)).status).toBe(200);
    await eventually(async () => !!(await store.workspaces.findById(team.id))?.uninstalledAt);
    expect((await uninstall(order[1]!)).status).toBe(200);

    expect((await store.workspaces.list()).map((w) => w.id)).not.toContain(team.id);
    expect(await store.outbox.claimDue({ limit: 10, holder: 'test', now: clock, workspaceId: team.id })).toEqual([]);
    expect(await store.installations({ current: KEY }).findForWorkspace(team.id)).toBeNull();
    const row = (await raw(store, team.id))!;
    expect(row.botToken).toBeNull();
    // The day before the retention ends, nothing is purged.
    clock = new Date(clock.getTime() + 29 * DAY);
    expect(await purgeUninstalled(store, clock, 30)).not.toContain(team.id);

    fake.calls.splice(0);
    expect((await install(app.baseUrl, team.id)).status).toBe(200);
    const back = (await store.workspaces.findById(team.id))!;
    expect(back.uninstalledAt).toBeNull();
    expect(back.alertChannel).toBe('CALERT');
    expect((await store.connections.findById(team.id, connectionId))?.id).toBe(connectionId);
    const claimed = await store.outbox.claimDue({ limit: 10, holder: 'test', now: clock, workspaceId: team.id });
    expect(claimed.map((w) => w.connectionId)).toEqual([connectionId]);
    expect((await store.installations({ current: KEY }).findForWorkspace(team.id))?.botToken).toBe(team.token);
  });

  it('after the retention period the uninstalled workspace and all its data are purged', async () => {
    const { store } = db();
    const { team, connectionId } = await installedWithData();
    expect((await event(app.baseUrl, team.id, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () => !!(await store.workspaces.findById(team.id))?.uninstalledAt);
    const other = await installedWithData();

    const purged = await purgeUninstalled(store, new Date(clock.getTime() + 31 * DAY), 30);
    expect(purged).toContain(team.id);
    expect(purged).not.toContain(other.team.id);
    expect(await store.workspaces.findById(team.id)).toBeNull();
    expect(await store.connections.findById(team.id, connectionId)).toBeNull();
    expect(await raw(store, team.id)).toBeNull();
    expect(await store.workspaces.findById(other.team.id)).not.toBeNull();

    // Installing again starts afresh.
    expect((await install(app.baseUrl, team.id)).status).toBe(200);
    expect(await store.connections.list(team.id)).toEqual([]);
  });
});
