/**
 * "Connect Hootsuite" in Slack (docs/sources.md): the button on `/channels sources` (admins), the
 * link to Hootsuite it answers with, and `GET /hootsuite/oauth/callback`, where Hootsuite sends
 * the browser back. The callback's pages look like the install pages (same style and headers);
 * the admin also gets a DM, and a sync of the workspace starts at once. The query's code and
 * state are never logged.
 */
import type { ServerResponse } from 'node:http';
import type { AllMiddlewareArgs, BlockAction, CustomRoute, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Button, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { HOOTSUITE_CALLBACK_PATH, missingWords, type ConnectOutcome } from '../services/hootsuite-connect';
import { guardRespond } from './acted-message';
import { answerError } from './answer-error';
import type { BotDeps } from './deps';
import { askerOf, type AskerContext, type KeeperApp } from './identity';
import { escapeText } from './mrkdwn';
import { notePage, sendPage, type PageLinks } from './oauth/pages';

export const CONNECT_HOOTSUITE_ACTION = 'ck_connect_hootsuite';
/** The link button to Hootsuite: Slack opens the address and sends an action too, acknowledged and ignored. */
const OPEN_HOOTSUITE_ACTION = 'ck_open_hootsuite';

/**
 * The page's Connect (or Reconnect) Hootsuite button, or, when the server is not set up for it,
 * a context line saying what to set; null when there is nothing to show.
 */
export function connectHootsuiteOffer(
  deps: Pick<BotDeps, 'hootsuiteConnect'>,
  source: { exists: boolean; needsCredential: boolean },
): { button: Button } | { context: KnownBlock } | null {
  const connect = deps.hootsuiteConnect;
  if (!connect) return null;
  const missing = connect.missing;
  if (missing) return { context: { type: 'context', elements: [{ type: 'mrkdwn', text: missingWords(missing) }] } };
  const label = source.exists ? 'Reconnect Hootsuite' : 'Connect Hootsuite';
  return {
    button: {
      type: 'button',
      action_id: CONNECT_HOOTSUITE_ACTION,
      text: { type: 'plain_text', text: label },
      value: 'hootsuite',
      ...(source.needsCredential ? { style: 'primary' } : {}),
    },
  };
}

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs<AskerContext>;

export function registerHootsuiteConnect(app: KeeperApp, deps: BotDeps): void {
  app.action(CONNECT_HOOTSUITE_ACTION, async ({ ack, body, context, respond: slackRespond }: ActionArgs) => {
    await ack();
    const respond = guardRespond(slackRespond, body.response_url, deps, body.team?.id);
    try {
      const { workspace, actor } = await askerOf(context);
      if (!deps.hootsuiteConnect) throw new Error('Connect Hootsuite is not wired in this app');
      const { authorizeUrl } = await deps.hootsuiteConnect.start(deps, { workspace, actor });
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Open Hootsuite to connect it',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: 'Sign in to Hootsuite and allow Channel Keeper to read your social profiles; Hootsuite then sends you back here. The link is yours alone: it works once, for 10 minutes.',
            },
          },
          {
            type: 'actions',
            elements: [
              { type: 'button', action_id: OPEN_HOOTSUITE_ACTION, style: 'primary', text: { type: 'plain_text', text: 'Open Hootsuite' }, url: authorizeUrl },
            ],
          },
        ],
      });
    } catch (error) {
      await answerError(
        error,
        { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) },
        deps.logger,
      );
    }
  });
  app.action(OPEN_HOOTSUITE_ACTION, async ({ ack }) => ack());
}

export interface CallbackWiring {
  deps: BotDeps;
  links: PageLinks;
  /** The Slack client of a workspace: the admin's DM goes through it. */
  slackFor: (workspaceId: string) => WebClient;
}

/** `GET /hootsuite/oauth/callback?code=…&state=…` (or `?error=access_denied&state=…`). */
export function hootsuiteCallbackRoute({ deps, links, slackFor }: CallbackWiring): CustomRoute {
  return {
    path: HOOTSUITE_CALLBACK_PATH,
    method: ['GET'],
    handler: (req, res) => {
      const query = new URL(req.url ?? '/', 'http://bot').searchParams;
      const connect = deps.hootsuiteConnect;
      if (!connect) return void sendPage(res, 404, notePage(links, NOT_SET_UP));
      connect.finish(deps, { state: query.get('state'), code: query.get('code'), error: query.get('error') }).then(
        (outcome) => {
          answer(res, links, outcome, Boolean(deps.syncSources));
          if (outcome.kind === 'connected') afterConnected(deps, slackFor, outcome);
        },
        (error: unknown) => {
          deps.logger.error({ err: { message: (error as Error).message } }, 'Hootsuite connect failed');
          if (!res.headersSent)
            sendPage(
              res,
              500,
              notePage(links, { status: 'warn', title: 'Hootsuite was not connected', lead: 'Channel Keeper could not save the connection.', next: AGAIN }),
            );
        },
      );
    },
  };
}

const AGAIN = 'Press Connect Hootsuite in /channels sources again.';
const NOT_SET_UP = { status: 'warn', title: 'Connect Hootsuite is not set up', lead: 'This server is not set up to connect Hootsuite.' } as const;

function answer(res: ServerResponse, links: PageLinks, outcome: ConnectOutcome, syncing: boolean): void {
  switch (outcome.kind) {
    case 'connected': {
      const where = outcome.workspace.name ?? 'your workspace';
      const lead = outcome.refreshable
        ? `Channel Keeper now reads your Hootsuite social profiles for ${where}, and keeps the access fresh.`
        : `Channel Keeper now reads your Hootsuite social profiles for ${where}. Hootsuite gave no refresh token, so when the access ends, connect it again.`;
      return sendPage(
        res,
        200,
        notePage(links, {
          status: 'ok',
          title: `Hootsuite is connected to ${where}`,
          lead,
          next: syncing ? 'A sync starts now; /channels sources in Slack shows what it found.' : 'The next sync reads its social profiles.',
        }),
      );
    }
    case 'denied':
      return sendPage(
        res,
        200,
        notePage(links, {
          status: 'calm',
          title: 'Hootsuite was not connected',
          lead:
            outcome.error === 'access_denied'
              ? 'You chose not to allow Channel Keeper at Hootsuite, so nothing was connected and nothing was saved.'
              : // The query string is anyone's to write: only an error code's shape is shown back.
                `Hootsuite stopped the sign-in${/^[a-z0-9_]{1,60}$/.test(outcome.error) ? ` (it said “${outcome.error}”)` : ''}, so nothing was connected.`,
          next: `Changed your mind? ${AGAIN}`,
        }),
      );
    case 'bad_state':
      return sendPage(
        res,
        400,
        notePage(links, {
          status: 'warn',
          title: 'This link does not work any more',
          lead: 'A Connect Hootsuite link works once, for 10 minutes: this one was used already, expired, or is not one Channel Keeper made. Nothing was connected.',
          next: AGAIN,
        }),
      );
    case 'no_code':
      return sendPage(
        res,
        400,
        notePage(links, {
          status: 'warn',
          title: 'Hootsuite was not connected',
          lead: 'Hootsuite sent you back without a sign-in code. Nothing was connected.',
          next: AGAIN,
        }),
      );
    case 'not_admin':
      return sendPage(
        res,
        403,
        notePage(links, {
          status: 'warn',
          title: 'Hootsuite was not connected',
          lead: 'Only admins may connect Hootsuite, and the person who pressed the button is no longer one. Nothing was connected.',
          next: 'Ask an admin to connect it.',
        }),
      );
    case 'unavailable':
      return sendPage(res, 404, notePage(links, { ...NOT_SET_UP, next: missingWords(outcome.missing) }));
    case 'exchange_failed': {
      const words = {
        client: {
          lead: 'Hootsuite refused the app’s client id and secret, so nothing was connected.',
          next: 'Check HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET on the server running the bot, then press Connect Hootsuite again.',
          status: 502,
        },
        refused: {
          lead: `Hootsuite did not accept the sign-in (it answered ${outcome.status ?? 'with no token'}), so nothing was connected.`,
          next: `${AGAIN} If it keeps happening, check that the bot’s address${links.baseUrl ? ` ${links.baseUrl}${HOOTSUITE_CALLBACK_PATH}` : ''} is registered as a redirect URL of the Hootsuite app.`,
          status: 502,
        },
        unreachable: {
          lead: 'Channel Keeper could not reach Hootsuite to finish the sign-in, so nothing was connected.',
          next: `Wait a few minutes, then press Connect Hootsuite in /channels sources again.`,
          status: 502,
        },
      }[outcome.why];
      return sendPage(res, words.status, notePage(links, { status: 'warn', title: 'Hootsuite was not connected', lead: words.lead, next: words.next }));
    }
  }
}

/** The admin's DM, then a sync at once (when serve has syncs wired); neither holds the page. */
function afterConnected(deps: BotDeps, slackFor: CallbackWiring['slackFor'], outcome: Extract<ConnectOutcome, { kind: 'connected' }>): void {
  const workspaceId = outcome.workspace.id;
  const next = deps.syncSources ? 'A sync runs now; `/channels sources` shows what it found.' : 'The next sync reads its social profiles.';
  const text = `:link: Hootsuite is connected to ${escapeText(outcome.workspace.name ?? 'this workspace')}. ${next}`;
  slackFor(workspaceId)
    .chat.postMessage({ channel: outcome.userId, text })
    .catch((error: Error) => deps.logger.warn({ workspaceId, err: { message: error.message } }, 'could not tell the admin Hootsuite is connected'));
  deps
    .syncSources?.(workspaceId)
    .catch((error: Error) => deps.logger.warn({ workspaceId, err: { message: error.message } }, 'the sync after connecting Hootsuite failed'));
}
