/**
 * `/channels sources` (admins): each source with its last sync, counts and error, a "Sync now"
 * button that syncs the workspace's sources at once, and "Connect Hootsuite" when the server has
 * a Hootsuite app (docs/sources.md). Dates say where they come
 * from: "Hootsuite: synced 10:42".
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { introspectedBy, SOURCE_NAMES, type Workspace } from '../domain';
import { ValidationError } from '../errors';
import { assertMay } from '../services/permissions';
import { addSource, listSources, setIntrospectionToken, type Observation } from '../services/sources';
import { channelById } from '../services/channels';
import type { Connection } from '../domain';
import { FieldError, submissionListener, textOf } from './views/submission';
import { CODEC } from './interactions';
import type { SyncReport } from '../services/sync-report';
import { guardRespond } from './acted-message';
import { answerError } from './answer-error';
import type { BotDeps } from './deps';
import { askerOf, type AskerContext, type KeeperApp } from './identity';
import { escapeText } from './mrkdwn';
import { tokenSaid } from './blocks/connection-card';
import { connectHootsuiteOffer } from './hootsuite-connect';

export const SYNC_SOURCES_ACTION = 'ck_sync_sources';
/** On an admin's card of a LinkedIn, Facebook, Instagram or Threads channel: the token its introspection reads. */
export const SET_TOKEN_ACTION = 'ck_set_token';
export const SET_TOKEN_VIEW = 'ck_view_set_token';
/** On `/channels sources`: a form for Buffer's API key. */
export const ADD_BUFFER_ACTION = 'ck_add_buffer';
export const ADD_BUFFER_VIEW = 'ck_view_add_buffer';
const BUFFER_KEY_FIELD = 'buffer_api_key';
const TOKEN_FIELD = 'introspection_token';

/** The card's "Set token" button, for admins, on channels a team's own app can introspect. */
export function tokenButtonBlock(connection: Connection, isAdmin: boolean): KnownBlock[] {
  if (!isAdmin || introspectedBy(connection.network) === null) return [];
  return [
    {
      type: 'actions',
      block_id: 'card_sources',
      elements: [{ type: 'button', action_id: SET_TOKEN_ACTION, text: { type: 'plain_text', text: 'Set introspection token' }, value: String(connection.id) }],
    },
  ];
}

export async function sourcesPage(deps: BotDeps, workspace: Workspace, report?: SyncReport): Promise<{ text: string; blocks: KnownBlock[] }> {
  const sources = await listSources(deps, workspace.id);
  const zone = workspace.timeZone;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Sources' } }];
  const hootsuite = sources.find((s) => s.kind === 'hootsuite');
  const offer = connectHootsuiteOffer(deps, { exists: Boolean(hootsuite), needsCredential: hootsuite?.needsCredential ?? false });
  const connectButton = offer && 'button' in offer ? [offer.button] : [];
  const connectContext = offer && 'context' in offer ? [offer.context] : [];
  if (!sources.length) {
    const text =
      (connectButton.length ? 'No source yet. Connect Hootsuite below, or add' : 'No source yet. Add') +
      ' one from the command line: `channel-keeper sources add <hootsuite|buffer|linkedin-app|meta-app> --workspace ' +
      workspace.id +
      ' …` (see docs/sources.md).';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    blocks.push({
      type: 'actions',
      elements: [...connectButton, { type: 'button', action_id: ADD_BUFFER_ACTION, text: { type: 'plain_text', text: 'Buffer API key' }, value: 'buffer' }],
    });
    blocks.push(...connectContext);
    return { text: 'No source yet', blocks };
  }
  for (const s of sources) {
    const name = SOURCE_NAMES[s.kind];
    const when = s.lastSyncAt ? `synced ${s.lastSyncAt.toLocaleString('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })}` : 'never synced';
    const state = s.needsCredential
      ? ':key: needs a new credential'
      : s.lastSyncOk === false
        ? ':warning: last sync failed'
        : s.lastSyncOk
          ? ':white_check_mark: ok'
          : '';
    const counts = Object.entries(s.counts)
      .filter(([k, v]) => v > 0 || !(k in RARE_COUNTS))
      .map(([k, v]) => `${v} ${RARE_COUNTS[k] ?? k}`)
      .join(', ');
    const lines = [
      `*${name}* (\`${s.kind}\`): ${when} ${state}`,
      counts ? `Last sync: ${counts}` : '',
      s.lastError ? `Error: ${escapeText(s.lastError)}` : '',
    ].filter(Boolean);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  }
  if (report) {
    const failed = report.sources.filter((s) => !s.ok).length;
    const summary = `Synced now: ${report.created.length} created, ${report.disconnected.length} disconnected, ${report.reconnected.length} reconnected${failed ? `, ${failed} failed` : ''}.`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: summary }] });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', action_id: SYNC_SOURCES_ACTION, text: { type: 'plain_text', text: 'Sync now' }, value: 'sync' }, ...connectButton],
  });
  blocks.push(...connectContext);
  return { text: `Sources: ${sources.map((s) => SOURCE_NAMES[s.kind]).join(', ')}`, blocks };
}

/** Counts a sync keeps that are usually 0 (said only when not), in words. */
const RARE_COUNTS: Readonly<Record<string, string>> = {
  superseded: 'tokens older than their last refresh (give the new ones on their cards)',
  dated: 'token dates recorded',
};

/**
 * A list line's source badge: the tool that holds it, or what a source observed ("Hootsuite:
 * reconnect needed"), and the token's end as the network said it ("LinkedIn: expires 2027-01-03").
 */
export function sourceBadge(o: Observation | null, c: Connection): string | null {
  if (o?.observedState === 'disconnected' && o.observedReason) return `:link: ${escapeText(o.observedReason)}`;
  const said = tokenSaid(c);
  if (o?.source) return `:link: ${SOURCE_NAMES[o.source]}${said ? ` · ${said}` : ''}`;
  return said ? `:link: ${said}` : null;
}

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs<AskerContext>;

export function registerSources(app: KeeperApp, deps: BotDeps): void {
  app.action(ADD_BUFFER_ACTION, async ({ ack, body, client, context, respond: slackRespond }: ActionArgs) => {
    await ack();
    const respond = guardRespond(slackRespond, body.response_url, deps, body.team?.id);
    try {
      const { actor } = await askerOf(context);
      assertMay(actor, 'admin', 'add a source');
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: ADD_BUFFER_VIEW,
          title: { type: 'plain_text', text: 'Buffer API key' },
          submit: { type: 'plain_text', text: 'Save' },
          close: { type: 'plain_text', text: 'Cancel' },
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: "Your Buffer account's API key (Buffer: Settings, API). It is stored encrypted and never shown again; it replaces the key saved before.",
              },
            },
            {
              type: 'input',
              block_id: BUFFER_KEY_FIELD,
              label: { type: 'plain_text', text: 'API key' },
              element: { type: 'plain_text_input', action_id: BUFFER_KEY_FIELD },
            },
          ],
        },
      });
    } catch (error) {
      await answerError(
        error,
        { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) },
        deps.logger,
      );
    }
  });
  app.view(
    ADD_BUFFER_VIEW,
    submissionListener(deps, async (s) => {
      const key = textOf(s.values, BUFFER_KEY_FIELD);
      if (!key || /\s/.test(key)) throw new FieldError({ [BUFFER_KEY_FIELD]: 'Paste the API key alone: one word, no spaces.' });
      if (!deps.sourceKeys) throw new ValidationError('Sources cannot be added here: TOKEN_ENCRYPTION_KEY is not set on the server running the bot.');
      await addSource(deps, deps.sourceKeys, s, { kind: 'buffer', secret: key });
      return { note: 'Buffer is added as a source; the next sync (or *Sync now* in `/channels sources`) reads its channels.' };
    }),
  );
  app.action(SET_TOKEN_ACTION, async ({ ack, body, client, context, respond: slackRespond }: ActionArgs) => {
    await ack();
    const respond = guardRespond(slackRespond, body.response_url, deps, body.team?.id);
    try {
      const { workspace, actor } = await askerOf(context);
      const id = Number((body.actions[0] as { value?: string }).value);
      const connection = Number.isInteger(id) ? await channelById(deps, workspace.id, id) : null;
      if (!connection) throw new ValidationError('That channel was removed from Channel Keeper.');
      assertMay(actor, 'admin', 'set an introspection token', connection);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: SET_TOKEN_VIEW,
          private_metadata: CODEC.modal.encode({ connectionId: connection.id }),
          title: { type: 'plain_text', text: 'Introspection token' },
          submit: { type: 'plain_text', text: 'Save' },
          close: { type: 'plain_text', text: 'Cancel' },
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: `The token of *${escapeText(connection.name)}* your team's own LinkedIn or Meta app issued (its refresh token when there is one). It is stored encrypted and never shown again; each sync asks the app whether it still works and when it ends. Leave it empty to remove it.`,
              },
            },
            {
              type: 'input',
              block_id: TOKEN_FIELD,
              optional: true,
              label: { type: 'plain_text', text: 'Token' },
              element: { type: 'plain_text_input', action_id: TOKEN_FIELD },
            },
          ],
        },
      });
    } catch (error) {
      await answerError(
        error,
        { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) },
        deps.logger,
      );
    }
  });
  app.view(
    SET_TOKEN_VIEW,
    submissionListener(deps, async (s) => {
      const connection = s.metadata.connectionId === undefined ? null : await channelById(deps, s.workspace.id, s.metadata.connectionId);
      if (!connection) throw new ValidationError('That channel was removed from Channel Keeper.');
      const token = textOf(s.values, TOKEN_FIELD);
      if (token && !deps.sourceKeys) throw new ValidationError('Tokens cannot be stored here: TOKEN_ENCRYPTION_KEY is not set on the server running the bot.');
      await setIntrospectionToken(deps, deps.sourceKeys ?? null, s, connection, token || null);
      const note = token
        ? `The introspection token of ${escapeText(connection.name)} is set; each sync asks the app about it.`
        : `The introspection token of ${escapeText(connection.name)} is removed.`;
      return { note, connectionId: connection.id };
    }),
  );
  app.action(SYNC_SOURCES_ACTION, async ({ ack, body, context, respond: slackRespond }: ActionArgs) => {
    await ack();
    const respond = guardRespond(slackRespond, body.response_url, deps, body.team?.id);
    try {
      const { workspace, actor } = await askerOf(context);
      assertMay(actor, 'admin', 'sync the sources');
      if (!deps.syncSources) throw new ValidationError('Sources cannot be synced here: TOKEN_ENCRYPTION_KEY is not set on the server running the bot.');
      const report = await deps.syncSources(workspace.id);
      const page = await sourcesPage(deps, workspace, report);
      await respond({ replace_original: true, text: page.text, blocks: page.blocks });
    } catch (error) {
      await answerError(
        error,
        { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) },
        deps.logger,
      );
    }
  });
}
