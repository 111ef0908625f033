import { reassignOwner } from '../operations/leading';
import { parseUserMention } from '../parse/mentions';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const owner: Subcommand = {
  name: 'owner',
  usage: '/channels owner <name> @person',
  summary: 'reassign who owns (connected) a channel',
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { minRest: 1, maxRest: 1 });
    const userId = parseUserMention(rest[0]?.text, 'the new owner');
    await ctx.reply.ephemeral(await reassignOwner(ctx, connection, userId));
  },
};
