/** The pages a person installing Channel Keeper sees: the install page, then success or failure. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Installation } from '@slack/bolt';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}code{background:#f2f2f2;padding:0 .25rem}</style>
</head><body>${body}</body></html>`;
}

/** GET /slack/install: what the app does, and the "Add to Slack" link (carrying the state). */
export function installPage(url: string): string {
  return page(
    'Install Channel Keeper',
    `<h1>Channel Keeper</h1>
<p>Keeps your social media channel connections from silently disconnecting: it predicts when each one will break and warns your team in Slack first.</p>
<p><a href="${escapeHtml(url)}"><img alt="Add to Slack" height="40" width="139" src="https://platform.slack-edge.com/img/add_to_slack.png"></a></p>`,
  );
}

/** Where the install starts: PUBLIC_URL's /slack/install, or the path alone when it is not set. */
export function installUrlOf(publicUrl: string | null): string {
  return `${publicUrl ?? ''}${INSTALL_PATH}`;
}

/** After a successful install: what to do next. */
export function successPage(
  installation: { team?: { name?: string } | undefined; enterprise?: { name?: string } | undefined },
  installUrl = INSTALL_PATH,
): string {
  const where = installation.team?.name ?? installation.enterprise?.name ?? 'your workspace';
  return page(
    'Channel Keeper is installed',
    `<h1>Channel Keeper is installed in ${escapeHtml(where)}</h1>
<p>What to do next, in Slack:</p>
<ol>
<li>Invite the bot to the channel where warnings should go: <code>/invite @Channel Keeper</code>.</li>
<li>Run <code>/channels settings</code> to choose that alert channel, your time zone and the daily check time.</li>
<li>Add your first channel with <code>/channels add</code>, then see them all with <code>/channels status</code>.</li>
</ol>
<p>To add it to another workspace, share <a href="${escapeHtml(installUrl)}">${escapeHtml(installUrl)}</a>.</p>
<p>You can close this page.</p>`,
  );
}

export function failurePage(reason: string, installUrl = INSTALL_PATH): string {
  return page(
    'Channel Keeper was not installed',
    `<h1>Channel Keeper was not installed</h1><p>${escapeHtml(reason)}</p><p><a href="${escapeHtml(installUrl)}">Start the install again</a>.</p>`,
  );
}

/** 429 at /slack/install: too many install pages asked from one address. */
export function tooManyInstallsPage(waitSeconds: number, installUrl = INSTALL_PATH): string {
  const wait = waitSeconds <= 60 ? 'a minute' : `${Math.ceil(waitSeconds / 60)} minutes`;
  return page(
    'Too many install attempts',
    `<h1>Too many install attempts</h1><p>This address asked for the install page too often. Wait ${wait}, then <a href="${escapeHtml(installUrl)}">start the install again</a>.</p>`,
  );
}

/** Bolt's install callbacks; `installUrl` is where "start again" and "another workspace" lead (installUrlOf). */
export const callbackOptions = (installUrl: string) => ({
  success(installation: Installation, _options: unknown, _req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(successPage(installation, installUrl));
  },
  failure(error: { code?: string; message: string }, _options: unknown, _req: IncomingMessage, res: ServerResponse): void {
    const reason =
      error.code === 'slack_oauth_invalid_state' || /state/i.test(error.message)
        ? 'This install link is not valid any more (it was used already, it expired, or it did not come from this app).'
        : error.message.includes('access_denied')
          ? 'The install was cancelled in Slack.'
          : 'Slack did not complete the install. Please try again.';
    res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(failurePage(reason, installUrl));
  },
});

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
