/**
 * PUBLIC_URL, the bot's public address, through Slack and the browser: `/channels calendar` and the
 * settings modal give the whole feed URL with it, and without it say how to set it; the install
 * link names the redirect under it and a failed install's page links back to its install page.
 */
import type { ModalView } from '@slack/types';
import { describeEachDatabase } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { answerOAuth, beginInstall, finishInstall, startMultiApp, type Team } from './oauth/support';
import { SlackHarness, slackPerSuite } from './support/slack-harness';
import { addChannel, ADMIN, MEMBER, newTeam } from './support/team';

const PUBLIC_URL = 'https://keeper.example.com/tools';
const FEED = /\/calendar\/[A-Za-z0-9_-]{32}\.ics/;

describeEachDatabase('PUBLIC_URL', (db) => {
  const without = slackPerSuite(db);
  const withUrl = slackPerSuite(db, { publicUrl: PUBLIC_URL });

  async function reply(slack: SlackHarness, team: string, user: string, text: string): Promise<string> {
    const before = slack.fake.calls.length;
    await slack.command(team, user, text);
    const found = await slack.waitFor((calls) => calls.slice(before).find((c) => c.method === 'response_url'));
    return SlackHarness.textOf(found.body as object);
  }

  it('unset: /channels calendar gives the path and says how to set PUBLIC_URL', async () => {
    const team = await newTeam(db().store);
    const note = await reply(without(), team, MEMBER, 'calendar');
    expect(note).toMatch(new RegExp(`\`${FEED.source}\` on the bot's public address`));
    expect(note).toContain('ask whoever runs Channel Keeper to set `PUBLIC_URL` (e.g. `PUBLIC_URL=https://keeper.example.com`)');
    expect(note).not.toContain('https://keeper.example.com/');
    expect(note).not.toContain("<the bot's host>");
  });

  it('set: the calendar commands and the settings modal give the whole URL, and the feed answers at its path', async () => {
    const team = await newTeam(db().store);
    await addChannel(db().store, team, { name: 'Feed Page', connectedAt: '2026-01-10' });
    const personal = await reply(withUrl(), team, MEMBER, 'calendar');
    const url = new RegExp(`\`(${PUBLIC_URL.replace(/[./]/g, '\\$&')}(${FEED.source}))\``).exec(personal);
    expect(url).not.toBeNull();
    expect(personal).not.toContain('PUBLIC_URL');
    const workspace = await reply(withUrl(), team, ADMIN, 'calendar workspace');
    const workspaceUrl = new RegExp(`\`${PUBLIC_URL.replace(/[./]/g, '\\$&')}(${FEED.source})\``).exec(workspace)![1]!;
    // A proxy at PUBLIC_URL strips its path prefix: the bot serves the feed at the path.
    const feed = await fetch(`${withUrl().baseUrl}${workspaceUrl}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('text/calendar');

    const before = withUrl().fake.calls.length;
    await withUrl().command(team, ADMIN, 'settings');
    const opened = await withUrl().waitFor((calls) => calls.slice(before).find((c) => c.method === 'views.open'));
    const view = (typeof opened.body.view === 'string' ? JSON.parse(opened.body.view) : opened.body.view) as ModalView;
    expect(JSON.stringify(view.blocks)).toContain(`Subscribed calendars read ${PUBLIC_URL}${workspaceUrl}. A new secret stops the current URL.`);
  });
});

describeEachDatabase('PUBLIC_URL in multi-workspace mode', (db) => {
  const fake = new FakeSlack();
  const teams = new Map<string, Team>();
  let app: Awaited<ReturnType<typeof startMultiApp>>;
  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, teams);
    app = await startMultiApp(db().store, fake, () => new Date('2026-11-28T09:00:00Z'), PUBLIC_URL);
  });
  afterAll(async () => {
    await app.bot.stop();
    await fake.stop();
  });

  it('the Add to Slack link and the code exchange name the redirect under PUBLIC_URL; the failure page links back to its install page', async () => {
    const started = await beginInstall(app.baseUrl);
    const link = new URL(/href="(https:\/\/slack\.com\/oauth\/[^"]+)"/.exec(started.page)![1]!.replace(/&amp;/g, '&'));
    expect(link.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);

    const id = 'TPUBLICURL1';
    teams.set(id, { id, name: 'Public URL team', token: 'xoxb-public-url-secret' });
    const done = await finishInstall(app.baseUrl, `code-${id}`, started.state, started.cookie);
    expect(done.status).toBe(200);
    expect(fake.callsTo('oauth.v2.access').at(-1)?.body.redirect_uri).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);

    // A state used already: the failure page's "start again" leads to the public install page too.
    const replayed = await finishInstall(app.baseUrl, `code-${id}`, started.state, started.cookie);
    expect(replayed.status).toBe(400);
    expect(replayed.page).toContain(`href="${PUBLIC_URL}/slack/install"`);
  });
});
