/**
 * The `/channels` command: ack at once (Slack's 3 s), parse the subcommand, run it, and answer
 * through response_url; every refusal becomes an answer for the asker alone. The subcommands are
 * one table: parsing the words is Slack's business, the work is a service call, the answer a note.
 */
import type { RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { isNetwork } from '../rules/policy';
import { NETWORKS, type Connection, type Member, type Workspace } from '../domain';
import { addBackup, recordActivity, recordRefresh, removeBackup, snoozeWarnings, todayOf } from '../services/caretaking';
import { personalCalendarSecret, workspaceCalendarSecret } from '../services/calendar';
import { handover as handOver, holdings, markDisconnected, markReconnected, reassignOwner, restoreConnection, retireConnection } from '../services/channels';
import { assertMay } from '../services/permissions';
import { setOutage, setRole } from '../services/workspace';
import { guardRespond, isTrustedResponseUrl } from './acted-message';
import { answerError, UsageError } from './answer-error';
import { buildChannelModal } from './blocks/channel-modal';
import { buildConfirmRemove } from './blocks/confirm-remove';
import { buildConnectionCard } from './blocks/connection-card';
import { healthWords } from './blocks/health-label';
import { buildHandoverList } from './blocks/handover-list';
import { buildSettingsModal } from './blocks/settings-modal';
import type { BotDeps } from './deps';
import { alertChannelOf, askerOf, type KeeperApp } from './identity';
import { evaluateChannel } from './evaluation-cache';
import { answerReport } from './report-command';
import { escapeMrkdwn, escapeText, mention, truncate } from './mrkdwn';
import {
  activeNote,
  backupAddedNote,
  backupRemovedNote,
  calendarFeedUrl,
  calendarNote,
  disconnectedNote,
  handoverTitle,
  outageNote,
  ownerNote,
  reconnectedNote,
  refreshedNote,
  restoredNote,
  retiredNote,
  roleNote,
  slackTime,
  snoozedNote,
} from './notes';
import {
  closest,
  findNamedConnection,
  parseUserMention,
  joinWords,
  MAX_COMMAND_TEXT,
  tokenize,
  type Word,
  DATE_WORDS,
  parseDateArgument,
  parseDisconnectReason,
  parseRole,
  parseSnooze,
} from './parse';
import { count } from '../words';
import { historyPage, STATUS_USAGE, statusPage } from './queries';
import { sourcesPage, tokenButtonBlock } from './sources-page';
import { observationOf } from '../services/sources';

export const CHANNELS_COMMAND = '/channels';

export interface Reply {
  /** Only the asker sees it. */
  ephemeral(text: string, blocks?: KnownBlock[]): Promise<void>;
  /** The team sees it: in the alert channel when there is one, else in the channel the command was typed in. */
  announce(text: string, blocks?: KnownBlock[]): Promise<void>;
}

/** What a subcommand gets: the asker, the words after its name, and ways to answer. */
export interface CommandContext {
  deps: BotDeps;
  workspace: Workspace;
  actor: Member;
  client: WebClient;
  words: Word[];
  channelId: string;
  triggerId: string;
  responseUrl: string;
  reply: Reply;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(ctx: CommandContext, usage: string): Promise<void>;
}

export const SUBCOMMANDS: Subcommand[] = [
  {
    name: 'status',
    usage: STATUS_USAGE,
    summary: 'every channel, most urgent first, with what is overdue, when its token expires, what is due next and what to do',
    async run(ctx) {
      const { text, blocks } = await statusPage(ctx.deps, ctx.workspace, joinWords(ctx.words), 0);
      await ctx.reply.ephemeral(text, blocks);
    },
  },
  {
    name: 'show',
    usage: '/channels show <name>',
    summary: "one channel's health, findings, dates, owner, backups and buttons",
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      const report = await evaluateChannel(ctx.deps, ctx.workspace, connection);
      await ctx.reply.ephemeral(`${escapeText(connection.name)}: ${healthWords(report.summary.health)}`, [
        ...buildConnectionCard(report, undefined, await observationOf(ctx.deps, ctx.workspace.id, connection.id)),
        ...tokenButtonBlock(connection, ctx.actor.role === 'admin'),
      ]);
    },
  },
  {
    name: 'add',
    usage: '/channels add',
    summary: 'record a channel connection (opens a form)',
    async run(ctx, usage) {
      expectNoMore(ctx.words, usage);
      assertMay(ctx.actor, 'lead', 'add channels');
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildChannelModal({ responseUrl: ctx.responseUrl }) });
    },
  },
  {
    name: 'edit',
    usage: '/channels edit <name>',
    summary: "change a channel's details (opens the form, filled in)",
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      assertMay(ctx.actor, 'lead', 'edit channels', connection);
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildChannelModal({ responseUrl: ctx.responseUrl }, connection) });
    },
  },
  {
    name: 'refresh',
    usage: '/channels refresh <name> [YYYY-MM-DD | today | yesterday | N days ago]',
    summary: 'record that a channel was refreshed (a new token cycle starts)',
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { maxRest: DATE_WORDS });
      const on = parseDateArgument(restText(rest), todayOf(ctx.deps, ctx.workspace), usage);
      await ctx.reply.ephemeral(refreshedNote(ctx.actor.userId, await recordRefresh(ctx.deps, ctx, connection, on)));
    },
  },
  {
    name: 'active',
    usage: '/channels active <name> [YYYY-MM-DD | today | yesterday | N days ago]',
    summary: "record the owner's latest login on the network (keeps inactivity at bay)",
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { maxRest: DATE_WORDS });
      const on = parseDateArgument(restText(rest), todayOf(ctx.deps, ctx.workspace), usage);
      await ctx.reply.ephemeral(activeNote(ctx.actor.userId, await recordActivity(ctx.deps, ctx, connection, on)));
    },
  },
  {
    name: 'backup',
    usage: '/channels backup <name> add|remove @person',
    summary: 'add or remove a backup admin',
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { minRest: 2, maxRest: 2 });
      const [verb, who] = rest;
      const userId = parseUserMention(who?.text, 'the backup admin');
      const action = verb?.text.toLowerCase();
      if (action === 'add') return ctx.reply.ephemeral(backupAddedNote(ctx.actor.userId, await addBackup(ctx.deps, ctx, connection, userId)));
      if (action === 'remove') return ctx.reply.ephemeral(backupRemovedNote(ctx.actor.userId, await removeBackup(ctx.deps, ctx, connection, userId)));
      throw new UsageError(`“${escapeMrkdwn(truncate(verb?.text ?? '', 40))}”: say \`add\` or \`remove\`: \`${usage}\``);
    },
  },
  {
    name: 'owner',
    usage: '/channels owner <name> @person',
    summary: 'reassign who owns (connected) a channel',
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { minRest: 1, maxRest: 1 });
      const userId = parseUserMention(rest[0]?.text, 'the new owner');
      await ctx.reply.ephemeral(ownerNote(ctx.actor.userId, await reassignOwner(ctx.deps, ctx, connection, userId)));
    },
  },
  {
    name: 'disconnected',
    usage: '/channels disconnected <name> [reason, e.g. password_change]',
    summary: 'mark a channel disconnected, with why',
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { maxRest: 1 });
      const reason = parseDisconnectReason(restText(rest));
      await ctx.reply.ephemeral(
        disconnectedNote(ctx.actor.userId, await markDisconnected(ctx.deps, ctx, connection, reason, todayOf(ctx.deps, ctx.workspace))),
      );
    },
  },
  {
    name: 'reconnected',
    usage: '/channels reconnected <name>',
    summary: 'mark a disconnected channel reconnected (a new token cycle starts today)',
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      await ctx.reply.ephemeral(reconnectedNote(ctx.actor.userId, await markReconnected(ctx.deps, ctx, connection, todayOf(ctx.deps, ctx.workspace))));
    },
  },
  {
    name: 'history',
    usage: '/channels history [name]',
    summary: "a channel's audit trail (who did what, when); without a name, the workspace's (roles, settings, outages too)",
    async run(ctx, usage) {
      const connection = ctx.words.length ? (await namedConnection(ctx, usage)).connection : null;
      const { text, blocks } = await historyPage(ctx.deps, ctx.workspace.id, connection, 0);
      await ctx.reply.ephemeral(text, blocks);
    },
  },
  {
    name: 'remove',
    usage: '/channels remove <name>',
    summary: 'remove a channel (asks to confirm; its history is kept)',
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      // Refuse before asking: a confirm button that then says "no" wastes a click.
      assertMay(ctx.actor, 'admin', 'remove a channel', connection);
      await ctx.reply.ephemeral(`Remove ${escapeText(connection.name)}?`, buildConfirmRemove(connection));
    },
  },
  {
    name: 'retire',
    usage: '/channels retire <name>',
    summary: 'retire a channel the team no longer uses: no more warnings, history kept, restorable',
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      await ctx.reply.ephemeral(retiredNote(ctx.actor.userId, await retireConnection(ctx.deps, ctx, connection)));
    },
  },
  {
    name: 'restore',
    usage: '/channels restore <name>',
    summary: 'put a retired channel back in use',
    async run(ctx, usage) {
      const { connection } = await namedConnection(ctx, usage);
      await ctx.reply.ephemeral(restoredNote(ctx.actor.userId, await restoreConnection(ctx.deps, ctx, connection)));
    },
  },
  {
    name: 'calendar',
    usage: '/channels calendar [rotate | workspace]',
    summary: 'your calendar feed of your channels’ deadlines (`rotate`: a new URL); `workspace`: the whole team’s (admins)',
    async run(ctx, usage) {
      const [what, ...extra] = ctx.words;
      expectNoMore(extra, usage);
      const word = what?.text.toLowerCase();
      if (word === 'workspace') {
        const { secret } = await workspaceCalendarSecret(ctx.deps, ctx);
        return ctx.reply.ephemeral(calendarNote(secret, false, false, ctx.deps.publicUrl));
      }
      if (word !== undefined && word !== 'rotate') throw new UsageError(`Type \`${usage}\``);
      const { secret, created } = await personalCalendarSecret(ctx.deps, ctx, word === 'rotate');
      await ctx.reply.ephemeral(calendarNote(secret, true, created && word === 'rotate', ctx.deps.publicUrl));
    },
  },
  {
    name: 'report',
    usage: '/channels report',
    summary: 'the weekly report now: health, what happened, deadlines ahead (the chart comes to your DM)',
    async run(ctx, usage) {
      expectNoMore(ctx.words, usage);
      await answerReport(ctx.deps, ctx.workspace, ctx.actor, ctx.client, (text, blocks) => ctx.reply.ephemeral(text, blocks));
    },
  },
  {
    name: 'snooze',
    usage: '/channels snooze <name> <1d | 7d | 2w | 12h | next>',
    summary: "hold back a channel's open warnings for a while",
    async run(ctx, usage) {
      const { connection, rest } = await namedConnection(ctx, usage, { minRest: 1, maxRest: 1 });
      await ctx.reply.ephemeral(snoozedNote(ctx.actor.userId, await snoozeWarnings(ctx.deps, ctx, connection, parseSnooze(rest[0]?.text))));
    },
  },
  {
    name: 'handover',
    usage: '/channels handover @leaving [@successor]',
    summary: 'list what someone owns or backs up; with a successor, hand it all over',
    async run(ctx, usage) {
      const [leaving, successor, ...extra] = ctx.words;
      expectNoMore(extra, usage);
      const leavingId = parseUserMention(leaving?.text, 'the person leaving');
      const successorId = successor ? parseUserMention(successor.text, 'the successor') : null;
      if (successorId === leavingId) throw new UsageError('The successor must be someone else than the person leaving.');
      const held = await holdings(ctx.deps, ctx, leavingId);
      if (!successorId || !held.length) {
        const text = held.length ? `${mention(leavingId)} holds ${count(held.length, 'channel')}` : `${mention(leavingId)} owns or backs up no channel.`;
        return ctx.reply.ephemeral(text, held.length ? buildHandoverList(leavingId, held, null) : undefined);
      }
      const result = await handOver(ctx.deps, ctx, leavingId, successorId);
      const blocks = buildHandoverList(
        leavingId,
        result.changes.map((c) => c.connection),
        successorId,
      );
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `By ${mention(ctx.actor.userId)}, ${slackTime(result.at)}` }] });
      await ctx.reply.announce(handoverTitle(result), blocks);
    },
  },
  {
    name: 'role',
    usage: '/channels role @person admin|team_leader|member',
    summary: "set someone's role in Channel Keeper (admins only)",
    async run(ctx, usage) {
      const [who, what, ...extra] = ctx.words;
      expectNoMore(extra, usage);
      const userId = parseUserMention(who?.text, 'the person');
      await ctx.reply.ephemeral(roleNote(ctx.actor.userId, await setRole(ctx.deps, ctx, userId, parseRole(what?.text))));
    },
  },
  {
    name: 'sources',
    usage: '/channels sources',
    summary: 'the tools and apps connection state is read from, their last sync, and a Sync now button (admins only)',
    async run(ctx) {
      assertMay(ctx.actor, 'admin', 'see the sources');
      const { text, blocks } = await sourcesPage(ctx.deps, ctx.workspace);
      await ctx.reply.ephemeral(text, blocks);
    },
  },
  {
    name: 'settings',
    usage: '/channels settings',
    summary: 'alert channel, time zone, check time, warning ladder (admins only)',
    async run(ctx, usage) {
      expectNoMore(ctx.words, usage);
      assertMay(ctx.actor, 'admin', 'change settings');
      const { secret } = await workspaceCalendarSecret(ctx.deps, ctx);
      const view = buildSettingsModal(
        ctx.workspace,
        alertChannelOf(ctx.deps, ctx.workspace),
        { responseUrl: ctx.responseUrl },
        {
          url: calendarFeedUrl(secret, ctx.deps.publicUrl),
          complete: Boolean(ctx.deps.publicUrl),
        },
      );
      await ctx.client.views.open({ trigger_id: ctx.triggerId, view });
    },
  },
  {
    name: 'outage',
    usage: '/channels outage <network> on|off',
    summary: 'declare or lift a network outage: holds back per-channel disconnection noise',
    async run(ctx, usage) {
      const [networkWord, state, ...extra] = ctx.words;
      expectNoMore(extra, usage);
      const network = networkWord?.text.toLowerCase();
      if (!isNetwork(network)) throw new UsageError(`Which network? Use one of ${NETWORKS.map((n) => `\`${n}\``).join(', ')}: \`${usage}\``);
      const on = state?.text.toLowerCase();
      if (on !== 'on' && on !== 'off') throw new UsageError(`Say \`on\` to declare the outage or \`off\` to lift it: \`/channels outage ${network} on\``);
      await ctx.reply.announce(await outageNote(ctx.deps, ctx.workspace, ctx.actor.userId, await setOutage(ctx.deps, ctx, network, on === 'on')));
    },
  },
  {
    name: 'help',
    usage: '/channels help',
    summary: 'this list',
    // Built from this table, so it never falls out of date.
    async run(ctx) {
      const lines = SUBCOMMANDS.map((s) => `\`${s.usage}\`\n${s.summary}`);
      const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Channel Keeper: /channels' } }];
      for (let i = 0; i < lines.length; i += 6) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.slice(i, i + 6).join('\n') } });
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Names match case-insensitively; quote a name that ends in a word like a date ("Acme 2026"). Mention people with @ so Slack links them.',
          },
        ],
      });
      await ctx.reply.ephemeral('Channel Keeper commands', blocks);
    },
  },
];

export function register(app: KeeperApp, deps: BotDeps): void {
  app.command(CHANNELS_COMMAND, async ({ command, ack, respond: slackRespond, client, context }) => {
    await ack();
    // The response_url comes from the (signed) payload: posted to only when it points at Slack.
    const respond = guardRespond(slackRespond, command.response_url, deps, command.team_id);
    const message = (text: string, blocks?: KnownBlock[]): RespondArguments => ({ text, ...(blocks ? { blocks } : {}) });
    const ephemeral = (text: string, blocks?: KnownBlock[]) => respond({ response_type: 'ephemeral', ...message(text, blocks) }).then(() => undefined);
    try {
      const { workspace, actor } = await askerOf(context);
      const reply: Reply = {
        ephemeral,
        async announce(text, blocks) {
          const channel = alertChannelOf(deps, workspace);
          if (!channel) return void (await respond({ response_type: 'in_channel', ...message(text, blocks) }));
          await client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}) });
          await ephemeral(`Posted in <#${channel}>: ${text}`);
        },
      };
      await runChannelsCommand(command.text ?? '', {
        deps,
        workspace,
        actor,
        client,
        reply,
        channelId: command.channel_id,
        triggerId: command.trigger_id,
        // A modal opened from here answers through it later: only a Slack one is handed on.
        responseUrl: isTrustedResponseUrl(command.response_url, deps.slackApiUrl) ? command.response_url : '',
      });
    } catch (error) {
      await answerError(error, { ephemeral }, deps.logger);
    }
  });
}

export async function runChannelsCommand(text: string, ctx: Omit<CommandContext, 'words'>): Promise<void> {
  try {
    if (text.length > MAX_COMMAND_TEXT) {
      throw new UsageError(
        `That is ${text.length} characters; I read at most ${MAX_COMMAND_TEXT} (channel names are at most 150). Type \`/channels help\` for what I understand.`,
      );
    }
    const [first, ...words] = tokenize(text);
    const name = first?.text.toLowerCase() ?? 'help';
    const subcommand = SUBCOMMANDS.find((s) => s.name === name);
    if (!subcommand) {
      const [guess] = closest(
        [name],
        SUBCOMMANDS.map((s) => s.name),
        1,
      );
      const hint = guess ? ` Did you mean \`/channels ${guess}\`?` : '';
      throw new UsageError(`I don't know “${escapeMrkdwn(truncate(first?.text ?? '', 40))}”.${hint} Type \`/channels help\` for the list.`);
    }
    await subcommand.run({ ...ctx, words }, subcommand.usage);
  } catch (error) {
    await answerError(error, ctx.reply, ctx.deps.logger);
  }
}

function expectNoMore(words: readonly Word[], usage: string): void {
  if (words.length) throw new UsageError(`I did not expect “${escapeMrkdwn(truncate(joinWords(words), 80))}” there. Type \`${usage}\``);
}

/** The channel named at the start of the arguments, and the words after it (at most `maxRest`). */
async function namedConnection(
  ctx: CommandContext,
  usage: string,
  opts: { minRest?: number; maxRest?: number } = {},
): Promise<{ connection: Connection; rest: Word[] }> {
  const { connection, rest } = await findNamedConnection(ctx.deps, ctx.workspace.id, ctx.words, usage, opts.minRest ?? 0);
  expectNoMore(rest.slice(opts.maxRest ?? 0), usage);
  return { connection, rest };
}

function restText(rest: readonly Word[]): string | undefined {
  return rest.length ? joinWords(rest) : undefined;
}
