/**
 * `check --at`: the moment a check pretends to run at. A date means "that day's scheduled check" in
 * each workspace's own zone (so every workspace is judged on that calendar day); a date-time without
 * an offset is wall-clock time in each workspace's zone; one with `Z` or an offset is that instant.
 */
import { DateTime } from 'luxon';
import { ValidationError } from '../errors';
import type { Workspace } from '../domain';

export type AsOf =
  | { kind: 'instant'; at: Date }
  | { kind: 'local'; date: string; time: string | null };

export const AS_OF_FORMAT = 'YYYY-MM-DD, YYYY-MM-DDTHH:mm[:ss] (workspace time) or YYYY-MM-DDTHH:mm[:ss]Z / ±HH:mm';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)$/;
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

export function parseAsOf(text: string): AsOf {
  const value = text.trim();
  const refuse = (): never => {
    throw new ValidationError(`--at "${text}" is not an ISO date or date-time; use ${AS_OF_FORMAT}`);
  };
  if (DATE.test(value)) {
    if (!DateTime.fromISO(value, { zone: 'utc' }).isValid) refuse();
    return { kind: 'local', date: value, time: null };
  }
  const local = LOCAL.exec(value);
  if (local?.[1] && local[2]) {
    if (!DateTime.fromISO(value, { zone: 'utc' }).isValid) refuse();
    return { kind: 'local', date: local[1], time: local[2] };
  }
  if (ZONED.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (!parsed.isValid) refuse();
    return { kind: 'instant', at: parsed.toJSDate() };
  }
  return refuse();
}

/** The instant a workspace's check runs at for `asOf`. */
export function instantFor(asOf: AsOf, workspace: Pick<Workspace, 'timeZone' | 'checkTime'>): Date {
  if (asOf.kind === 'instant') return asOf.at;
  const local = DateTime.fromISO(`${asOf.date}T${asOf.time ?? workspace.checkTime}`, { zone: workspace.timeZone });
  if (!local.isValid) throw new ValidationError(`cannot place --at ${asOf.date} in time zone ${workspace.timeZone}: ${local.invalidExplanation ?? 'invalid'}`);
  return local.toJSDate();
}
