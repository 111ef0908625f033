import { alertChannelOf } from '../actor';
import { assertMay } from '../authorize';
import { buildSettingsModal } from '../blocks/settings-modal';
import { expectNoMore } from './arguments';
import type { Subcommand } from './context';

export const settings: Subcommand = {
  name: 'settings',
  usage: '/channels settings',
  summary: 'alert channel, time zone, check time, warning ladder (admins only)',
  async run(ctx) {
    expectNoMore(ctx.words, this.usage);
    assertMay(ctx.actor, 'admin', 'change settings');
    const view = buildSettingsModal(ctx.workspace, alertChannelOf(ctx.deps, ctx.workspace), { responseUrl: ctx.responseUrl });
    await ctx.client.views.open({ trigger_id: ctx.triggerId, view });
  },
};
