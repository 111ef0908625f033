/**
 * Slack mrkdwn treats &, < and > as control characters: user text (channel names, reasons, notes)
 * is always escaped before it goes into a message, so `<!channel>` or `<https://x|y>` typed by a
 * person stays text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes a sentence that may carry user mentions our own code wrote (`<@U123>`, e.g. in store
 * errors) and keeps live only the mentions of `mentions` (the ids the code put there): a channel
 * named `<@U0BOSS>` or `<!channel>` in the same sentence stays text.
 */
export function escapeKeepingMentions(text: string, mentions: readonly string[]): string {
  return escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, (escaped, id: string) => (mentions.includes(id) ? `<@${id}>` : escaped));
}

/**
 * Text for a plain-text place that Slack still scans for mentions (a message's fallback `text`,
 * notifications): the same escaping as mrkdwn.
 */
export function escapeText(text: string): string {
  return escapeMrkdwn(text);
}

export function mention(userId: string | null): string {
  return userId ? `<@${userId}>` : '_nobody_';
}

/**
 * Shortens to `max` UTF-16 units (Block Kit limits), marking the cut with an ellipsis, never
 * through an emoji: half a surrogate pair makes the JSON Slack receives invalid.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Mrkdwn has no escape for its formatting characters, so in text shown as typed (channel names,
 * the findings that quote them) each becomes a look-alike Slack does not format: a name
 * `*Acme* _Careers_` is not shown bold and italic. Copied back into a command, a look-alike finds
 * the same channel (`nameKeyOf` folds it to the character it stands for).
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = { '*': '\u2217', _: '\uff3f', '~': '\u223c', '`': '\u02cb' };

export function literal(text: string): string {
  return text.replace(/[*_~`]/g, (c) => LOOK_ALIKES[c] ?? c);
}

/** User text (a channel name, a finding quoting one) for mrkdwn: escaped and shown as typed. */
export function escapeName(text: string): string {
  return escapeMrkdwn(literal(text));
}

/** A channel's name, escaped, shown as typed and bold, for messages. */
export function channelName(name: string): string {
  return `*${escapeName(truncate(name, 200))}*`;
}
