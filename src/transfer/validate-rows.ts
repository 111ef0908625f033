/**
 * Parsed rows → connections to import, or every reason a row is refused (all of them, so one
 * pass fixes the file). The date rules match src/rules' validateConnectionDates, so imported
 * rows are always ones the checks can judge (a test holds the two together).
 */
import { isIsoDate } from '../rules/calendar';
import {
  CONNECTION_KINDS,
  CONNECTION_STATUSES,
  EARLIEST_DATE,
  NETWORKS,
  TOOLS,
  nameProblem,
  urlProblem,
  type ConnectionFields,
  type ConnectionKind,
  type ConnectionStatus,
  type IsoDate,
  type Network,
  type Tool,
  nameKeyOf,
} from '../domain';
import { BACKUP_SEPARATOR, CsvColumn, CsvValues, LineProblem } from './columns';
import type { CsvRow } from './parse-csv';

/** One valid row: the columns an import sets, and the channel's backups. */
export interface ImportedConnection extends ConnectionFields {
  backups: string[];
  /** `undefined`: the file has no `retired` column, so an existing channel stays as it is. */
  retired?: boolean;
}

export interface ImportRow {
  line: number;
  connection: ImportedConnection;
}

export interface ValidatedRows {
  rows: ImportRow[];
  problems: LineProblem[];
}

/** Slack user ids: U… for most users, W… on Enterprise Grid. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const REQUIRED: CsvColumn[] = ['network', 'kind', 'name', 'connected_at'];
const DATE_COLUMNS = ['connected_at', 'last_refreshed_at', 'owner_last_active_at'] as const;

/** Checks every row (never stops at the first bad one) against `today`, the workspace's local date. */
export function validateRows(rows: readonly CsvRow[], today: IsoDate): ValidatedRows {
  const validator = new RowValidator(today);
  const valid: ImportRow[] = [];
  const problems: LineProblem[] = [];
  for (const row of rows) {
    const result = validator.check(row);
    if ('connection' in result) valid.push(result);
    else problems.push(...result.problems);
  }
  return { rows: valid, problems };
}

/**
 * Checks rows one at a time, remembering only each name's first line (for duplicates): a
 * streamed file is checked in memory that grows by one short key per row, not by the row.
 */
export class RowValidator {
  private readonly firstLineByName = new Map<string, number>();

  constructor(private readonly today: IsoDate) {}

  check(row: CsvRow): ImportRow | { problems: LineProblem[] } {
    const line = row.line;
    const values = normalized(row.values);
    const result = validateRow(values, this.today);
    const reasons = 'reasons' in result ? result.reasons : [];
    const key = isKnown(NETWORKS, values.network) && values.name ? `${values.network}:${nameKeyOf(values.name)}` : null;
    if (key) {
      const first = this.firstLineByName.get(key);
      if (first !== undefined)
        reasons.push(
          `duplicate name "${values.name}" for ${values.network}: already on line ${first} (names that differ only in case, spacing or look-alike characters are one name)`,
        );
      else this.firstLineByName.set(key, line);
    }
    if (reasons.length || !('connection' in result)) return { problems: reasons.map((message) => ({ line, message })) };
    return { line, connection: result.connection };
  }
}

function validateRow(values: CsvValues, today: IsoDate): { connection: ImportedConnection } | { reasons: string[] } {
  const reasons: string[] = [];
  for (const column of REQUIRED) if (!values[column]) reasons.push(`${column} is required`);
  const nameError = values.name ? nameProblem(values.name) : null;
  if (nameError) reasons.push(`name: ${nameError}`);
  const urlError = values.url ? urlProblem(values.url) : null;
  if (urlError) reasons.push(`url: ${urlError}`);
  if (values.network && !isKnown(NETWORKS, values.network)) {
    reasons.push(`unknown network "${values.network}"; allowed: ${NETWORKS.join(', ')}`);
  }
  if (values.kind && !isKnown(CONNECTION_KINDS, values.kind)) {
    reasons.push(`unknown kind "${values.kind}"; allowed: ${CONNECTION_KINDS.join(', ')}`);
  }
  if (values.status && !isKnown(CONNECTION_STATUSES, values.status)) {
    reasons.push(`unknown status "${values.status}"; allowed: connected, disconnected (empty means connected)`);
  }
  if (values.tool && !isKnown(TOOLS, values.tool)) {
    reasons.push(`unknown tool "${values.tool}"; allowed: ${TOOLS.join(', ')} (or empty)`);
  }
  reasons.push(...dateReasons(values, today));
  const retired = values.retired;
  if (retired && retired.toLowerCase() !== 'yes' && !(isIsoDate(retired) && retired >= EARLIEST_DATE && retired <= today)) {
    reasons.push(`retired "${retired}" is not yes, a date (YYYY-MM-DD, not in the future) or empty`);
  }
  if (values.owner && !SLACK_USER_ID.test(values.owner)) reasons.push(`owner "${values.owner}" is not a Slack user id (like U0123ABCD)`);
  const backups = [
    ...new Set(
      values.backups
        .split(BACKUP_SEPARATOR)
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
  for (const id of backups)
    if (!SLACK_USER_ID.test(id)) reasons.push(`backup "${id}" is not a Slack user id (like U0123ABCD); separate backups with "${BACKUP_SEPARATOR}"`);
  // The store refuses this too (ConnectionRepository.addBackup); said here with the line number.
  if (values.owner && backups.includes(values.owner)) reasons.push(`owner ${values.owner} is also listed as a backup; an owner cannot be their own backup`);
  if (reasons.length) return { reasons };

  const connection: ImportedConnection = {
    network: values.network as Network,
    kind: values.kind as ConnectionKind,
    name: values.name,
    url: values.url || null,
    ownerId: values.owner || null,
    connectedAt: values.connected_at,
    lastRefreshedAt: values.last_refreshed_at || null,
    ownerLastActiveAt: values.owner_last_active_at || null,
    status: (values.status || 'connected') as ConnectionStatus,
    backups,
  };
  if (values.tool !== undefined) connection.tool = (values.tool || null) as Tool | null;
  if (retired !== undefined) connection.retired = retired !== '';
  return { connection };
}

/** Format, not in the future, no refresh before the connection: the rules of validateConnectionDates, per column. */
function dateReasons(values: CsvValues, today: IsoDate): string[] {
  const reasons: string[] = [];
  for (const column of DATE_COLUMNS) {
    const value = values[column];
    if (!value) continue;
    if (!isIsoDate(value)) reasons.push(`${column} "${value}" is not a date (YYYY-MM-DD)`);
    else if (value > today) reasons.push(`${column} ${value} is in the future (today is ${today})`);
    else if (value < EARLIEST_DATE) reasons.push(`${column} ${value} is before ${EARLIEST_DATE}`);
  }
  const { connected_at: connected, last_refreshed_at: refreshed } = values;
  if (isIsoDate(connected) && isIsoDate(refreshed) && refreshed < connected) {
    reasons.push(`last_refreshed_at ${refreshed} is before connected_at ${connected}`);
  }
  return reasons;
}

/** Spreadsheets capitalise ("LinkedIn"); the vocabulary is lower case. */
function normalized(values: CsvValues): CsvValues {
  const normal = { ...values, network: values.network.toLowerCase(), kind: values.kind.toLowerCase(), status: values.status.toLowerCase() };
  // "Sprout Social" and "sprout-social" name the same tool as sprout_social.
  if (values.tool !== undefined) normal.tool = values.tool.toLowerCase().replace(/[\s-]+/g, '_');
  return normal;
}

function isKnown<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}
