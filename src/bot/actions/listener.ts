/**
 * The shape every connection button shares: ack at once, load the asker and the channel, do the
 * work, then show the outcome where the press came from; refusals answer the presser alone.
 */
import type { AllMiddlewareArgs, BlockAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { updateActedMessage } from '../acted-message';
import { buildConnectionCard } from '../blocks/connection-card';
import { answerError } from '../answer-error';
import type { BotDeps } from '../deps';
import { reportOnOne } from '../health-report';
import { connectionAction, type ConnectionAction } from './action-context';

export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export interface ActionTools {
  client: WebClient;
  respond: RespondFn;
  body: BlockAction;
}

export function ephemeralReply(respond: RespondFn) {
  return { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) };
}

export function connectionListener(deps: BotDeps, work: (action: ConnectionAction, tools: ActionTools) => Promise<void>) {
  return async ({ ack, body, client, respond }: ActionArgs): Promise<void> => {
    await ack();
    try {
      const action = await connectionAction(deps, body, client);
      await work(action, { client, respond, body });
    } catch (error) {
      await answerError(error, ephemeralReply(respond), deps.logger);
    }
  };
}

/** Shows the note: on the channel message in place, or on a fresh copy of the ephemeral card. */
export async function finishAction(action: ConnectionAction, tools: Pick<ActionTools, 'client' | 'respond'>, note: string): Promise<void> {
  if (action.source.message) return updateActedMessage(tools.client, action.source.message, note);
  const connection = await action.deps.store.connections.findById(action.workspace.id, action.connection.id);
  if (!connection) return void (await tools.respond({ replace_original: true, text: note }));
  const report = await reportOnOne(action.deps, action.workspace, connection);
  await tools.respond({ replace_original: true, text: note, blocks: buildConnectionCard(report, note) });
}
