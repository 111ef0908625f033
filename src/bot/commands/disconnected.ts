import { todayOf } from '../health-report';
import { markDisconnected, parseDisconnectReason } from '../operations/leading';
import { namedConnection, restText } from './arguments';
import type { Subcommand } from './context';

export const disconnected: Subcommand = {
  name: 'disconnected',
  usage: '/channels disconnected <name> [reason, e.g. password_change]',
  summary: 'mark a channel disconnected, with why',
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { maxRest: 1 });
    const reason = parseDisconnectReason(restText(rest));
    await ctx.reply.ephemeral(await markDisconnected(ctx, connection, reason, todayOf(ctx.deps, ctx.workspace)));
  },
};
