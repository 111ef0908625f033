/**
 * "Full list" on a digest or a DM opens a modal with every warning the message carries, a page at
 * a time; its Previous and Next buttons turn the page in place (views.update). The message is
 * named by where the press came from (or, in the modal, by the page button's value) and read
 * through the services layer, only if the bot stored it for the presser's workspace.
 */
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { NotFoundError } from '../errors';
import { toWarningItem } from '../outbox/warning-item';
import { todayIn } from '../rules/calendar';
import { resolvePolicy } from '../rules/policy';
import { messageListPage } from '../services/message-list';
import { answerError } from './answer-error';
import { buildFullListModal, FULL_LIST_PAGE_SIZE } from './blocks/full-list';
import type { BotDeps } from './deps';
import { askerOf, type AskerContext, type KeeperApp } from './identity';
import { ACTION, CODEC } from './interactions';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs<AskerContext>;

const GONE = 'That list is no longer available; type `/channels status` to see every channel.';

export function registerFullList(app: KeeperApp, deps: BotDeps): void {
  for (const id of [ACTION.fullList, ACTION.fullListPrevious, ACTION.fullListNext]) {
    app.action(id, async ({ ack, body, client, context }: ActionArgs) => {
      await ack();
      try {
        const action = body.actions[0] as { value?: string } | undefined;
        const value = CODEC.fullList.decode(action?.value);
        const container = body.container as { channel_id?: string; message_ts?: string };
        const message = value?.message ?? (container.channel_id && container.message_ts ? { channel: container.channel_id, ts: container.message_ts } : null);
        if (!value || !message) throw new NotFoundError(GONE);
        const { workspace } = await askerOf(context);
        const page = await messageListPage(deps, workspace.id, message, value.page * FULL_LIST_PAGE_SIZE, FULL_LIST_PAGE_SIZE);
        if (!page) throw new NotFoundError(GONE);
        const today = todayIn(page.postedAt, workspace.timeZone);
        const items = page.rows.map(({ warning, connection }) =>
          toWarningItem(warning, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides, connection.tool) }),
        );
        const view = buildFullListModal({
          message,
          recipient: page.kind === 'dm' ? page.recipient : null,
          summary: { total: page.total, bySeverity: page.bySeverity, settled: page.settled },
          items,
          page: value.page,
        });
        if (body.view?.id) await client.views.update({ view_id: body.view.id, hash: body.view.hash, view });
        else await client.views.open({ trigger_id: body.trigger_id, view });
      } catch (error) {
        await answerError(error, { ephemeral: (text) => notice(client, body, text) }, deps.logger).catch((failure: unknown) =>
          deps.logger.error({ err: String(failure) }, 'could not answer a full list press'),
        );
      }
    });
  }
}

/** A refusal or a list gone: said in a small modal (a press in a DM or a modal has no thread to answer in). */
async function notice(client: WebClient, body: BlockAction, text: string): Promise<void> {
  const view = {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Channel Keeper' },
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
  };
  if (body.view?.id) await client.views.update({ view_id: body.view.id, view });
  else await client.views.open({ trigger_id: body.trigger_id, view });
}
