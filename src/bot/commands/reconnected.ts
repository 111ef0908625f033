import { todayOf } from '../health-report';
import { markReconnected } from '../operations/leading';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const reconnected: Subcommand = {
  name: 'reconnected',
  usage: '/channels reconnected <name>',
  summary: 'mark a disconnected channel reconnected (a new token cycle starts today)',
  async run(ctx) {
    const { connection } = await namedConnection(ctx, this.usage);
    await ctx.reply.ephemeral(await markReconnected(ctx, connection, todayOf(ctx.deps, ctx.workspace)));
  },
};
