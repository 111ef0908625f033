/**
 * Slack escapes mentions in slash-command text (`should_escape: true` in the manifest):
 * `<@U123|bob>` for people. Plain "@bob" is only text.
 */
import { UsageError } from '../answer-error';
import { escapeMrkdwn, truncate } from '../mrkdwn';

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
