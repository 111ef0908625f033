/**
 * Adversarial: a calendar feed URL outlives what it was given for. The workspace feed stops when the
 * app is uninstalled and the personal feed when its owner's Slack account is deactivated (404, as
 * for a URL that was never there); both answer again, with the same secret, after a reinstall or a
 * reactivation. Real HTTP against a started multi-workspace app, on SQLite and PostgreSQL.
 */
import type { ChannelKeeperApp } from '../../src/bot/app';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { connectionInput } from '../support/factories';
import { FakeSlack } from '../support/fake-slack';
import { eventually, signatureOf, SIGNING_SECRET } from '../bot/support/slack-harness';
import { answerOAuth, install, startMultiApp, type Team } from '../bot/oauth/support';

function event(baseUrl: string, team: string, event: Record<string, unknown>): Promise<Response> {
  const body = JSON.stringify({ team_id: team, api_app_id: 'A0001', type: 'event_callback', event_id: `Ev${uniqueId('')}`, event_time: 1, event });
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signatureOf(SIGNING_SECRET, timestamp, body),
    },
    body,
  });
}

const secretOf = () => `${uniqueId('s')}${'x'.repeat(40)}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);

describeEachDatabase('adversarial: calendar feeds stop', (db) => {
  const fake = new FakeSlack();
  const teams = new Map<string, Team>();
  const clock = new Date('2026-06-15T12:00:00Z');
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

  async function installedTeam(): Promise<string> {
    const id = uniqueId('T');
    teams.set(id, { id, name: `Team ${id}`, token: `xoxb-${id.toLowerCase()}-secret` });
    expect((await install(app.baseUrl, id)).status).toBe(200);
    await db().store.connections.create(id, connectionInput({ name: 'Feed Page', ownerId: 'UFEEDOWNER' }), 'USETUP');
    return id;
  }
  const feed = async (secret: string) => (await fetch(`${app.baseUrl}/calendar/${secret}.ics`)).status;

  it('the workspace feed answers 404 once the app is uninstalled, and again 200 after a reinstall (same secret)', async () => {
    const team = await installedTeam();
    const secret = secretOf();
    await db().store.workspaces.setCalendarSecret(team, secret);
    expect(await feed(secret)).toBe(200);

    expect((await event(app.baseUrl, team, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () => !!(await db().store.workspaces.findById(team))?.uninstalledAt);
    expect(await feed(secret)).toBe(404);

    expect((await install(app.baseUrl, team)).status).toBe(200);
    expect(await feed(secret)).toBe(200);
    expect(await db().store.workspaces.calendarSecret(team)).toBe(secret);
  });

  it('a personal feed answers 404 once its owner is deactivated, and again 200 after the reactivation (same secret)', async () => {
    const team = await installedTeam();
    const secret = secretOf();
    await db().store.members.setCalendarSecret(team, 'UFEEDOWNER', secret);
    expect(await feed(secret)).toBe(200);

    const user = { id: 'UFEEDOWNER', team_id: team, name: 'owner' };
    expect((await event(app.baseUrl, team, { type: 'user_change', user: { ...user, deleted: true } })).status).toBe(200);
    await eventually(async () => (await db().store.members.find(team, 'UFEEDOWNER'))?.active === false);
    expect(await feed(secret)).toBe(404);

    expect((await event(app.baseUrl, team, { type: 'user_change', user: { ...user, deleted: false } })).status).toBe(200);
    await eventually(async () => (await db().store.members.find(team, 'UFEEDOWNER'))?.active === true);
    expect(await feed(secret)).toBe(200);

    // A personal feed of a workspace the app left stops too.
    expect((await event(app.baseUrl, team, { type: 'app_uninstalled' })).status).toBe(200);
    await eventually(async () => !!(await db().store.workspaces.findById(team))?.uninstalledAt);
    expect(await feed(secret)).toBe(404);
  });
});
