import { assertMay } from '../authorize';
import { buildHandoverList } from '../blocks/handover-list';
import { mention } from '../mrkdwn';
import { parseUserMention } from '../parse/mentions';
import { slackTime } from '../operations/context';
import { UsageError } from '../usage-error';
import { expectNoMore } from './arguments';
import type { Subcommand } from './context';

export const handover: Subcommand = {
  name: 'handover',
  usage: '/channels handover @leaving [@successor]',
  summary: 'list what someone owns or backs up; with a successor, hand it all over',
  async run(ctx) {
    const [leaving, successor, ...extra] = ctx.words;
    expectNoMore(extra, this.usage);
    const leavingId = parseUserMention(leaving?.text, 'the person leaving');
    const successorId = successor ? parseUserMention(successor.text, 'the successor') : null;
    if (successorId === leavingId) throw new UsageError('The successor must be someone else than the person leaving.');
    const held = await ctx.deps.store.connections.list(ctx.workspace.id, { involving: leavingId });
    if (!successorId || !held.length) {
      const text = held.length ? `${mention(leavingId)} holds ${held.length} channel(s)` : `${mention(leavingId)} owns or backs up no channel.`;
      return ctx.reply.ephemeral(text, held.length ? buildHandoverList(leavingId, held, null) : undefined);
    }
    assertMay(ctx.actor, 'lead', 'hand channels over');
    const changes = await ctx.deps.store.connections.handover(ctx.workspace.id, leavingId, successorId, ctx.actor.userId, ctx.deps.now());
    const blocks = buildHandoverList(leavingId, changes.map((c) => c.connection), successorId);
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `By ${mention(ctx.actor.userId)}, ${slackTime(ctx.deps.now())}` }] });
    await ctx.reply.announce(`${changes.length} channel(s) handed over from ${mention(leavingId)} to ${mention(successorId)}`, blocks);
  },
};
