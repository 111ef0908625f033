/**
 * Workflow Builder steps (Slack's custom steps: the manifest's `functions`, docs/workflows.md):
 * `hand_over_channels`, `record_refresh` and `channel_status`, each over the same use cases as the
 * `/channels` commands. A step that changes something acts for the person the workflow runs for
 * (its `acting_user` input, "Person who used this workflow"), with that person's role; without one
 * it fails saying so. Every run ends in functions.completeSuccess or functions.completeError.
 */
import type { WebClient } from '@slack/web-api';
import type { Connection } from '../domain';
import { ChannelKeeperError } from '../errors';
import { todayOf, recordRefresh } from '../services/caretaking';
import { handover, holdings } from '../services/channels';
import { meet, meetVisitor, type Asker } from '../services/members';
import { activeAdmins, activeTeamLeaders } from '../services/status-canvas';
import { buildHandoverList } from './blocks/handover-list';
import { healthWords } from './blocks/health-label';
import type { BotDeps } from './deps';
import { evaluateChannel } from './evaluation-cache';
import { profileOf, type KeeperApp } from './identity';
import { findNamedConnection, parseDateArgument, tokenize } from './parse';
import { count, joinList } from '../words';

/** The steps' callback ids, as the manifests' `functions` declare them. */
export const WORKFLOW_STEPS = ['hand_over_channels', 'record_refresh', 'channel_status'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** The input that names the person a workflow runs for (type `slack#/types/user_context`). */
export const ACTING_USER_INPUT = 'acting_user';

/** Each step's inputs and outputs (required ones first): the manifests declare exactly these. */
export const STEP_PARAMETERS: Record<WorkflowStep, { inputs: readonly string[]; required: readonly string[]; outputs: readonly string[] }> = {
  hand_over_channels: { inputs: ['leaving_user', 'successor', ACTING_USER_INPUT], required: ['leaving_user'], outputs: ['count', 'summary'] },
  record_refresh: { inputs: ['channel_name', 'date', ACTING_USER_INPUT], required: ['channel_name'], outputs: [] },
  channel_status: { inputs: ['channel_name', ACTING_USER_INPUT], required: ['channel_name'], outputs: ['health', 'next_deadline', 'owner'] },
};

/** Slack delivers a step's run as this event; the manifests subscribe to it. */
export const STEP_EVENT = 'function_executed';

type Inputs = Record<string, unknown>;
type Outputs = Record<string, string | number>;

/** What a step answers with: its outputs, or why it failed (the text the workflow's owner sees). */
class StepFailure extends ChannelKeeperError {}

interface StepContext {
  deps: BotDeps;
  client: WebClient;
  teamId: string;
  inputs: Inputs;
}

/** A user id from a `user_id` input, or a `user_context` one (`{ id, secret }`). */
function userOf(value: unknown): string | null {
  if (typeof value === 'string' && /^[UW][A-Z0-9]+$/.test(value)) return value;
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' && /^[UW][A-Z0-9]+$/.test(id) ? id : null;
}

function textInput(inputs: Inputs, name: string): string {
  const value = inputs[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** The person the workflow runs for, with their role; a change needs one. */
async function actingPerson(ctx: StepContext, what: string): Promise<Asker> {
  const userId = userOf(ctx.inputs[ACTING_USER_INPUT]);
  if (!userId) {
    throw new StepFailure(
      `Channel Keeper needs to know who runs this workflow to ${what}: in Workflow Builder, set the step's “Run as” input (${ACTING_USER_INPUT}) to “Person who used this workflow”.`,
    );
  }
  return meet(ctx.deps, ctx.teamId, userId, () => profileOf(ctx.deps.logger, ctx.client, userId, { teamId: ctx.teamId, orgWide: null }));
}

/** For a look only: the person when the workflow names one, else anyone (looking needs no role). */
function lookingPerson(ctx: StepContext): Promise<Asker> {
  return userOf(ctx.inputs[ACTING_USER_INPUT]) ? actingPerson(ctx, 'look') : meetVisitor(ctx.deps, ctx.teamId, 'workflow');
}

async function namedChannel(ctx: StepContext, workspaceId: string): Promise<Connection> {
  const name = textInput(ctx.inputs, 'channel_name');
  if (!name) throw new StepFailure('The step has no channel_name: give the name of a channel as Channel Keeper lists it (`/channels status`).');
  return (await findNamedConnection(ctx.deps, workspaceId, tokenize(name), `/channels show ${name}`)).connection;
}

const STEPS: Record<WorkflowStep, (ctx: StepContext) => Promise<Outputs>> = {
  async hand_over_channels(ctx) {
    const leavingId = userOf(ctx.inputs.leaving_user);
    if (!leavingId) throw new StepFailure('The step has no leaving_user: choose the person who is leaving.');
    const successorId = userOf(ctx.inputs.successor);
    if (successorId === leavingId) throw new StepFailure('The successor must be someone else than the person leaving.');
    if (successorId) {
      const asker = await actingPerson(ctx, 'hand channels over');
      const result = await handover(ctx.deps, asker, leavingId, successorId);
      const names = result.changes.map((c) => c.connection.name);
      const summary = names.length
        ? `${count(names.length, 'channel')} handed over from <@${leavingId}> to <@${successorId}>: ${joinList(names)}.`
        : `<@${leavingId}> owned or backed up no channel: nothing to hand over.`;
      return { count: names.length, summary };
    }
    // No successor: the team leaders get the list and decide.
    const asker = await lookingPerson(ctx);
    const held = await holdings(ctx.deps, asker, leavingId);
    if (!held.length) return { count: 0, summary: `<@${leavingId}> owns or backs up no channel.` };
    const leaders = await activeTeamLeaders(ctx.deps, ctx.teamId);
    const recipients = leaders.length ? leaders : await activeAdmins(ctx.deps, ctx.teamId);
    const text = `<@${leavingId}> is leaving and holds ${count(held.length, 'channel')}: hand them over with \`/channels handover <@${leavingId}> @successor\`.`;
    for (const to of recipients) await ctx.client.chat.postMessage({ channel: to, text, blocks: buildHandoverList(leavingId, held, null) });
    const who = leaders.length ? 'the team leaders' : 'the admins (there is no team leader)';
    return {
      count: held.length,
      summary: `<@${leavingId}> holds ${count(held.length, 'channel')}: ${joinList(held.map((c) => c.name))}. The list went to ${who}.`,
    };
  },

  async record_refresh(ctx) {
    const asker = await actingPerson(ctx, 'record a refresh');
    const connection = await namedChannel(ctx, asker.workspace.id);
    const date = textInput(ctx.inputs, 'date');
    const on = parseDateArgument(date || undefined, todayOf(ctx.deps, asker.workspace), `/channels refresh ${connection.name} YYYY-MM-DD`);
    await recordRefresh(ctx.deps, asker, connection, on);
    return {};
  },

  async channel_status(ctx) {
    const asker = await lookingPerson(ctx);
    const connection = await namedChannel(ctx, asker.workspace.id);
    const { summary } = await evaluateChannel(ctx.deps, asker.workspace, connection);
    return {
      health: healthWords(summary.health),
      // Optional outputs are left out rather than sent empty (Slack checks dates and user ids).
      ...(summary.nextDeadline ? { next_deadline: summary.nextDeadline.date } : {}),
      ...(connection.ownerId ? { owner: connection.ownerId } : {}),
    };
  },
};

/** Slack's mrkdwn out of a refusal: the workflow shows the error as plain text. */
function plain(message: string): string {
  return message.replace(/[*`]/g, '').replace(/<@([UW][A-Z0-9]+)>/g, '@$1');
}

/** One listener per step. */
export function registerWorkflowSteps(app: KeeperApp, deps: BotDeps): void {
  for (const step of WORKFLOW_STEPS) {
    app.function(step, async ({ inputs, complete, fail, client, body }) => {
      const teamId = (body as { team_id?: string }).team_id ?? '';
      try {
        const outputs = await STEPS[step]({ deps, client, teamId, inputs: (inputs ?? {}) as Inputs });
        await complete({ outputs });
      } catch (error) {
        const known = error instanceof ChannelKeeperError;
        if (!known) deps.logger.error({ err: (error as Error).message, step, workspace: teamId }, 'workflow step failed');
        const message = known
          ? plain(error.message)
          : `Channel Keeper could not run ${step}: an unexpected error. Try again; if it keeps failing, an admin can look at the bot's logs.`;
        await fail({ error: message });
      }
    });
  }
}
