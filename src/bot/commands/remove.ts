import { assertMay } from '../authorize';
import { buildConfirmRemove } from '../blocks/confirm-remove';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const remove: Subcommand = {
  name: 'remove',
  usage: '/channels remove <name>',
  summary: 'remove a channel (asks to confirm; its history is kept)',
  async run(ctx) {
    const { connection } = await namedConnection(ctx, this.usage);
    // Refuse before asking: a confirm button that then says "no" wastes a click.
    assertMay(ctx.actor, 'admin', 'remove a channel', connection);
    await ctx.reply.ephemeral(`Remove ${connection.name}?`, buildConfirmRemove(connection));
  },
};
