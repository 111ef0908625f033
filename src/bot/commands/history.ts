import { historyPage } from '../history-query';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const history: Subcommand = {
  name: 'history',
  usage: '/channels history [name]',
  summary: "a channel's audit trail (who did what, when); without a name, the workspace's (roles, settings, outages too)",
  async run(ctx) {
    const connection = ctx.words.length ? (await namedConnection(ctx, this.usage)).connection : null;
    const { text, blocks } = await historyPage(ctx.deps, ctx.workspace.id, connection, 0);
    await ctx.reply.ephemeral(text, blocks);
  },
};
