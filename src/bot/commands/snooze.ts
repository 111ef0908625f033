import { parseSnooze, snoozeWarnings } from '../operations/caretaking';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const snooze: Subcommand = {
  name: 'snooze',
  usage: '/channels snooze <name> <1d | 7d | 2w | 12h | next>',
  summary: "hold back a channel's open warnings for a while",
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { minRest: 1, maxRest: 1 });
    await ctx.reply.ephemeral(await snoozeWarnings(ctx, connection, parseSnooze(rest[0]?.text)));
  },
};
