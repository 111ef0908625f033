/**
 * Reading what a person typed after `/channels`: words ("double quotes" keep a multi-word name
 * together), the channel a command names, mentions, dates, snooze lengths, roles and disconnect
 * reasons. Every failure is a UsageError saying what to type instead.
 */
import { isNetwork } from '../rules/policy';
import { networkLabel } from '../rules/advice';
import { parseUserDate } from '../rules/calendar';
import { DISCONNECT_REASONS, ROLES, type Connection, type DisconnectReason, type IsoDate, type Network, type Role } from '../domain';
import { MAX_SNOOZE_HOURS, NEXT_STAGE, type SnoozeLength } from '../services/caretaking';
import { channelNames, channelsNamed } from '../services/channels';
import type { ServiceDeps } from '../services/deps';
import { UsageError } from './answer-error';
import { escapeMrkdwn, escapeName, truncate } from './mrkdwn';

/** Splits what follows `/channels` into words; "double quotes" (straight or curly) keep a multi-word name together. */
export interface Word {
  text: string;
  quoted: boolean;
}

export const MAX_COMMAND_TEXT = 500;

export function tokenize(text: string): Word[] {
  const words: Word[] = [];
  const pattern = /["“”]([^"“”]*)["“”]|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) words.push({ text: decodeSlackText(match[1].trim()), quoted: true });
    else if (match[2] !== undefined) words.push({ text: decodeSlackText(match[2]), quoted: false });
  }
  return words;
}

/**
 * Slack sends `&`, `<` and `>` typed in a slash command as `&amp;`, `&lt;` and `&gt;` (its own
 * mentions keep real angle brackets): decoded, so `/channels show Ben & Jerry` finds “Ben & Jerry”.
 * `&amp;` last, so a typed `&lt;` (sent as `&amp;lt;`) stays `&lt;`.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function joinWords(words: readonly Word[]): string {
  return words.map((w) => w.text).join(' ');
}

/**
 * Slack escapes mentions in slash-command text (`should_escape: true` in the manifest):
 * `<@U123|bob>` for people. Plain "@bob" is only text.
 */

const USER = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$/;

export function isUserMention(text: string): boolean {
  return USER.test(text);
}

/** The user id of a mention, or a UsageError explaining how to mention someone. */
export function parseUserMention(text: string | undefined, what = 'a person'): string {
  const match = text === undefined ? null : USER.exec(text.trim());
  if (match?.[1]) return match[1];
  const got = text === undefined ? 'nothing' : `“${escapeMrkdwn(truncate(text, 80))}”`;
  throw new UsageError(
    `I expected ${what} as a mention but got ${got}. Type @ and pick the person from the list Slack offers, so it turns into a mention (plain text like “@bob” names nobody).`,
  );
}

/** "Did you mean…": ranks candidates by edit distance, with a bonus for containing the query. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Candidates closest to any of the queries, best first; only plausible ones (relative distance < 0.5 or a substring). */
export function closest(queries: readonly string[], candidates: readonly string[], limit = 3): string[] {
  const wanted = queries
    .map((q) => q.trim().toLowerCase())
    .filter((q) => q !== '')
    .map((q) => q.slice(0, 100));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    let best = Infinity;
    for (const query of wanted) {
      const contains = key.includes(query) || query.includes(key);
      const score = editDistance(query, key.slice(0, 100)) / Math.max(query.length, key.length, 1) - (contains ? 0.5 : 0);
      best = Math.min(best, score);
    }
    if (best < 0.5) scored.push({ candidate, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, limit)
    .map((s) => s.candidate);
}

/**
 * Finds the channel a command names. Names may have several words and no quotes, so the longest
 * leading run of words that is a channel's name wins and the rest are the command's arguments
 * ("refresh Acme Corp EMEA 2026-01-05"). A network may come first when two networks share a name.
 */

export interface NamedConnection {
  connection: Connection;
  /** The words after the name: the command's own arguments. */
  rest: Word[];
}

const MAX_NAME_WORDS = 30;

export async function findNamedConnection(
  deps: Pick<ServiceDeps, 'store'>,
  workspaceId: string,
  words: readonly Word[],
  usage: string,
  minRest = 0,
): Promise<NamedConnection> {
  const nameWords = words.length - minRest;
  if (nameWords < 1) throw new UsageError(`Which channel? Type its name: \`${usage}\``);
  for (let k = Math.min(nameWords, MAX_NAME_WORDS); k >= 1; k -= 1) {
    if (words[0]?.quoted && k > 1) continue; // a quoted name is the whole name
    const found = await lookup(deps, workspaceId, words.slice(0, k));
    if (found) return { connection: found, rest: words.slice(k) };
  }
  const typed = joinWords(words.slice(0, nameWords));
  const names = await channelNames(deps, workspaceId);
  const queries = [typed, joinWords(words.slice(0, Math.max(1, nameWords - 1))), joinWords(words.slice(0, Math.max(1, nameWords - 2)))];
  const suggestions = closest(queries, names);
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `*${escapeName(s)}*`).join(', ')}?` : '';
  throw new UsageError(`No channel named “${escapeName(truncate(typed, 100))}” in this workspace.${hint} Type \`/channels status\` to list every channel.`);
}

/** The one channel with this name (optionally after a network word), or null; several is a question back. */
async function lookup(deps: Pick<ServiceDeps, 'store'>, workspaceId: string, words: Word[]): Promise<Connection | null> {
  const name = joinWords(words);
  const matches = await channelsNamed(deps, workspaceId, name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const networks = matches.map((m) => m.network);
    throw new UsageError(
      `${networks.map((n) => networkLabel(n)).join(' and ')} both have a channel named “${escapeName(truncate(name, 100))}”: put the network first, e.g. \`/channels show ${networks[0]} ${escapeMrkdwn(truncate(name, 100))}\``,
    );
  }
  const first = words[0];
  if (words.length >= 2 && first && !first.quoted && isNetwork(first.text.toLowerCase())) {
    const [match] = await channelsNamed(deps, workspaceId, joinWords(words.slice(1)), first.text.toLowerCase() as Network);
    if (match) return match;
  }
  return null;
}

/** A date the person typed (or today when nothing): never in the future. */
export function parseDateArgument(text: string | undefined, today: IsoDate, usage: string): IsoDate {
  if (text === undefined || text.trim() === '') return today;
  const parsed = parseUserDate(truncate(text, 60), today);
  if (!parsed.ok) throw new UsageError(`${escapeMrkdwn(parsed.reason)}. Try: \`${usage}\``);
  return parsed.value;
}

/** Words that could end a date ("3 days ago" is three words): how many trailing words to try as a date. */
export const DATE_WORDS = 3;

const DURATION = /^(\d{1,3})([hdw])$/;
const HOURS = { h: 1, d: 24, w: 24 * 7 } as const;

export function parseSnooze(text: string | undefined): SnoozeLength {
  if (/^next([ _-]?stage)?$/.test(text?.trim().toLowerCase() ?? '')) return NEXT_STAGE;
  const match = DURATION.exec(text?.trim().toLowerCase() ?? '');
  const hours = match ? Number(match[1]) * HOURS[match[2] as keyof typeof HOURS] : 0;
  if (!match || hours < 1 || hours > MAX_SNOOZE_HOURS) {
    throw new UsageError(
      'Snooze for how long? Use hours, days or weeks up to 30 days (`1d`, `7d`, `2w`, `12h`) or `next` (until the next stage): `/channels snooze <name> 7d`',
    );
  }
  return hours;
}

export function parseRole(text: string | undefined): Role {
  const role = text
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (role && (ROLES as readonly string[]).includes(role)) return role as Role;
  throw new UsageError(`Which role? Use one of ${ROLES.map((r) => `\`${r}\``).join(', ')}: \`/channels role @person team_leader\``);
}

export function parseDisconnectReason(text: string | undefined): DisconnectReason {
  if (text === undefined || text.trim() === '') return 'unknown';
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (key in DISCONNECT_REASONS) return key as DisconnectReason;
  throw new UsageError(
    `“${text.slice(0, 60).replace(/[<>&]/g, '')}” is not a reason I know. Use one of: ${Object.keys(DISCONNECT_REASONS)
      .map((k) => `\`${k}\``)
      .join(', ')}. E.g. \`/channels disconnected <name> password_change\``,
  );
}
