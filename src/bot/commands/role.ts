import { parseRole, setRole } from '../operations/administering';
import { parseUserMention } from '../parse/mentions';
import { expectNoMore } from './arguments';
import type { Subcommand } from './context';

export const role: Subcommand = {
  name: 'role',
  usage: '/channels role @person admin|team_leader|member',
  summary: "set someone's role in Channel Keeper (admins only)",
  async run(ctx) {
    const [who, what, ...extra] = ctx.words;
    expectNoMore(extra, this.usage);
    const userId = parseUserMention(who?.text, 'the person');
    await ctx.reply.ephemeral(await setRole(ctx, userId, parseRole(what?.text)));
  },
};
