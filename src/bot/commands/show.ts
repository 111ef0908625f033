import { buildConnectionCard } from '../blocks/connection-card';
import { reportOnOne } from '../health-report';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const show: Subcommand = {
  name: 'show',
  usage: '/channels show <name>',
  summary: "one channel's health, findings, dates, owner, backups and buttons",
  async run(ctx) {
    const { connection } = await namedConnection(ctx, this.usage);
    const report = await reportOnOne(ctx.deps, ctx.workspace, connection);
    await ctx.reply.ephemeral(`${connection.name}: ${report.summary.health}`, buildConnectionCard(report));
  },
};
