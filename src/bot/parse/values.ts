/** The values a person types after a channel's name: dates, snooze lengths, roles, disconnect reasons. */
import { parseUserDate } from '../../checks';
import { DISCONNECT_REASONS, ROLES, type DisconnectReason, type IsoDate, type Role } from '../../domain';
import { MAX_SNOOZE_HOURS, NEXT_STAGE, type SnoozeLength } from '../../services/caretaking';
import { escapeMrkdwn, truncate } from '../mrkdwn';
import { UsageError } from '../answer-error';

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
    throw new UsageError('Snooze for how long? Use hours, days or weeks up to 30 days (`1d`, `7d`, `2w`, `12h`) or `next` (until the next stage): `/channels snooze <name> 7d`');
  }
  return hours;
}

export function parseRole(text: string | undefined): Role {
  const role = text?.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (role && (ROLES as readonly string[]).includes(role)) return role as Role;
  throw new UsageError(`Which role? Use one of ${ROLES.map((r) => `\`${r}\``).join(', ')}: \`/channels role @person team_leader\``);
}

export function parseDisconnectReason(text: string | undefined): DisconnectReason {
  if (text === undefined || text.trim() === '') return 'unknown';
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (key in DISCONNECT_REASONS) return key as DisconnectReason;
  throw new UsageError(`“${text.slice(0, 60).replace(/[<>&]/g, '')}” is not a reason I know. Use one of: ${Object.keys(DISCONNECT_REASONS).map((k) => `\`${k}\``).join(', ')}. E.g. \`/channels disconnected <name> password_change\``);
}
