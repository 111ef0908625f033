import { todayOf } from '../health-report';
import { recordActivity } from '../operations/caretaking';
import { DATE_WORDS, parseDateArgument } from '../parse/dates';
import { namedConnection, restText } from './arguments';
import type { Subcommand } from './context';

export const active: Subcommand = {
  name: 'active',
  usage: '/channels active <name> [YYYY-MM-DD | today | yesterday | N days ago]',
  summary: "record the owner's latest login on the network (keeps inactivity at bay)",
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { maxRest: DATE_WORDS });
    const on = parseDateArgument(restText(rest), todayOf(ctx.deps, ctx.workspace), this.usage);
    await ctx.reply.ephemeral(await recordActivity(ctx, connection, on));
  },
};
