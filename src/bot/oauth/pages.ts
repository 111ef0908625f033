/**
 * The pages a person installing Channel Keeper sees: the install page, then success, cancelled or
 * failed. Self-contained: the style, the logo and the Add to Slack button are inline (no font,
 * image or script from anywhere), and every page goes out with `PAGE_HEADERS` (docs/install-pages.md).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver, Installation } from '@slack/bolt';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** What the pages link to besides Slack: given by `serve` from the configuration. */
export interface PageLinks {
  /** The bot's public address (no trailing slash); null: links stay relative to the page. */
  baseUrl: string | null;
  /** PRIVACY_URL */
  privacyUrl: string | null;
  /** SUPPORT_URL */
  supportUrl: string | null;
}

const STYLE = `:root{color-scheme:light dark;--bg:#f4f4f6;--card:#fff;--text:#1d1c1d;--muted:#5e5d60;--line:#e3e3e6;--accent:#007a5a;--accent-text:#fff;--link:#1264a3;--code:#f1f1f3;--ok:#007a5a;--warn:#b35900;--calm:#5e5d60}
@media (prefers-color-scheme:dark){:root{--bg:#1a1d21;--card:#222529;--text:#e8e8e9;--muted:#b0b0b3;--line:#3a3d42;--accent:#148567;--link:#5cb8f0;--code:#2c2f34;--ok:#3fbf8f;--warn:#f2a04a;--calm:#b0b0b3}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;color:var(--text);font:16px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:35rem;margin:0 auto;padding:9vh 1rem 2rem}
.brand{display:flex;align-items:center;gap:.6rem;margin:0 0 1.25rem .25rem;font-weight:700;font-size:1.05rem;letter-spacing:-.01em}
.brand svg{flex:none}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:2rem 2rem 1.75rem;box-shadow:0 1px 2px rgba(0,0,0,.04),0 4px 16px rgba(0,0,0,.04)}
.status{display:flex;align-items:center;justify-content:center;width:2.5rem;height:2.5rem;border-radius:50%;margin-bottom:1rem;border:2px solid currentColor}
.status.ok{color:var(--ok)}.status.warn{color:var(--warn)}.status.calm{color:var(--calm)}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .75rem;letter-spacing:-.015em}
h2{font-size:1rem;margin:1.5rem 0 .5rem}
p{margin:0 0 1rem}
.lead{font-size:1.05rem}
.muted{color:var(--muted);font-size:.925rem}
ul,ol{margin:0 0 1rem;padding-left:1.35rem}
li{margin:.35rem 0}
a{color:var(--link)}
a:focus-visible{outline:3px solid var(--link);outline-offset:2px;border-radius:6px}
code{font:.875em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:.1rem .35rem;border-radius:4px;white-space:nowrap}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.25rem;margin:1.5rem 0 1rem}
.button{display:inline-flex;align-items:center;justify-content:center;gap:.75rem;min-height:48px;padding:0 1.4rem;border-radius:8px;font-weight:700;font-size:1rem;text-decoration:none}
.primary{background:var(--accent);color:var(--accent-text)}
.primary:hover{filter:brightness(1.08)}
.slack{background:#fff;color:#1d1c1d;border:1px solid #c9c9cc;width:236px}
.slack:hover{box-shadow:0 1px 4px rgba(0,0,0,.15)}
footer{margin:1.25rem 0 0;text-align:center;color:var(--muted);font-size:.875rem}
footer a{color:var(--muted);margin:0 .6rem}`;

/** The inline style is allowed by its hash, so the policy needs no 'unsafe-inline'. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The headers every install page goes out with: nothing loads from elsewhere, nothing frames it. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  // The install page carries a single-use state; the others name a workspace.
  'cache-control': 'no-store',
};

/** A shield with a check in it: the app's mark. */
const LOGO = `<svg width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8" fill="#4a154b"/><path d="M16 6.5l7.5 2.8v5.9c0 4.9-3.2 8.7-7.5 10.3-4.3-1.6-7.5-5.4-7.5-10.3V9.3z" fill="#fff"/><path d="M12.4 16.2l2.6 2.6 4.8-5" fill="none" stroke="#007a5a" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/** The same mark as the page's icon, so the browser asks for no favicon. */
const ICON = `data:image/svg+xml,${encodeURIComponent(LOGO.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" '))}`;

/** Slack's four-colour mark, drawn here rather than loaded from Slack. */
const SLACK_MARK = `<svg width="20" height="20" viewBox="0 0 122.8 122.8" aria-hidden="true" focusable="false"><path d="M25.8 77.6c0 7.1-5.8 12.9-12.9 12.9S0 84.7 0 77.6s5.8-12.9 12.9-12.9h12.9v12.9zm6.5 0c0-7.1 5.8-12.9 12.9-12.9s12.9 5.8 12.9 12.9v32.3c0 7.1-5.8 12.9-12.9 12.9s-12.9-5.8-12.9-12.9V77.6z" fill="#e01e5a"/><path d="M45.2 25.8c-7.1 0-12.9-5.8-12.9-12.9S38.1 0 45.2 0s12.9 5.8 12.9 12.9v12.9H45.2zm0 6.5c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9H12.9C5.8 58.1 0 52.3 0 45.2s5.8-12.9 12.9-12.9h32.3z" fill="#36c5f0"/><path d="M97 45.2c0-7.1 5.8-12.9 12.9-12.9s12.9 5.8 12.9 12.9-5.8 12.9-12.9 12.9H97V45.2zm-6.5 0c0 7.1-5.8 12.9-12.9 12.9s-12.9-5.8-12.9-12.9V12.9C64.7 5.8 70.5 0 77.6 0s12.9 5.8 12.9 12.9v32.3z" fill="#2eb67d"/><path d="M77.6 97c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9-12.9-5.8-12.9-12.9V97h12.9zm0-6.5c-7.1 0-12.9-5.8-12.9-12.9s5.8-12.9 12.9-12.9h32.3c7.1 0 12.9 5.8 12.9 12.9s-5.8 12.9-12.9 12.9H77.6z" fill="#ecb22e"/></svg>`;

const STATUS_ICONS = {
  ok: '<path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>',
  warn: '<path d="M12 7v6.5" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/><circle cx="12" cy="17" r="1.4" fill="currentColor"/>',
  calm: '<path d="M8 12h8" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/>',
} as const;

type Status = keyof typeof STATUS_ICONS;

function status(kind: Status): string {
  return `<div class="status ${kind}"><svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${STATUS_ICONS[kind]}</svg></div>`;
}

function page(links: PageLinks, title: string, body: string): string {
  const footer = [
    links.privacyUrl ? `<a href="${escapeHtml(links.privacyUrl)}">Privacy policy</a>` : '',
    links.supportUrl ? `<a href="${escapeHtml(links.supportUrl)}">Help and support</a>` : '',
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title>
<link rel="icon" href="${ICON}"><style>${STYLE}</style></head>
<body><main>
<div class="brand">${LOGO}<span>Channel Keeper</span></div>
<div class="card">
${body}
</div>
${footer ? `<footer><nav aria-label="About Channel Keeper">${footer}</nav></footer>` : ''}
</main></body></html>`;
}

/** Where "start again" points: the install page, on the public address when it is known. */
function installAddress(links: PageLinks): string {
  return `${links.baseUrl ?? ''}${INSTALL_PATH}`;
}

/** A sentence ending in the support link, when there is one. */
function supportLine(links: PageLinks, before: string, linkText = 'contact support'): string {
  return links.supportUrl ? ` ${before} <a href="${escapeHtml(links.supportUrl)}">${linkText}</a>.` : '';
}

/** GET /slack/install: what the app does, and the "Add to Slack" button (its link carries the state). */
export function installPage(links: PageLinks, authorizeUrl: string): string {
  return page(
    links,
    'Add Channel Keeper to Slack',
    `<h1>Add Channel Keeper to your Slack workspace</h1>
<p class="lead">Keep your social media channels from silently disconnecting. Channel Keeper knows when each connection’s access will run out and warns your team in Slack before it does.</p>
<ul>
<li>Warnings in the channel you choose, with buttons to record a refresh or snooze.</li>
<li>A direct message to whoever owns a channel that needs attention.</li>
<li><code>/channels</code> to list, add and hand over your connections.</li>
</ul>
<div class="actions"><a class="button slack" href="${escapeHtml(authorizeUrl)}">${SLACK_MARK}<span>Add to Slack</span></a></div>
<p class="muted">Slack shows what Channel Keeper asks permission for before anything is installed. You may need a workspace admin’s approval.</p>`,
  );
}

type Installed = Pick<Installation, 'team' | 'enterprise' | 'isEnterpriseInstall' | 'enterpriseUrl'>;

/** Where "Open Slack" goes: the desktop app for a workspace, with the browser as the fallback. */
function slackLinks(installation: Installed): { app: string | null; web: string } {
  const team = installation.isEnterpriseInstall ? undefined : installation.team?.id;
  if (team) return { app: `slack://open?team=${encodeURIComponent(team)}`, web: `https://app.slack.com/client/${encodeURIComponent(team)}` };
  const org = installation.enterpriseUrl;
  return { app: null, web: org && /^https:\/\//.test(org) ? org : 'https://app.slack.com/' };
}

/** After a successful install: open Slack, and what to do there. */
function successPage(links: PageLinks, installation: Installed): string {
  const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
  const open = slackLinks(installation);
  const buttons = open.app
    ? `<a class="button primary" href="${escapeHtml(open.app)}">Open Slack</a><a href="${escapeHtml(open.web)}">Open Slack in your browser</a>`
    : `<a class="button primary" href="${escapeHtml(open.web)}">Open Slack</a>`;
  return page(
    links,
    'Channel Keeper is installed',
    `${status('ok')}<h1>Channel Keeper is installed in ${escapeHtml(where)}</h1>
<p class="lead">Three steps in Slack and Channel Keeper starts watching your channels.</p>
<ol>
<li>Invite the bot to the channel where warnings should go: <code>/invite @Channel Keeper</code></li>
<li>Run <code>/channels settings</code> to choose that alert channel, your time zone and the daily check time.</li>
<li>Add your first channel with <code>/channels add</code>, then see them all with <code>/channels status</code>.</li>
</ol>
<div class="actions">${buttons}</div>
<p class="muted">You can close this page.</p>`,
  );
}

/** The person pressed Cancel on Slack's consent screen. */
function cancelledPage(links: PageLinks): string {
  return page(
    links,
    'Install cancelled',
    `${status('calm')}<h1>The install was cancelled</h1>
<p class="lead">You chose Cancel on Slack’s permission screen, so Channel Keeper was not added to your workspace and nothing was saved.</p>
<p>Changed your mind? Start again and choose Allow on Slack’s screen.${supportLine(links, 'Questions about what it asks for?', 'Contact support')}</p>
<div class="actions"><a class="button primary" href="${escapeHtml(installAddress(links))}">Start the install again</a></div>`,
  );
}

/** Anything else that stopped the install: what happened (`reason`) and what to do (`next`). */
function failurePage(links: PageLinks, reason: string, next = 'Start the install again.'): string {
  return page(
    links,
    'Channel Keeper was not installed',
    `${status('warn')}<h1>Channel Keeper was not installed</h1>
<p class="lead">${escapeHtml(reason)}</p>
<p>${escapeHtml(next)}${supportLine(links, 'If it keeps happening,')}</p>
<div class="actions"><a class="button primary" href="${escapeHtml(installAddress(links))}">Start the install again</a></div>`,
  );
}

/** 429 at /slack/install: too many install pages asked from one address. */
export function tooManyInstallsPage(links: PageLinks, waitSeconds: number): string {
  const wait = waitSeconds <= 60 ? 'a minute' : `${Math.ceil(waitSeconds / 60)} minutes`;
  return page(
    links,
    'Too many install attempts',
    `${status('warn')}<h1>Too many install attempts</h1>
<p class="lead">This address asked for the install page too often.</p>
<p>Wait ${wait}, then start again.</p>
<div class="actions"><a class="button primary" href="${escapeHtml(installAddress(links))}">Start the install again</a></div>`,
  );
}

/**
 * A page of the same look for what is not the install (Connect Hootsuite): a status mark, a
 * heading, a lead sentence and what to do next. Every argument is text (escaped here).
 */
export function notePage(links: PageLinks, note: { status: Status; title: string; lead: string; next?: string }): string {
  return page(
    links,
    note.title,
    `${status(note.status)}<h1>${escapeHtml(note.title)}</h1>
<p class="lead">${escapeHtml(note.lead)}</p>
${note.next ? `<p>${escapeHtml(note.next)}${supportLine(links, 'If it keeps happening,')}</p>` : ''}
<p class="muted">You can close this tab and go back to Slack.</p>`,
  );
}

/** Writes one page with `PAGE_HEADERS` (and any `extra` headers). */
export function sendPage(res: ServerResponse, statusCode: number, html: string, extra: Record<string, string> = {}): void {
  res.writeHead(statusCode, { ...PAGE_HEADERS, ...extra }).end(html);
}

/** Sets `PAGE_HEADERS` on a response Bolt is about to write (the install page). */
export function setPageHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
}

interface OAuthFailure {
  code?: string;
  message: string;
  data?: { error?: string };
}

/** What went wrong, in words for the person installing, and what to do about it. */
function failureWords(error: OAuthFailure, slackError: string | null): { reason: string; next: string; status: number } {
  // The query string is anyone's to write: only an error code's shape is shown back.
  if (slackError) {
    const said = /^[a-z0-9_]{1,60}$/.test(slackError) ? ` (it said “${slackError}”)` : '';
    return { reason: `Slack stopped the install${said}.`, next: 'Start the install again from the button below.', status: 400 };
  }
  switch (error.code) {
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_state':
      return {
        reason: 'This install link is not valid any more: it was used already, it expired, or it was opened in another browser.',
        next: 'Install links work once, for ten minutes, in the browser that opened them: start again from the button below.',
        status: 400,
      };
    case 'slack_oauth_missing_code':
      return {
        reason: 'This address is only for Slack to send you back to after you allow the install.',
        next: 'Start from the install page instead.',
        status: 400,
      };
    case 'slack_webapi_platform_error':
      return {
        reason: `Slack refused to complete the install (it said “${(error.data?.error ?? 'unknown').slice(0, 60)}”).`,
        next: 'Start the install again.',
        status: 400,
      };
    case 'slack_webapi_request_error':
    case 'slack_webapi_http_error':
      return { reason: 'Channel Keeper could not reach Slack to complete the install.', next: 'Wait a minute, then start the install again.', status: 502 };
    default:
      return { reason: 'Channel Keeper could not save the installation.', next: 'Wait a few minutes, then start the install again.', status: 500 };
  }
}

/**
 * Bolt answers nothing when the install page fails (its state could not be stored: the database is
 * down), leaving the browser waiting: answer 503 with the failure page, then let Bolt log the error.
 */
export function answerInstallPathFailures(installer: NonNullable<HTTPReceiver['installer']>, links: PageLinks): void {
  const handle = installer.handleInstallPath.bind(installer);
  installer.handleInstallPath = async (req, res, ...rest) => {
    try {
      await handle(req, res, ...rest);
    } catch (error) {
      if (!res.headersSent)
        sendPage(res, 503, failurePage(links, 'Channel Keeper could not start the install.', 'Wait a few minutes, then try again.'), { 'retry-after': '60' });
      throw error;
    }
  };
}

/** Bolt's install callbacks: the success page, the cancelled page, or the failure page. */
export function callbackOptions(links: PageLinks) {
  return {
    success(installation: Installation, _options: unknown, _req: IncomingMessage, res: ServerResponse): void {
      sendPage(res, 200, successPage(links, installation));
    },
    failure(error: OAuthFailure, _options: unknown, req: IncomingMessage, res: ServerResponse): void {
      const slackError = new URL(req.url ?? '/', 'http://localhost').searchParams.get('error');
      if (slackError === 'access_denied') return sendPage(res, 200, cancelledPage(links));
      const words = failureWords(error, slackError);
      sendPage(res, words.status, failurePage(links, words.reason, words.next));
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
