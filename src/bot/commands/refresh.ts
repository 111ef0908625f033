import { todayOf } from '../health-report';
import { recordRefresh } from '../operations/caretaking';
import { DATE_WORDS, parseDateArgument } from '../parse/dates';
import { namedConnection, restText } from './arguments';
import type { Subcommand } from './context';

export const refresh: Subcommand = {
  name: 'refresh',
  usage: '/channels refresh <name> [YYYY-MM-DD | today | yesterday | N days ago]',
  summary: 'record that a channel was refreshed (a new token cycle starts)',
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { maxRest: DATE_WORDS });
    const on = parseDateArgument(restText(rest), todayOf(ctx.deps, ctx.workspace), this.usage);
    await ctx.reply.ephemeral(await recordRefresh(ctx, connection, on));
  },
};
