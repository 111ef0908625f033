/** What Slack would render live in a message: the helpers of the adversarial suite. */
import { SlackHarness } from '../bot/support/slack-harness';

/** Every `<…>` Slack would turn into a mention, a broadcast or a link, in text Slack renders. */
export function liveMentions(text: string): string[] {
  // `<!date^…>` is the bot's own date formatting, not a mention.
  return [...text.matchAll(/<((?:[@!#]|https?:)[^>]*)>/g)].map((m) => m[1]!).filter((m) => !m.startsWith('!date^'));
}

/** The text a reply shows (fallback and mrkdwn/plain texts), as one string. */
export function shown(message: { text?: unknown; blocks?: unknown }): string {
  return SlackHarness.textOf(message);
}

/**
 * What Slack parses for mentions in a message: its fallback `text` and every `mrkdwn` text object
 * (plain_text is shown literally), one per line.
 */
export function parsedTexts(message: { text?: unknown; blocks?: unknown }): string {
  const out = [String(message.text ?? '')];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (object.type === 'mrkdwn' && typeof object.text === 'string') out.push(object.text);
    Object.values(object).forEach(walk);
  };
  walk(message.blocks);
  return out.join('\n');
}
