import { assertMay } from '../authorize';
import { buildChannelModal } from '../blocks/channel-modal';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const edit: Subcommand = {
  name: 'edit',
  usage: '/channels edit <name>',
  summary: "change a channel's details (opens the form, filled in)",
  async run(ctx) {
    const { connection } = await namedConnection(ctx, this.usage);
    assertMay(ctx.actor, 'lead', 'edit channels', connection);
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildChannelModal({ responseUrl: ctx.responseUrl }, connection) });
  },
};
