/**
 * Words for people, shared by Slack messages, the command line and exports: counts with the
 * right plural ("1 channel", "3 channels") instead of "channel(s)", and lists that end with
 * "and N more" instead of being cut in the middle of a name. Pure.
 */

/** "1 channel", "0 channels", "3 warnings"; `many` for irregular plurals ("1 person", "2 people"). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export interface ListLimits {
  /** At most this many items are named (default: all). */
  items?: number;
  /** The whole text, "and N more" included, stays within this many characters (default: no limit). */
  chars?: number;
}

/**
 * "A, B, C" or, past the limits, "A, B and 5 more": whole items only, so a name is never cut. When
 * not even the first item fits, "5 more".
 */
export function joinList(items: readonly string[], limits: ListLimits = {}): string {
  const maxItems = limits.items ?? Infinity;
  const maxChars = limits.chars ?? Infinity;
  const more = (n: number) => `and ${n.toLocaleString('en-US')} more`;
  let shown = 0;
  let length = 0;
  for (const item of items) {
    if (shown >= maxItems) break;
    const next = length + (shown ? 2 : 0) + item.length;
    const rest = items.length - shown - 1;
    // Room is kept for the " and N more" that would follow this item.
    if (next + (rest > 0 ? more(rest).length + 1 : 0) > maxChars) break;
    length = next;
    shown += 1;
  }
  const named = items.slice(0, shown).join(', ');
  const rest = items.length - shown;
  if (!rest) return named;
  return shown ? `${named} ${more(rest)}` : `${rest.toLocaleString('en-US')} more`;
}

/** A person where Slack's mention cannot be used (the command line, the demo): "Maya (@U0123ABCD)", or the id alone when no name is known. */
export function personLabel(userId: string, name: string | null | undefined): string {
  return name ? `${name} (@${userId})` : userId;
}

/** A stored value such as `team_leader` or `at_risk`, as words ("team leader", "at risk"). */
export function enumWords(value: string): string {
  return value.replace(/_/g, ' ');
}
