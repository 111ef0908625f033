/**
 * `/channels sources` (admins): each source with its last sync, counts and error, and a "Sync now"
 * button that syncs the workspace's sources at once (docs/sources.md). Dates say where they come
 * from: "Hootsuite: synced 10:42".
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { SOURCE_NAMES, type Workspace } from '../domain';
import { ValidationError } from '../errors';
import { assertMay } from '../services/permissions';
import { listSources } from '../services/sources';
import type { SyncReport } from '../services/sync-report';
import { guardRespond } from './acted-message';
import { answerError } from './answer-error';
import type { BotDeps } from './deps';
import { askerOf, type AskerContext, type KeeperApp } from './identity';
import { escapeText } from './mrkdwn';

export const SYNC_SOURCES_ACTION = 'ck_sync_sources';

export async function sourcesPage(deps: BotDeps, workspace: Workspace, report?: SyncReport): Promise<{ text: string; blocks: KnownBlock[] }> {
  const sources = await listSources(deps, workspace.id);
  const zone = workspace.timeZone;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Sources' } }];
  if (!sources.length) {
    const text =
      'No source yet. Add one from the command line: `channel-keeper sources add <hootsuite|buffer|linkedin-app|meta-app> --workspace ' +
      workspace.id +
      ' …` (see docs/sources.md).';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
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
      .map(([k, v]) => `${v} ${k}`)
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
    elements: [{ type: 'button', action_id: SYNC_SOURCES_ACTION, text: { type: 'plain_text', text: 'Sync now' }, value: 'sync' }],
  });
  return { text: `Sources: ${sources.map((s) => SOURCE_NAMES[s.kind]).join(', ')}`, blocks };
}

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs<AskerContext>;

export function registerSources(app: KeeperApp, deps: BotDeps): void {
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
