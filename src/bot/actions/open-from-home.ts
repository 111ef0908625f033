/** App Home buttons: "Add a channel" and "Settings" open the same modals as the commands. */
import type { App } from '@slack/bolt';
import { alertChannelOf, resolveAsker } from '../actor';
import { assertMay } from '../authorize';
import { ACTION } from '../blocks/action-ids';
import { buildChannelModal } from '../blocks/channel-modal';
import { buildSettingsModal } from '../blocks/settings-modal';
import { answerError } from '../answer-error';
import type { BotDeps } from '../deps';
import type { ActionArgs } from './listener';

export function registerOpenFromHome(app: App, deps: BotDeps): void {
  app.action(ACTION.openAddChannel, async ({ ack, body, client }: ActionArgs) => {
    await ack();
    await guarded(deps, client, body, async () => {
      const { actor } = await resolveAsker(deps, client, body.team!.id, body.user.id);
      assertMay(actor, 'lead', 'add channels');
      await client.views.open({ trigger_id: body.trigger_id, view: buildChannelModal({}) });
    });
  });
  app.action(ACTION.openSettings, async ({ ack, body, client }: ActionArgs) => {
    await ack();
    await guarded(deps, client, body, async () => {
      const { workspace, actor } = await resolveAsker(deps, client, body.team!.id, body.user.id);
      assertMay(actor, 'admin', 'change settings');
      await client.views.open({ trigger_id: body.trigger_id, view: buildSettingsModal(workspace, alertChannelOf(deps, workspace), {}) });
    });
  });
}

/** The Home tab has no response_url: a refusal opens a small modal saying why. */
async function guarded(deps: BotDeps, client: ActionArgs['client'], body: ActionArgs['body'], work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const ephemeral = async (text: string) =>
      void (await client.views.open({
        trigger_id: body.trigger_id,
        view: { type: 'modal', title: { type: 'plain_text', text: 'Channel Keeper' }, close: { type: 'plain_text', text: 'Close' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
      }));
    await answerError(error, { ephemeral }, deps.logger).catch((failure) => deps.logger.error({ err: String(failure) }, 'could not answer a Home action'));
  }
}
