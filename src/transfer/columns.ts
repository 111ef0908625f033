/**
 * The import/export file format: a stable contract (docs/architecture.md, "Interfaces that must stay
 * stable"). Column names and order are shared by CSV and JSON, import and export.
 */
export const CSV_COLUMNS = [
  'network',
  'kind',
  'name',
  'url',
  'owner',
  'connected_at',
  'last_refreshed_at',
  'owner_last_active_at',
  'backups',
  'status',
  'tool',
  'retired',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns a file may leave out (added later: older files still import, and leave those values as they are). */
export const OPTIONAL_COLUMNS: readonly CsvColumn[] = ['tool', 'retired'];

/** One row as text, keyed by column; an optional column the file does not have is absent. */
export type CsvValues = Record<Exclude<CsvColumn, 'tool' | 'retired'>, string> & { tool?: string; retired?: string };

/** Backups share one cell, separated by this. */
export const BACKUP_SEPARATOR = ';';

/** A refused part of the file; `line` is the file line (the header is line 1). */
export interface LineProblem {
  line: number;
  message: string;
}

export function isCsvColumn(name: string): name is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(name);
}

/**
 * Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula (CSV injection). Export writes such a cell with a leading apostrophe, as OWASP
 * recommends, and import takes exactly one apostrophe off again, so an exported file imports
 * as it was: a value that already starts with apostrophes before such a character gets one more.
 */
const FORMULA_LEADING = /^'*[=+\-@\t\r]/;
const NEUTRALIZED = /^'+[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_LEADING.test(value) ? `'${value}` : value;
}

export function unneutralizeCell(value: string): string {
  return NEUTRALIZED.test(value) ? value.slice(1) : value;
}

/** What `export --format` takes (kept here, away from the CSV writer, so `--help` loads no writer). */
export const EXPORT_FORMATS = ['csv', 'json', 'ics'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
