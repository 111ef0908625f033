/**
 * Shared by every modal submission: reading fields, refusing with field errors (Slack shows them
 * under the fields, the modal stays open), and answering where the modal came from.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { ChannelKeeperError } from '../../errors';
import { isTrustedResponseUrl, updateActedMessage } from '../acted-message';
import { askerOf, profileOf, type AskerContext } from '../identity';
import { learnNames } from '../../services/members';
import { channelById } from '../../services/channels';
import { claimOnce, releaseClaim } from '../../services/workspace';
import { buildConnectionCard } from '../blocks/connection-card';
import type { BotDeps } from '../deps';
import { evaluateChannel } from '../evaluation-cache';
import { escapeKeepingMentions, truncate } from '../mrkdwn';
import type { Member, Workspace } from '../../domain';
import { PermissionError } from '../../services/permissions';
import { UsageError } from '../answer-error';
import { CODEC, type ModalMetadata } from '../interactions';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs<AskerContext>;
type Values = ViewSubmitAction['view']['state']['values'];
export type FieldErrors = Record<string, string>;

export function field(values: Values, id: string) {
  return values[id]?.[id];
}

export function textOf(values: Values, id: string): string {
  return field(values, id)?.value?.trim() ?? '';
}

/** A refusal that belongs under one field of the modal. */
export class FieldError extends ChannelKeeperError {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors).join('; '));
  }
}

export interface Submission {
  deps: BotDeps;
  workspace: Workspace;
  actor: Member;
  metadata: ModalMetadata;
  values: Values;
  client: WebClient;
}

/**
 * Runs `work`; its note is shown where the modal came from. Field problems keep the modal open
 * with the errors; other refusals replace the modal with the reason (nothing was changed).
 */
/** What a submission did: the note to show, the channel it changed, and the people it picked (whose names are learned). */
export interface SubmissionOutcome {
  note: string;
  connectionId?: number;
  picked?: readonly (string | null)[];
}

export function submissionListener(deps: BotDeps, work: (submission: Submission) => Promise<SubmissionOutcome>) {
  return async ({ ack, view, client, context }: ViewArgs): Promise<void> => {
    const metadata = CODEC.modal.decode(view.private_metadata);
    let outcome: SubmissionOutcome;
    let submission: Submission;
    // A modal is submitted once: the view id is claimed before the work and released when the work
    // is refused (the person corrects the form and submits the same view again).
    const claim = `view:${view.id}`;
    let claimed = false;
    try {
      const { workspace, actor } = await askerOf(context);
      claimed = await claimOnce(deps, claim, workspace.id);
      if (!claimed) return void (await ack({ response_action: 'update', view: noticeView('This form was already submitted; nothing was changed again.') }));
      submission = { deps, workspace, actor, metadata, values: view.state.values, client };
      outcome = await work(submission);
    } catch (error) {
      if (claimed) await releaseClaim(deps, claim).catch(() => undefined);
      if (error instanceof FieldError) return void (await ack({ response_action: 'errors', errors: error.errors }));
      const text =
        error instanceof UsageError || error instanceof PermissionError
          ? error.message
          : error instanceof ChannelKeeperError
            ? escapeKeepingMentions(error.message, error.mentions)
            : null;
      if (text === null) deps.logger.error({ err: (error as Error)?.message }, 'a modal submission failed');
      return void (await ack({
        response_action: 'update',
        view: noticeView(text ?? ':warning: Something went wrong on my side; nothing may have been saved. Please try again.'),
      }));
    }
    // Opened from Home: no message to update and no response_url, so the modal itself says what happened.
    if (!metadata.message && !metadata.responseUrl) {
      await ack({ response_action: 'update', view: noticeView(outcome.note) });
      return learnPicked(submission, outcome.picked ?? []);
    }
    await ack();
    await learnPicked(submission, outcome.picked ?? []);
    await tell(submission, outcome).catch((error) => deps.logger.warn({ err: (error as Error).message }, 'could not show the outcome of a modal'));
  };
}

/**
 * The names of the people a form picked, asked of Slack after the form is answered and cached for
 * the command line, which has no Slack to ask. A failure is logged: the change itself is saved.
 */
async function learnPicked(s: Submission, userIds: readonly (string | null)[]): Promise<void> {
  const people = userIds.filter((id): id is string => id !== null);
  if (!people.length) return;
  const request = { teamId: s.workspace.id, orgWide: null };
  await learnNames(s.deps, s.workspace.id, people, (userId) => profileOf(s.deps.logger, s.client, userId, request)).catch((error: unknown) =>
    s.deps.logger.warn({ err: (error as Error).message, workspace: s.workspace.id }, 'could not learn the names of the people picked'),
  );
}

async function tell(s: Submission, { note, connectionId }: { note: string; connectionId?: number }): Promise<void> {
  const { metadata } = s;
  if (metadata.message) return updateActedMessage(s.deps, s.client, s.workspace, metadata.message, note);
  if (!isTrustedResponseUrl(metadata.responseUrl, s.deps.slackApiUrl)) return;
  const connection = connectionId === undefined ? null : await channelById(s.deps, s.workspace.id, connectionId);
  // A modal opened from a card replaces the card; one opened by a command adds a message.
  const fromCard = metadata.fromCard === true && connection !== null;
  const blocks: KnownBlock[] | undefined = fromCard ? buildConnectionCard(await evaluateChannel(s.deps, s.workspace, connection), note) : undefined;
  await postToResponseUrl(metadata.responseUrl, { response_type: 'ephemeral', replace_original: fromCard, text: note, ...(blocks ? { blocks } : {}) });
}

/** Modals have no `respond`; the slash command's response_url stays usable for 30 minutes. */
export async function postToResponseUrl(url: string, message: Record<string, unknown>): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

export function noticeView(text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Channel Keeper' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }],
  };
}
