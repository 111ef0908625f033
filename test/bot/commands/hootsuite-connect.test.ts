/**
 * "Connect Hootsuite" end to end, on both databases: an admin presses the button `/channels
 * sources` shows, follows the link it answers with to a fake Hootsuite, which sends the browser
 * back to the bot's real HTTP receiver with a code; the code is exchanged (Basic auth, redirect
 * URI) and the tokens stored encrypted as the workspace's `hootsuite` source, which the sync then
 * reads with. A state works once, for ten minutes, for the admin who pressed; Deny and a failed
 * exchange store nothing; without the OAuth client, PUBLIC_URL or the encryption key there is no
 * button but a line saying what to set.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Config } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { syncWorkspace } from '../../../src/services/sync';
import { sourceClients } from '../../../src/sources/clients';
import { describeEachDatabase } from '../../support/databases';
import { FakeSources } from '../../support/fake-sources';
import { blockActions } from '../support/payloads';
import { eventually, NOW, SlackHarness, type ResponseMessage } from '../support/slack-harness';
import { ADMIN, MEMBER, newTeam } from '../support/team';

const keys = { current: randomBytes(32) };
const PUBLIC_URL = 'https://keeper.example.com';
const MINUTE = 60_000;

interface Page {
  status: number;
  text: string;
  headers: Headers;
}

type Raw = { secret: string; refreshSecret: string | null } | null;
const rawSource = (store: unknown, workspaceId: string): Promise<Raw> =>
  (store as { client: { source: { findFirst(q: unknown): Promise<Raw> } } }).client.source.findFirst({ where: { workspaceId, kind: 'hootsuite' } });

function buttonsOf(message: ResponseMessage): { action_id: string; text: { text: string }; url?: string; style?: string }[] {
  return (message.blocks ?? []).flatMap((b) => (b.type === 'actions' ? (b.elements as never[]) : []));
}

describeEachDatabase('Connect Hootsuite', (db) => {
  const fake = new FakeSources();
  const lines: string[] = [];
  let clock = NOW;
  let slack: SlackHarness;
  const synced: string[] = [];
  const sourcesConfig = (): NonNullable<Config['sources']> => ({
    ...fake.urls(),
    hootsuiteOAuth: { ...fake.hootsuiteApp },
    syncIntervalMinutes: 15,
  });

  beforeAll(async () => {
    await fake.start();
    const destination = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString('utf8')), done()) });
    slack = await SlackHarness.start(db().store, {
      now: () => clock,
      publicUrl: PUBLIC_URL,
      sourceKeys: keys,
      sources: sourcesConfig(),
      logger: createLogger({ level: 'debug', destination }),
      // The real sync, against the fake: it reads Hootsuite with the stored tokens.
      syncSources: async (workspaceId) => {
        synced.push(workspaceId);
        const clients = sourceClients({ ...fake.urls(), hootsuiteOAuth: fake.hootsuiteApp }, { sleep: async () => undefined, backoffMs: 1 });
        return syncWorkspace({ store: db().store, now: () => clock, keys, clients }, workspaceId);
      },
    });
  });
  afterAll(async () => {
    await slack?.stop();
    await fake.stop();
  });
  beforeEach(() => {
    slack.fake.reset();
    clock = NOW;
    fake.hootsuiteDenies = false;
  });
  const store = () => db().store;

  /** `/channels sources` as `user`, then a press of its Connect Hootsuite button: Slack's answer to the press. */
  async function press(team: string, user = ADMIN): Promise<ResponseMessage> {
    const before = slack.fake.callsTo('response_url').length;
    await slack.interaction(blockActions({ team, user, actionId: 'ck_connect_hootsuite', value: 'hootsuite', responseUrl: slack.fake.responseUrl() }));
    return slack.response(before);
  }

  /** The link the press answered with. */
  function linkOf(answer: ResponseMessage): string {
    const url = buttonsOf(answer).find((b) => b.url)?.url;
    if (!url) throw new Error(`no link in ${JSON.stringify(answer)}`);
    return url;
  }

  /** Opens the link at the fake Hootsuite: where it sends the browser back to, on the bot's own address. */
  async function signIn(link: string): Promise<string> {
    const response = await fetch(link, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/hootsuite/oauth/callback`);
    // The proxy in front of the bot: PUBLIC_URL is served by the receiver.
    return `${slack.baseUrl}${back.pathname}${back.search}`;
  }

  async function open(url: string): Promise<Page> {
    const response = await fetch(url);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  it('an admin presses the button, signs in at Hootsuite and is sent back: both tokens stored encrypted, audited, a sync reads with them, a DM says so', async () => {
    const team = await newTeam(store());
    await slack.command(team, ADMIN, 'sources');
    const page = await slack.response();
    const button = buttonsOf(page).find((b) => b.action_id === 'ck_connect_hootsuite');
    expect(button?.text.text).toBe('Connect Hootsuite');

    const answer = await press(team);
    expect(answer.response_type).toBe('ephemeral');
    const link = new URL(linkOf(answer));
    expect(`${link.origin}${link.pathname}`).toBe(`${fake.urls().hootsuiteUrl}/oauth2/auth`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: fake.hootsuiteApp.clientId,
      redirect_uri: `${PUBLIC_URL}/hootsuite/oauth/callback`,
      scope: 'offline',
    });
    const state = link.searchParams.get('state')!;
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callback = await signIn(link.toString());
    const done = await open(callback);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Hootsuite is connected to Test team');
    expect(done.text).toContain('You can close this tab');
    expect(done.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(done.headers.get('x-frame-options')).toBe('DENY');
    expect(done.headers.get('cache-control')).toBe('no-store');

    // The exchange: Basic auth of the app, the code, the redirect URI the sign-in named.
    const exchange = fake.requests.filter((r) => r.route === 'hootsuite-token').at(-1)!;
    const form = new URLSearchParams(exchange.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('redirect_uri')).toBe(`${PUBLIC_URL}/hootsuite/oauth/callback`);
    expect(exchange.authorization).toBe(`Basic ${Buffer.from('hs-client:hs-secret').toString('base64')}`);

    const [credential] = await store().sources(keys).credentials(team);
    expect(credential).toMatchObject({ kind: 'hootsuite', secret: fake.hootsuiteToken, refreshSecret: fake.hootsuiteRefresh });
    expect(fake.hootsuiteToken).toMatch(/^hs-connected-/);
    const raw = (await rawSource(store(), team))!;
    expect(raw.secret).not.toContain(fake.hootsuiteToken);
    expect(raw.refreshSecret).not.toContain(fake.hootsuiteRefresh);
    const audit = await store().audit.list(team, {});
    expect(audit.find((e) => e.action === 'source.add')).toMatchObject({ actorId: ADMIN, details: { source: 'hootsuite' } });

    // A sync at once, reading Hootsuite with the new token; and the admin's DM.
    await eventually(async () => (await store().sources().list(team)).some((s) => s.kind === 'hootsuite' && s.lastSyncOk === true));
    expect(synced).toContain(team);
    const read = fake.requests.filter((r) => r.route === 'hootsuite').at(-1)!;
    expect(read.authorization).toBe(`Bearer ${fake.hootsuiteToken}`);
    const dm = await slack.waitFor((calls) => calls.find((c) => c.method === 'chat.postMessage' && c.body.channel === ADMIN));
    expect(String(dm.body.text)).toContain('Hootsuite is connected to Test team');

    // The page now offers to reconnect.
    slack.fake.reset();
    await slack.command(team, ADMIN, 'sources');
    expect(buttonsOf(await slack.response()).find((b) => b.action_id === 'ck_connect_hootsuite')?.text.text).toBe('Reconnect Hootsuite');

    // The state works once: the same answer again is refused and stores nothing new.
    const exchanges = fake.count('hootsuite-token');
    const again = await open(callback);
    expect(again.status).toBe(400);
    expect(again.text).toContain('This link does not work any more');
    expect(fake.count('hootsuite-token')).toBe(exchanges);

    // Neither the code, the state nor a token is ever logged.
    const log = lines.join('');
    expect(log).toContain('Hootsuite connected');
    for (const secret of [state, new URL(callback).searchParams.get('code')!, fake.hootsuiteToken, fake.hootsuiteRefresh, 'hs-secret']) {
      expect(log).not.toContain(secret);
    }
  });

  it('a state past its ten minutes is refused: nothing exchanged, nothing stored', async () => {
    const team = await newTeam(store());
    const callback = await signIn(linkOf(await press(team)));
    clock = new Date(NOW.getTime() + 10 * MINUTE + 1);
    const exchanges = fake.count('hootsuite-token');
    const late = await open(callback);
    expect(late.status).toBe(400);
    expect(late.text).toContain('works once, for 10 minutes');
    expect(fake.count('hootsuite-token')).toBe(exchanges);
    expect(await store().sources().list(team)).toEqual([]);
  });

  it('an unknown state or none is refused with 400', async () => {
    for (const query of ['?code=hs-code-x&state=made-up-state-value', '?code=hs-code-x', '']) {
      const answer = await open(`${slack.baseUrl}/hootsuite/oauth/callback${query}`);
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('Nothing was connected');
    }
  });

  it('a workspace keeps five unfinished connects: a sixth press ends the oldest link', async () => {
    const team = await newTeam(store());
    const first = await signIn(linkOf(await press(team)));
    for (let i = 0; i < 5; i += 1) {
      clock = new Date(clock.getTime() + 1000);
      await press(team);
    }
    const answer = await open(first);
    expect(answer.status).toBe(400);
    expect(await store().sources().list(team)).toEqual([]);
  });

  it('a member gets no button and no link; a press is refused', async () => {
    const team = await newTeam(store());
    await slack.command(team, MEMBER, 'sources');
    expect(JSON.stringify((await slack.response()).blocks ?? [])).not.toContain('ck_connect_hootsuite');
    const refused = await press(team, MEMBER);
    expect(SlackHarness.textOf(refused)).toMatch(/Only admins may connect Hootsuite/);
    expect(buttonsOf(refused).some((b) => b.url)).toBe(false);
  });

  it('an admin demoted before coming back connects nothing', async () => {
    const team = await newTeam(store());
    const callback = await signIn(linkOf(await press(team)));
    await store().members.upsert(team, ADMIN, { role: 'member' });
    const answer = await open(callback);
    expect(answer.status).toBe(403);
    expect(await store().sources().list(team)).toEqual([]);
  });

  it('Deny at Hootsuite: a page saying nothing was connected, nothing stored, and the state is spent', async () => {
    const team = await newTeam(store());
    fake.hootsuiteDenies = true;
    const callback = await signIn(linkOf(await press(team)));
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const answer = await open(callback);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('You chose not to allow Channel Keeper at Hootsuite, so nothing was connected');
    expect(await store().sources().list(team)).toEqual([]);
    const state = new URL(callback).searchParams.get('state')!;
    expect((await open(`${slack.baseUrl}/hootsuite/oauth/callback?code=hs-code-x&state=${state}`)).status).toBe(400);
  });

  it('a failed exchange stores nothing and says what to do: refused code, refused client, Hootsuite down', async () => {
    const team = await newTeam(store());
    fake.failNext('hootsuite-token', { status: 400 });
    const refused = await open(await signIn(linkOf(await press(team))));
    expect(refused.status).toBe(502);
    expect(refused.text).toContain('Hootsuite did not accept the sign-in (it answered 400)');
    expect(refused.text).toContain(`${PUBLIC_URL}/hootsuite/oauth/callback`);

    fake.failNext('hootsuite-token', { status: 401 });
    const client = await open(await signIn(linkOf(await press(team))));
    expect(client.status).toBe(502);
    expect(client.text).toContain('HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET');

    fake.failNext('hootsuite-token', { status: 503 }, { status: 503 });
    const down = await open(await signIn(linkOf(await press(team))));
    expect(down.status).toBe(502);
    expect(down.text).toContain('could not reach Hootsuite');
    expect(await store().sources().list(team)).toEqual([]);
  });

  it('without the OAuth client, PUBLIC_URL or the encryption key: no button, a line saying what to set; the callback is not served', async () => {
    const setups: [Parameters<typeof SlackHarness.start>[1], RegExp][] = [
      [
        { publicUrl: PUBLIC_URL, sourceKeys: keys, sources: { ...sourcesConfig(), hootsuiteOAuth: null } },
        /set HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET/,
      ],
      [{ publicUrl: null, sourceKeys: keys, sources: sourcesConfig() }, /needs PUBLIC_URL/],
      [{ publicUrl: PUBLIC_URL, sources: sourcesConfig() }, /needs TOKEN_ENCRYPTION_KEY/],
    ];
    for (const [options, line] of setups) {
      const other = await SlackHarness.start(store(), options);
      try {
        const team = await newTeam(store());
        await other.command(team, ADMIN, 'sources');
        const page = await other.response();
        expect(JSON.stringify(page.blocks)).not.toContain('ck_connect_hootsuite');
        expect(SlackHarness.textOf(page)).toMatch(line);
        const refused = await other.interaction(
          blockActions({ team, user: ADMIN, actionId: 'ck_connect_hootsuite', value: 'hootsuite', responseUrl: other.fake.responseUrl() }),
        );
        expect(refused.status).toBe(200);
        expect(SlackHarness.textOf(await other.response(1))).toMatch(line);
        const callback = await fetch(`${other.baseUrl}/hootsuite/oauth/callback?code=x&state=y`);
        expect(callback.status).toBe(404);
      } finally {
        await other.stop();
      }
    }
  });
});
