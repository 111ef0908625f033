/** Parses `/channels <subcommand> …`, runs it, and turns every refusal into an ephemeral answer. */
import { answerError } from '../answer-error';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { closest } from '../parse/closest';
import { MAX_COMMAND_TEXT, tokenize } from '../parse/tokens';
import { UsageError } from '../usage-error';
import { active } from './active';
import { add } from './add';
import { backup } from './backup';
import type { CommandContext } from './context';
import { disconnected } from './disconnected';
import { edit } from './edit';
import { handover } from './handover';
import { helpCommand } from './help';
import { history } from './history';
import { outage } from './outage';
import { owner } from './owner';
import { reconnected } from './reconnected';
import { refresh } from './refresh';
import { remove } from './remove';
import { role } from './role';
import { settings } from './settings';
import { show } from './show';
import { snooze } from './snooze';
import { status } from './status';

export const SUBCOMMANDS = [status, show, add, edit, refresh, active, backup, owner, disconnected, reconnected, history, remove, snooze, handover, role, settings, outage];
SUBCOMMANDS.push(helpCommand(() => SUBCOMMANDS));

export async function runChannelsCommand(text: string, ctx: Omit<CommandContext, 'words'>): Promise<void> {
  try {
    if (text.length > MAX_COMMAND_TEXT) {
      throw new UsageError(`That is ${text.length} characters; I read at most ${MAX_COMMAND_TEXT} (channel names are at most 150). Type \`/channels help\` for what I understand.`);
    }
    const [first, ...words] = tokenize(text);
    const name = first?.text.toLowerCase() ?? 'help';
    const subcommand = SUBCOMMANDS.find((s) => s.name === name);
    if (!subcommand) {
      const [guess] = closest([name], SUBCOMMANDS.map((s) => s.name), 1);
      const hint = guess ? ` Did you mean \`/channels ${guess}\`?` : '';
      throw new UsageError(`I don't know “${escapeMrkdwn(truncate(first?.text ?? '', 40))}”.${hint} Type \`/channels help\` for the list.`);
    }
    await subcommand.run({ ...ctx, words });
  } catch (error) {
    await answerError(error, ctx.reply, ctx.deps.logger);
  }
}
