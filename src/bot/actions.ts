/**
 * Buttons and menus: on cards, lists, Home, and delivery's warning messages (same ACTION ids).
 * Every press is acked at once; the asker and the channel its value names are loaded again (never
 * trusted from the payload); the work is a service call, its result rendered as a note where the
 * press came from; refusals answer the presser alone.
 *
 * The actions on one channel are one table, `PRESSES`: a button, a warning's snooze select and a
 * digest item's overflow option all decode their value with the codec of src/bot/interactions.ts
 * and run the same row.
 */
import type { AllMiddlewareArgs, BlockAction, BlockElementAction, RespondFn, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Connection, Member, Workspace } from '../domain';
import { NotFoundError } from '../errors';
import { recordActivity, recordRefresh, snoozeWarnings, todayOf } from '../services/caretaking';
import { channelById, markReconnected, removeConnection } from '../services/channels';
import { acknowledgeWarnings } from '../services/escalation';
import { assertMay } from '../services/permissions';
import { guardRespond, isTrustedResponseUrl, updateActedMessage, type ActedMessage } from './acted-message';
import { alertChannelOf, askerOf, type AskerContext, type KeeperApp } from './identity';
import { answerError } from './answer-error';
import { buildChannelModal } from './blocks/channel-modal';
import { buildConnectionCard } from './blocks/connection-card';
import { buildDisconnectModal } from './blocks/disconnect-modal';
import { buildPersonModal } from './blocks/person-modal';
import { buildSettingsModal } from './blocks/settings-modal';
import type { BotDeps } from './deps';
import { registerFullList } from './full-list-listener';
import { evaluateChannel } from './evaluation-cache';
import { ACTION, CODEC, type ConnectionActionId, type ConnectionButton, type ModalMetadata, type SnoozeChoice } from './interactions';
import { acknowledgedNote, activeNote, reconnectedNote, refreshedNote, removedNote, snoozedNote } from './notes';
import { parseSnooze } from './parse';
import { historyPage, statusPage } from './queries';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs<AskerContext>;

interface ActionSource {
  /** A channel message (a warning or digest): updated with chat.update. */
  message: ActedMessage | null;
  /** An ephemeral message (a card or list from a command): replaced through response_url. */
  ephemeral: boolean;
}

/** A press on one channel, checked: who pressed, in which workspace, on which channel, from where. */
interface Press {
  deps: BotDeps;
  workspace: Workspace;
  actor: Member;
  connection: Connection;
  value: ConnectionButton;
  /** The snooze length chosen (a snooze select or a digest menu's snooze option). */
  snooze?: SnoozeChoice;
  source: ActionSource;
  client: WebClient;
  respond: RespondFn;
  body: BlockAction;
}

/** What each channel action does when pressed: a service call and its note, or a modal to open first. */
const PRESSES: Record<ConnectionActionId, (p: Press) => Promise<void>> = {
  [ACTION.markRefreshed]: async (p) => finish(p, refreshedNote(p.actor.userId, await recordRefresh(p.deps, p, p.connection))),
  [ACTION.iWasActive]: async (p) => finish(p, activeNote(p.actor.userId, await recordActivity(p.deps, p, p.connection))),
  [ACTION.markReconnected]: async (p) =>
    finish(p, reconnectedNote(p.actor.userId, await markReconnected(p.deps, p, p.connection, todayOf(p.deps, p.workspace)))),
  [ACTION.snooze]: async (p) =>
    finish(p, snoozedNote(p.actor.userId, await snoozeWarnings(p.deps, p, p.connection, parseSnooze(p.snooze ?? '1d'), p.value.warningIds))),
  // "I'm on it": the warning stays open with its buttons; the message says who took it (docs/rules.md "Escalation").
  [ACTION.acknowledge]: async (p) => {
    const note = acknowledgedNote(p.actor.userId, await acknowledgeWarnings(p.deps, p, p.connection, p.value.warningIds));
    if (!p.source.message) return finish(p, note);
    await updateActedMessage(p.deps, p.client, p.workspace, p.source.message, note, { markActed: false });
  },
  [ACTION.confirmRemove]: async (p) =>
    void (await p.respond({ replace_original: true, text: removedNote(p.actor.userId, await removeConnection(p.deps, p, p.connection)) })),
  // The modals check the right first: a form that then says "no" wastes the asker's time.
  [ACTION.addBackup]: async (p) => {
    assertMay(p.actor, 'care', 'add a backup admin', p.connection);
    await p.client.views.open({ trigger_id: p.body.trigger_id, view: buildPersonModal('backup', p.connection, metadataFor(p)) });
  },
  [ACTION.reassignOwner]: async (p) => {
    assertMay(p.actor, 'lead', 'reassign an owner', p.connection);
    await p.client.views.open({ trigger_id: p.body.trigger_id, view: buildPersonModal('owner', p.connection, metadataFor(p)) });
  },
  [ACTION.markDisconnected]: async (p) => {
    assertMay(p.actor, 'lead', 'mark a channel disconnected', p.connection);
    await p.client.views.open({ trigger_id: p.body.trigger_id, view: buildDisconnectModal(p.connection, todayOf(p.deps, p.workspace), metadataFor(p)) });
  },
  // Shows the history to the presser alone, leaving the message as it is.
  [ACTION.viewHistory]: async (p) => {
    const { text, blocks } = await historyPage(p.deps, p.workspace.id, p.connection, 0);
    await p.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
  },
};

export function register(app: KeeperApp, deps: BotDeps): void {
  for (const id of Object.keys(PRESSES) as ConnectionActionId[]) {
    if (id === ACTION.snooze || id === ACTION.acknowledge) continue;
    app.action(
      id,
      connectionListener(deps, (body) => decodePressed(body, CODEC.button.decode), PRESSES[id]),
    );
  }
  app.action(
    ACTION.snooze,
    connectionListener(deps, (body) => decodePressed(body, CODEC.snoozeOption.decode), PRESSES[ACTION.snooze]),
  );
  app.action(
    ACTION.acknowledge,
    connectionListener(deps, (body) => decodePressed(body, CODEC.acknowledge.decode), PRESSES[ACTION.acknowledge]),
  );
  // A digest item's overflow: each option names its action; the same row runs as for the button.
  app.action(
    ACTION.itemMenu,
    connectionListener(
      deps,
      (body) => decodePressed(body, CODEC.itemMenuOption.decode),
      (p, option) => PRESSES[option.action](p),
    ),
  );
  app.action(ACTION.cancel, async ({ ack, body, respond }) => {
    await ack();
    await guardRespond(respond, (body as { response_url?: string }).response_url, deps, body.team?.id)({ delete_original: true });
  });
  registerNextPage(app, deps);
  registerHomeButtons(app, deps);
  registerFullList(app, deps);
}

/** The value of the pressed element: a button's value, or the chosen option of a select/overflow. */
function pressedValue(action: BlockElementAction): string | undefined {
  const a = action as { value?: string; selected_option?: { value?: string } | null };
  return a.selected_option?.value ?? a.value;
}

function decodePressed<T>(body: BlockAction, decode: (raw: string | undefined) => T | null): T | null {
  const action = body.actions[0];
  return action ? decode(pressedValue(action)) : null;
}

function sourceOf(body: BlockAction): ActionSource {
  const container = body.container as { is_ephemeral?: boolean; channel_id?: string; message_ts?: string };
  const ephemeral = container.is_ephemeral === true;
  const channel = body.channel?.id ?? container.channel_id;
  const ts = body.message?.ts ?? container.message_ts;
  if (ephemeral || !channel || !ts) return { message: null, ephemeral };
  // Where the press came from, and which block: positions only. The message's blocks and text in the
  // payload are not used (src/bot/acted-message rebuilds a stored message from the database).
  return { message: { channel, ts, blockId: body.actions[0]?.block_id }, ephemeral };
}

/** `respond` posts to the payload's response_url: only when that points at Slack (or SLACK_API_URL's host). */
function guardedRespond(deps: BotDeps, body: BlockAction, respond: RespondFn): RespondFn {
  return guardRespond(respond, body.response_url, deps, body.team?.id);
}

function ephemeralReply(respond: RespondFn) {
  return { ephemeral: async (text: string) => void (await respond({ response_type: 'ephemeral', replace_original: false, text })) };
}

/** The shape every channel action shares: ack, decode, load the asker and the channel, run the row. */
function connectionListener<V extends ConnectionButton & { snooze?: SnoozeChoice }>(
  deps: BotDeps,
  decode: (body: BlockAction) => V | null,
  work: (press: Press, value: V) => Promise<void>,
) {
  return async ({ ack, body, client, context, respond: slackRespond }: ActionArgs): Promise<void> => {
    await ack();
    const respond = guardedRespond(deps, body, slackRespond);
    try {
      const value = decode(body);
      if (!value || !body.team) throw new NotFoundError('This button does not name a channel any more; type `/channels status` to find it.');
      const { workspace, actor } = await askerOf(context);
      const connection = await channelById(deps, workspace.id, value.connectionId);
      if (!connection) throw new NotFoundError('That channel was removed from Channel Keeper; type `/channels status` to see the current list.');
      await work({ deps, workspace, actor, connection, value, snooze: value.snooze, source: sourceOf(body), client, respond, body }, value);
    } catch (error) {
      await answerError(error, ephemeralReply(respond), deps.logger);
    }
  };
}

/** Shows the note: on the channel message in place, or on a fresh copy of the ephemeral card. */
async function finish(p: Press, note: string): Promise<void> {
  if (p.source.message) return updateActedMessage(p.deps, p.client, p.workspace, p.source.message, note);
  const connection = await channelById(p.deps, p.workspace.id, p.connection.id);
  if (!connection) return void (await p.respond({ replace_original: true, text: note }));
  const report = await evaluateChannel(p.deps, p.workspace, connection);
  await p.respond({ replace_original: true, text: note, blocks: buildConnectionCard(report, note) });
}

/** What a modal opened from this press must remember to update the message after submission. */
function metadataFor(p: Press): ModalMetadata {
  const message = p.source.message;
  // Ids only: what the submission updates is looked up again then (src/bot/acted-message).
  const responseUrl = p.source.ephemeral && isTrustedResponseUrl(p.body.response_url, p.deps.slackApiUrl) ? p.body.response_url : undefined;
  return {
    connectionId: p.connection.id,
    responseUrl,
    fromCard: p.source.ephemeral,
    message: message ? { channel: message.channel, ts: message.ts, blockId: message.blockId } : undefined,
  };
}

/** "Next page" on a status list or a history: runs the query in the button's value again, one page on. */
function registerNextPage(app: KeeperApp, deps: BotDeps): void {
  app.action(ACTION.nextPage, async ({ ack, body, context, respond: slackRespond }: ActionArgs) => {
    await ack();
    const respond = guardedRespond(deps, body, slackRespond);
    try {
      const value = decodePressed(body, CODEC.page.decode);
      if (!value || !body.team) throw new NotFoundError('This button has expired; type the command again.');
      const { workspace } = await askerOf(context);
      let page;
      if (value.list === 'status') {
        page = await statusPage(deps, workspace, value.filter, value.page);
      } else {
        const connection = value.connectionId === undefined ? null : await channelById(deps, workspace.id, value.connectionId);
        if (value.connectionId !== undefined && !connection) throw new NotFoundError('That channel was removed from Channel Keeper.');
        page = await historyPage(deps, workspace.id, connection, value.page);
      }
      await respond({ replace_original: true, text: page.text, blocks: page.blocks });
    } catch (error) {
      await answerError(error, ephemeralReply(respond), deps.logger);
    }
  });
}

/** App Home buttons: "Add a channel" and "Settings" open the same modals as the commands. */
function registerHomeButtons(app: KeeperApp, deps: BotDeps): void {
  app.action(ACTION.openAddChannel, async ({ ack, body, client, context }: ActionArgs) => {
    await ack();
    await fromHome(deps, client, body, async () => {
      const { actor } = await askerOf(context);
      assertMay(actor, 'lead', 'add channels');
      await client.views.open({ trigger_id: body.trigger_id, view: buildChannelModal({}) });
    });
  });
  app.action(ACTION.openSettings, async ({ ack, body, client, context }: ActionArgs) => {
    await ack();
    await fromHome(deps, client, body, async () => {
      const { workspace, actor } = await askerOf(context);
      assertMay(actor, 'admin', 'change settings');
      await client.views.open({ trigger_id: body.trigger_id, view: buildSettingsModal(workspace, alertChannelOf(deps, workspace), {}) });
    });
  });
}

/** The Home tab has no response_url: a refusal opens a small modal saying why. */
async function fromHome(deps: BotDeps, client: WebClient, body: BlockAction, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const ephemeral = async (text: string) =>
      void (await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Channel Keeper' },
          close: { type: 'plain_text', text: 'Close' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
        },
      }));
    await answerError(error, { ephemeral }, deps.logger).catch((failure) => deps.logger.error({ err: String(failure) }, 'could not answer a Home action'));
  }
}
