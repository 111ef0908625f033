import { NETWORKS } from '../../domain';
import { isNetwork } from '../../checks';
import { setOutage } from '../operations/administering';
import { UsageError } from '../usage-error';
import { expectNoMore } from './arguments';
import type { Subcommand } from './context';

export const outage: Subcommand = {
  name: 'outage',
  usage: '/channels outage <network> on|off',
  summary: 'declare or lift a network outage: holds back per-channel disconnection noise',
  async run(ctx) {
    const [networkWord, state, ...extra] = ctx.words;
    expectNoMore(extra, this.usage);
    const network = networkWord?.text.toLowerCase();
    if (!isNetwork(network)) throw new UsageError(`Which network? Use one of ${NETWORKS.map((n) => `\`${n}\``).join(', ')}: \`${this.usage}\``);
    const on = state?.text.toLowerCase();
    if (on !== 'on' && on !== 'off') throw new UsageError(`Say \`on\` to declare the outage or \`off\` to lift it: \`/channels outage ${network} on\``);
    await ctx.reply.announce(await setOutage(ctx, network, on === 'on'));
  },
};
