import { escapeMrkdwn, truncate } from '../mrkdwn';
import { addBackup, removeBackup } from '../operations/caretaking';
import { parseUserMention } from '../parse/mentions';
import { UsageError } from '../usage-error';
import { namedConnection } from './arguments';
import type { Subcommand } from './context';

export const backup: Subcommand = {
  name: 'backup',
  usage: '/channels backup <name> add|remove @person',
  summary: 'add or remove a backup admin',
  async run(ctx) {
    const { connection, rest } = await namedConnection(ctx, this.usage, { minRest: 2, maxRest: 2 });
    const [verb, who] = rest;
    const userId = parseUserMention(who?.text, 'the backup admin');
    const action = verb?.text.toLowerCase();
    if (action === 'add') return ctx.reply.ephemeral(await addBackup(ctx, connection, userId));
    if (action === 'remove') return ctx.reply.ephemeral(await removeBackup(ctx, connection, userId));
    throw new UsageError(`“${escapeMrkdwn(truncate(verb?.text ?? '', 40))}”: say \`add\` or \`remove\`: \`${this.usage}\``);
  },
};
