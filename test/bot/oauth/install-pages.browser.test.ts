/**
 * The install pages as a person sees them, in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) against the real multi-workspace app and the fake Slack's oauth.v2.access.
 * The person presses the drawn Add to Slack button; Slack's consent screen is the one request
 * answered here (a redirect back with a code, or with `error=access_denied` for Cancel), and any
 * other request for a host but 127.0.0.1 is refused and fails the test. Each page: what it says,
 * its links and headers, no CSP violation, no serious or critical axe-core finding, a screenshot.
 * The pages do not depend on the database (install.test.ts covers both): one database is enough.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { createApp, type ChannelKeeperApp } from '../../../src/bot/app';
import { silentLogger } from '../../../src/logger';
import { parseDatabaseUrl } from '../../../src/store/database-url';
import { openStore, type Store } from '../../../src/store/store';
import { enabledDatabases } from '../../support/global-setup';
import { freshTarget, uniqueId } from '../../support/databases';
import { FakeSlack } from '../../support/fake-slack';
import { answerOAuth, KEY, multiConfig, multiWorkspace, type Team } from './support';

const CHROMIUM = '/usr/bin/chromium';
const PRIVACY_URL = 'https://keeper.example.com/privacy';
const SUPPORT_URL = 'https://keeper.example.com/help';
const AUTHORIZE = 'https://slack.com/oauth/v2/authorize';
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-keeper-install-pages-'));

/** What Slack's consent screen answers with when the person presses Allow or Cancel. */
type Consent = { allow: string } | 'cancel';

describe('install pages in a browser', () => {
  const fake = new FakeSlack();
  const teams = new Map<string, Team>();
  let store: Store;
  let bot: ChannelKeeperApp;
  let baseUrl: string;
  let context: BrowserContext;
  let userDataDir: string;
  let consent: Consent = 'cancel';
  /** Requests for any host but 127.0.0.1 other than Slack's consent screen (refused, never sent). */
  const escaped: string[] = [];
  const consentAsked: string[] = [];
  const stopLater: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
    store = openStore(freshTarget(enabledDatabases()[0]!));
    await fake.start();
    answerOAuth(fake, teams);
    const now = () => new Date();
    const config = { ...multiConfig(store, fake), privacyUrl: PRIVACY_URL, supportUrl: SUPPORT_URL };
    bot = createApp({ config, store, logger: silentLogger, now, multiWorkspace: multiWorkspace(store, fake, now) });
    baseUrl = `http://127.0.0.1:${await bot.start(0)}`;

    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-keeper-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1024, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
      if (`${url.origin}${url.pathname}` === AUTHORIZE) {
        consentAsked.push(url.href);
        const state = url.searchParams.get('state') ?? '';
        const back = consent === 'cancel' ? `error=access_denied&state=${state}` : `code=${consent.allow}&state=${state}`;
        return route.fulfill({ status: 302, headers: { location: `${baseUrl}/slack/oauth_redirect?${back}` } });
      }
      escaped.push(url.href);
      return route.abort();
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    for (const stop of stopLater) await stop();
    await bot?.stop();
    await fake.stop();
    await store?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    console.log(`install page screenshots: ${SCREENSHOTS}`);
  });

  afterEach(() => expect(escaped).toEqual([]));

  function newTeam(): Team {
    const id = uniqueId('T');
    const team = { id, name: `Acme Social ${id.slice(-4)}`, token: `xoxb-${id.toLowerCase()}-secret` };
    teams.set(id, team);
    return team;
  }

  /** A fresh page that counts the CSP violations it reports, by event and on its console. */
  async function openPage(): Promise<{ page: Page; violations: string[] }> {
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
    // Page-side code as text: this project's TypeScript has no DOM types.
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => reportViolation(e.violatedDirective + ' ' + e.blockedURI));",
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
    return { page, violations };
  }

  /** The checks every page passes: headers, no CSP violation, axe-core, and a screenshot. */
  async function checkPage(page: Page, response: Response | null, violations: string[], name: string): Promise<void> {
    const headers = response!.headers();
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'", "img-src 'self' data:"])
      expect(csp).toContain(directive);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');

    // The style applied (a blocked stylesheet would leave the browser's default white page).
    expect(await page.evaluate("getComputedStyle(document.querySelector('.card')).borderRadius")).toBe('12px');
    expect(await page.locator('img').count()).toBe(0);

    // On a phone's width nothing runs off the side.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1024, height: 800 });

    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    // Through the debugging protocol, not a <script> tag: the page's own policy allows no script.
    await page.evaluate(AXE);
    const results = await page.evaluate<AxeResults>('axe.run()');
    expect(results.passes.map((rule) => rule.id)).toEqual(expect.arrayContaining(['color-contrast', 'document-title', 'html-has-lang']));
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    expect(violations).toEqual([]);
  }

  async function installPage(page: Page): Promise<Response | null> {
    return page.goto(`${baseUrl}/slack/install`);
  }

  async function pressAddToSlack(page: Page): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${baseUrl}/slack/oauth_redirect`)),
      page.getByRole('link', { name: 'Add to Slack' }).click(),
    ]);
    await page.waitForLoadState('load');
    return response;
  }

  it('install page: the name, the logo, what it does, the drawn Add to Slack button, privacy and support links', async () => {
    const { page, violations } = await openPage();
    const response = await installPage(page);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['cache-control']).toBe('no-store');
    await expect(page.title()).resolves.toBe('Add Channel Keeper to Slack');
    expect(await page.locator('.brand').innerText()).toBe('Channel Keeper');
    expect(await page.locator('.brand svg').count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Add Channel Keeper to your Slack workspace');
    expect(await page.locator('main').innerText()).toMatch(/warns your team in Slack before it does/);

    const button = page.getByRole('link', { name: 'Add to Slack' });
    expect(await button.isVisible()).toBe(true);
    expect(await button.locator('svg path').count()).toBe(4);
    const href = new URL((await button.getAttribute('href'))!);
    expect(`${href.origin}${href.pathname}`).toBe(AUTHORIZE);
    expect(href.searchParams.get('client_id')).toBe('111.222');
    expect(href.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    const box = (await button.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);

    expect(await page.getByRole('link', { name: 'Privacy policy' }).getAttribute('href')).toBe(PRIVACY_URL);
    expect(await page.getByRole('link', { name: 'Help and support' }).getAttribute('href')).toBe(SUPPORT_URL);
    await checkPage(page, response, violations, 'install');
    await page.close();
  });

  it('success page after Allow on Slack: installed in the team, Open Slack in the app or the browser, the next steps', async () => {
    const team = newTeam();
    const { page, violations } = await openPage();
    await installPage(page);
    consent = { allow: `code-${team.id}` };
    const response = await pressAddToSlack(page);
    expect(consentAsked.length).toBeGreaterThan(0);
    expect(response.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Channel Keeper is installed in ${team.name}`);
    expect(await page.getByRole('link', { name: 'Open Slack', exact: true }).getAttribute('href')).toBe(`slack://open?team=${team.id}`);
    expect(await page.getByRole('link', { name: 'Open Slack in your browser' }).getAttribute('href')).toBe(`https://app.slack.com/client/${team.id}`);
    const steps = await page.locator('ol li').allInnerTexts();
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('/invite @Channel Keeper');
    expect(steps[1]).toContain('/channels settings');
    expect(steps[2]).toContain('/channels add');
    expect(await page.getByRole('link', { name: 'Help and support' }).getAttribute('href')).toBe(SUPPORT_URL);
    expect(await store.installations({ current: KEY }).findForWorkspace(team.id)).toMatchObject({ botToken: team.token, teamName: team.name });
    await checkPage(page, response, violations, 'success');

    // The same page in dark mode keeps its contrast.
    await page.emulateMedia({ colorScheme: 'dark' });
    await checkPage(page, response, violations, 'success-dark');
    await page.close();
  }, 60_000);

  it('success page after an org-wide install: Open Slack goes to the org’s Slack address', async () => {
    const org = uniqueId('E');
    teams.set(org, { id: org, name: 'Acme Grid', token: `xoxb-${org.toLowerCase()}-org`, orgWide: true });
    const orgUrl = `https://${org.toLowerCase()}.enterprise.slack.com/`;
    fake.respond('auth.test', () => ({ bot_id: 'BORG', user_id: 'UBOT', team_id: org, url: orgUrl }));
    const { page, violations } = await openPage();
    await installPage(page);
    consent = { allow: `code-${org}` };
    const response = await pressAddToSlack(page);
    expect(response.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Channel Keeper is installed in Acme Grid');
    expect(await page.getByRole('link', { name: 'Open Slack', exact: true }).getAttribute('href')).toBe(orgUrl);
    expect(await page.getByRole('link', { name: 'Open Slack in your browser' }).count()).toBe(0);
    await checkPage(page, response, violations, 'success-org');
    await page.close();
  }, 60_000);

  it('cancel page after Cancel on Slack: says the install was cancelled and starts it again', async () => {
    const { page, violations } = await openPage();
    await installPage(page);
    consent = 'cancel';
    const calls = fake.callsTo('oauth.v2.access').length;
    const response = await pressAddToSlack(page);
    expect(new URL(response.url()).searchParams.get('error')).toBe('access_denied');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('The install was cancelled');
    expect(await page.locator('main').innerText()).toMatch(/You chose Cancel on Slack’s permission screen, so Channel Keeper was not added/);
    const again = page.getByRole('link', { name: 'Start the install again' });
    expect(await again.getAttribute('href')).toBe('/slack/install');
    expect(fake.callsTo('oauth.v2.access').length).toBe(calls);
    await checkPage(page, response, violations, 'cancelled');

    await Promise.all([page.waitForURL(`${baseUrl}/slack/install`), again.click()]);
    expect(await page.getByRole('link', { name: 'Add to Slack' }).isVisible()).toBe(true);
    await page.close();
  }, 60_000);

  it('failure pages: a code Slack refuses, and an install link used twice, each say what happened and what to do', async () => {
    const { page, violations } = await openPage();
    await installPage(page);
    consent = { allow: 'code-TNOBODY' };
    const refused = await pressAddToSlack(page);
    expect(refused.status()).toBe(400);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Channel Keeper was not installed');
    const text = await page.locator('main').innerText();
    expect(text).toContain('Slack refused to complete the install (it said “invalid_code”).');
    expect(text).toMatch(/Start the install again\. If it keeps happening, contact support\./);
    expect(await page.getByRole('link', { name: 'contact support' }).getAttribute('href')).toBe(SUPPORT_URL);
    expect(await page.getByRole('link', { name: 'Start the install again' }).getAttribute('href')).toBe('/slack/install');
    await checkPage(page, refused, violations, 'failed');

    // The browser's back button to Slack's redirect: its state was used already.
    const replay = await page.goto(refused.url());
    expect(replay!.status()).toBe(400);
    expect(await page.locator('main').innerText()).toContain('This install link is not valid any more');

    // Another error Slack sends back is named by its code; text that is not a code is not echoed.
    const other = await page.goto(`${baseUrl}/slack/oauth_redirect?error=invalid_team_for_non_distributed_app&state=x`);
    expect(other!.status()).toBe(400);
    expect(await page.locator('main').innerText()).toContain('Slack stopped the install (it said “invalid_team_for_non_distributed_app”).');
    await page.goto(`${baseUrl}/slack/oauth_redirect?error=${encodeURIComponent('Call +1 555 0100 to finish')}&state=x`);
    expect(await page.locator('main').innerText()).toContain('Slack stopped the install.');
    expect(await page.locator('main').innerText()).not.toContain('555');
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('the OAuth state cannot be stored: the install page answers 503 saying to try again in a few minutes, instead of never answering', async () => {
    // A database without its tables (never migrated): storing the install's state fails.
    const downStore = openStore(parseDatabaseUrl(`file:${path.join(userDataDir, 'empty.db')}`));
    const now = () => new Date();
    const down = createApp({
      config: { ...multiConfig(downStore, fake), supportUrl: SUPPORT_URL },
      store: downStore,
      logger: silentLogger,
      now,
      multiWorkspace: multiWorkspace(downStore, fake, now),
    });
    const downUrl = `http://127.0.0.1:${await down.start(0)}`;
    // Stopped after the browser, which keeps its connections open.
    stopLater.push(
      () => down.stop(),
      () => downStore.close(),
    );
    const { page, violations } = await openPage();
    const response = await page.goto(`${downUrl}/slack/install`);
    expect(response!.status()).toBe(503);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Channel Keeper was not installed');
    expect(await page.locator('main').innerText()).toMatch(
      /could not start the install\.\s+Wait a few minutes, then try again\. If it keeps happening, contact support\./,
    );
    await checkPage(page, response, violations, 'unavailable');
    await page.close();
  });

  it('too many install pages from one address: a 429 page that says when to come back', async () => {
    // Last: it uses up this address's install pages for the minute.
    let status = 200;
    for (let i = 0; i < 12 && status !== 429; i += 1) status = (await fetch(`${baseUrl}/slack/install`)).status;
    expect(status).toBe(429);
    const { page, violations } = await openPage();
    const response = await installPage(page);
    expect(response!.status()).toBe(429);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Too many install attempts');
    expect(await page.locator('main').innerText()).toMatch(/Wait a minute, then start again\./);
    await checkPage(page, response, violations, 'too-many');
    await page.close();
  });
});
