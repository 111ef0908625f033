/**
 * Finds the channel a command names. Names may have several words and no quotes, so the longest
 * leading run of words that is a channel's name wins and the rest are the command's arguments
 * ("refresh Acme Corp EMEA 2026-01-05"). A network may come first when two networks share a name.
 */
import type { Connection, Network } from '../../domain';
import { isNetwork, networkLabel } from '../../checks';
import type { Store } from '../../store';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { UsageError } from '../answer-error';
import { closest } from './closest';
import { joinWords, type Word } from './tokens';

export interface NamedConnection {
  connection: Connection;
  /** The words after the name: the command's own arguments. */
  rest: Word[];
}

const MAX_NAME_WORDS = 30;

export async function findNamedConnection(store: Store, workspaceId: string, words: readonly Word[], usage: string, minRest = 0): Promise<NamedConnection> {
  const nameWords = words.length - minRest;
  if (nameWords < 1) throw new UsageError(`Which channel? Type its name: \`${usage}\``);
  for (let k = Math.min(nameWords, MAX_NAME_WORDS); k >= 1; k -= 1) {
    if (words[0]?.quoted && k > 1) continue; // a quoted name is the whole name
    const found = await lookup(store, workspaceId, words.slice(0, k));
    if (found) return { connection: found, rest: words.slice(k) };
  }
  const typed = joinWords(words.slice(0, nameWords));
  const names = (await store.connections.listNames(workspaceId)).map((n) => n.name);
  const queries = [typed, joinWords(words.slice(0, Math.max(1, nameWords - 1))), joinWords(words.slice(0, Math.max(1, nameWords - 2)))];
  const suggestions = closest(queries, names);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `*${escapeMrkdwn(s)}*`).join(', ')}?` : '';
  throw new UsageError(`No channel named “${escapeMrkdwn(truncate(typed, 100))}” in this workspace.${hint} Type \`/channels status\` to list every channel.`);
}

/** The one channel with this name (optionally after a network word), or null; several is a question back. */
async function lookup(store: Store, workspaceId: string, words: Word[]): Promise<Connection | null> {
  const name = joinWords(words);
  const matches = await store.connections.findByName(workspaceId, name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const networks = matches.map((m) => m.network);
    throw new UsageError(
      `${networks.map((n) => networkLabel(n)).join(' and ')} both have a channel named “${escapeMrkdwn(truncate(name, 100))}”: put the network first, e.g. \`/channels show ${networks[0]} ${escapeMrkdwn(truncate(name, 100))}\``,
    );
  }
  const first = words[0];
  if (words.length >= 2 && first && !first.quoted && isNetwork(first.text.toLowerCase())) {
    const [match] = await store.connections.findByName(workspaceId, joinWords(words.slice(1)), first.text.toLowerCase() as Network);
    if (match) return match;
  }
  return null;
}
