import { assertMay } from '../authorize';
import { buildChannelModal } from '../blocks/channel-modal';
import { expectNoMore } from './arguments';
import type { Subcommand } from './context';

export const add: Subcommand = {
  name: 'add',
  usage: '/channels add',
  summary: 'record a channel connection (opens a form)',
  async run(ctx) {
    expectNoMore(ctx.words, this.usage);
    assertMay(ctx.actor, 'lead', 'add channels');
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view: buildChannelModal({ responseUrl: ctx.responseUrl }) });
  },
};
