import type { IsoDate } from '../../domain';
import { parseUserDate } from '../../checks';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { UsageError } from '../usage-error';

/** A date the person typed (or today when nothing): never in the future. */
export function parseDateArgument(text: string | undefined, today: IsoDate, usage: string): IsoDate {
  if (text === undefined || text.trim() === '') return today;
  const parsed = parseUserDate(truncate(text, 60), today);
  if (!parsed.ok) throw new UsageError(`${escapeMrkdwn(parsed.reason)}. Try: \`${usage}\``);
  return parsed.value;
}

/** Words that could end a date ("3 days ago" is three words): how many trailing words to try as a date. */
export const DATE_WORDS = 3;
