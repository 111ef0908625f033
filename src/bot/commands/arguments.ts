/** Argument checks shared by the subcommands: each failure says what to type instead. */
import type { Connection } from '../../domain';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { findNamedConnection } from '../parse/connection-name';
import { joinWords, type Word } from '../parse/tokens';
import { UsageError } from '../usage-error';
import type { CommandContext } from './context';

export function expectNoMore(words: readonly Word[], usage: string): void {
  if (words.length) throw new UsageError(`I did not expect “${escapeMrkdwn(truncate(joinWords(words), 80))}” there. Type \`${usage}\``);
}

/** The channel named at the start of the arguments, and the words after it (at most `maxRest`). */
export async function namedConnection(ctx: CommandContext, usage: string, opts: { minRest?: number; maxRest?: number } = {}): Promise<{ connection: Connection; rest: Word[] }> {
  const { connection, rest } = await findNamedConnection(ctx.deps.store, ctx.workspace.id, ctx.words, usage, opts.minRest ?? 0);
  expectNoMore(rest.slice(opts.maxRest ?? 0), usage);
  return { connection, rest };
}

export function restText(rest: readonly Word[]): string | undefined {
  return rest.length ? joinWords(rest) : undefined;
}
