/**
 * Multi-workspace mode under test: the real Bolt app over HTTP with Slack OAuth, a fake Slack whose
 * `oauth.v2.access` hands out a token per team (and rotates them), and helpers that walk the
 * install flow as a browser would (the state cookie included).
 */
import { createApp, type ChannelKeeperApp } from '../../../src/bot/app';
import { createMultiWorkspace, type MultiWorkspace } from '../../../src/bot/oauth/index';
import type { Config } from '../../../src/config';
import { silentLogger, type Logger } from '../../../src/logger';
import type { Store } from '../../../src/store/store';
import { FakeSlack } from '../../support/fake-slack';
import { SIGNING_SECRET } from '../support/slack-harness';

export const KEY = Buffer.alloc(32, 42);
export const OAUTH = {
  clientId: '111.222',
  clientSecret: 'client-secret',
  stateSecret: 'state-secret',
  encryptionKey: KEY.toString('base64'),
  retentionDays: 30,
};

export interface Team {
  id: string;
  name: string;
  /** The bot token oauth.v2.access hands out for this team's code. */
  token: string;
  refreshToken?: string;
  expiresIn?: number;
  /** An Enterprise Grid org installing org-wide: `id` is the org's (E…) id. */
  orgWide?: boolean;
}

/** The fake's oauth.v2.access: `code-<team id>` installs that team; a refresh token is exchanged once. */
export function answerOAuth(fake: FakeSlack, teams: Map<string, Team>, refreshed: string[] = []): void {
  const usedRefresh = new Set<string>();
  fake.respond('oauth.v2.access', (body) => {
    if (body.grant_type === 'refresh_token') {
      const old = String(body.refresh_token);
      if (usedRefresh.has(old)) return { ok: false, error: 'invalid_refresh_token' };
      usedRefresh.add(old);
      refreshed.push(old);
      const n = refreshed.length;
      return { access_token: `xoxe.xoxb-rotated-${n}`, refresh_token: `xoxe-1-refresh-${n}`, expires_in: 43_200, token_type: 'bot' };
    }
    const team = teams.get(String(body.code).replace(/^code-/, ''));
    if (!team) return { ok: false, error: 'invalid_code' };
    return {
      access_token: team.token,
      token_type: 'bot',
      scope: 'commands,chat:write,users:read,channels:history,channels:read',
      bot_user_id: `UBOT${team.id}`,
      app_id: 'A0001',
      team: team.orgWide ? null : { id: team.id, name: team.name },
      enterprise: team.orgWide ? { id: team.id, name: team.name } : null,
      is_enterprise_install: team.orgWide === true,
      authed_user: { id: 'UINSTALLER' },
      ...(team.refreshToken ? { refresh_token: team.refreshToken, expires_in: team.expiresIn ?? 43_200 } : {}),
    };
  });
  fake.respond('auth.test', (_body, call) => ({ bot_id: `B${String(call.headers.authorization).slice(-6)}`, user_id: 'UBOT', team_id: 'T?' }));
}

export function multiConfig(store: Store, fake: FakeSlack, retentionDays = 30, publicUrl: string | null = null): Config {
  return {
    publicUrl,
    database: store.target,
    slack: { signingSecret: SIGNING_SECRET, appToken: null, socketMode: false, apiUrl: fake.apiUrl, oauth: { ...OAUTH, retentionDays } },
    alertChannel: null,
    port: 0,
    logLevel: 'silent',
  };
}

export function multiWorkspace(store: Store, fake: FakeSlack, now: () => Date, logger: Logger = silentLogger): MultiWorkspace {
  return createMultiWorkspace({
    oauth: { ...OAUTH, encryptionKey: KEY, previousEncryptionKey: null },
    store,
    logger,
    now,
    apiUrl: fake.apiUrl,
  });
}

export async function startMultiApp(
  store: Store,
  fake: FakeSlack,
  now: () => Date,
  publicUrl: string | null = null,
): Promise<{ bot: ChannelKeeperApp; baseUrl: string }> {
  const bot = createApp({
    config: multiConfig(store, fake, 30, publicUrl),
    store,
    logger: silentLogger,
    now,
    multiWorkspace: multiWorkspace(store, fake, now),
  });
  const port = await bot.start(0);
  return { bot, baseUrl: `http://127.0.0.1:${port}` };
}

/** GET /slack/install as a browser: the state in the Add-to-Slack link and the cookie set with it. */
export async function beginInstall(baseUrl: string): Promise<{ page: string; state: string; cookie: string; status: number }> {
  const response = await fetch(`${baseUrl}/slack/install`);
  const page = await response.text();
  const link = /href="(https:\/\/slack\.com\/oauth\/[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? '';
  const state = link ? (new URL(link).searchParams.get('state') ?? '') : '';
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { page, state, cookie, status: response.status };
}

/** Slack sends the browser back to /slack/oauth_redirect with the code and the state. */
export async function finishInstall(baseUrl: string, code: string, state: string, cookie: string): Promise<{ status: number; page: string }> {
  const response = await fetch(`${baseUrl}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
    headers: cookie ? { cookie } : {},
  });
  return { status: response.status, page: await response.text() };
}

export async function install(baseUrl: string, teamId: string): Promise<{ status: number; page: string }> {
  const started = await beginInstall(baseUrl);
  return finishInstall(baseUrl, `code-${teamId}`, started.state, started.cookie);
}
