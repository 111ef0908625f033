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
export const escapeText = escapeMrkdwn;

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

/** A channel's name, escaped and bold, for messages. */
export function channelName(name: string): string {
  return `*${escapeMrkdwn(truncate(name, 200))}*`;
}
