import { statusPage, STATUS_USAGE } from '../status-query';
import { joinWords } from '../parse/tokens';
import type { Subcommand } from './context';

export const status: Subcommand = {
  name: 'status',
  usage: STATUS_USAGE,
  summary: 'every channel, most urgent first, with its next deadline and what to do',
  async run(ctx) {
    const { text, blocks } = await statusPage(ctx.deps, ctx.workspace, joinWords(ctx.words), 0);
    await ctx.reply.ephemeral(text, blocks);
  },
};
