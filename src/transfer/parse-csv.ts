/**
 * CSV text → rows keyed by column, with each row's file line. Structure only (header, column
 * count, quoting); what the values mean is checked in validate-rows.ts.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { CSV_COLUMNS, CsvColumn, CsvValues, LineProblem, isCsvColumn } from './columns';

export interface CsvRow {
  /** The file line the row starts on (header = 1). */
  line: number;
  values: CsvValues;
}

export interface ParsedCsv {
  rows: CsvRow[];
  problems: LineProblem[];
}

export function parseConnectionsCsv(text: string): ParsedCsv {
  // One line ending everywhere: csv-parse counts a CRLF inside a quoted value as two lines, and
  // line numbers are what people fix their file by. A BOM is what Excel's "CSV UTF-8" writes.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (normalized.trim() === '') return fail(1, `the file is empty: expected a header row ${CSV_COLUMNS.join(',')}`);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    // `info` makes each record { record, info }; the typings do not follow the option.
    records = parse(normalized, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) return fail((error as CsvError & { lines?: number }).lines ?? 1, `malformed CSV: ${error.message}`);
    throw error;
  }

  const lined = records.map(({ record, info }) => ({ fields: record, line: info.lines - newlinesIn(record) }));
  const [header, ...body] = lined;
  if (!header) return fail(1, `the file is empty: expected a header row ${CSV_COLUMNS.join(',')}`);
  const columns = readHeader(header.fields, header.line);
  if (!Array.isArray(columns)) return { rows: [], problems: columns.problems };

  const rows: CsvRow[] = [];
  const problems: LineProblem[] = [];
  for (const { fields, line } of body) {
    // Spreadsheets leave rows of bare commas behind; there is nothing in them to import.
    if (fields.every((field) => field.trim() === '')) continue;
    if (fields.length !== columns.length) {
      problems.push({ line, message: `${fields.length} field(s), expected ${columns.length} (${columns.join(',')}); quote values that contain commas` });
      continue;
    }
    const values = Object.fromEntries(columns.map((column, i) => [column, (fields[i] ?? '').trim()])) as CsvValues;
    rows.push({ line, values });
  }
  return { rows, problems };
}

/** The header's columns in file order, or why the header is unusable. Any order is accepted. */
function readHeader(fields: string[], line: number): CsvColumn[] | { problems: LineProblem[] } {
  const names = fields.map((field) => field.trim().toLowerCase());
  const problems: LineProblem[] = [];
  const unknown = names.filter((name) => !isCsvColumn(name));
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column));
  const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (unknown.length) problems.push({ line, message: `unknown column(s) in the header: ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the columns are ${CSV_COLUMNS.join(',')}` });
  if (missing.length) problems.push({ line, message: `missing column(s) in the header: ${missing.join(', ')}; the columns are ${CSV_COLUMNS.join(',')}` });
  if (repeated.length) problems.push({ line, message: `column(s) named twice in the header: ${repeated.join(', ')}` });
  return problems.length ? { problems } : (names as CsvColumn[]);
}

/** A quoted value may span lines; the parser reports the line a record ends on. */
function newlinesIn(fields: string[]): number {
  return fields.reduce((sum, field) => sum + (field.match(/\n/g)?.length ?? 0), 0);
}

function fail(line: number, message: string): ParsedCsv {
  return { rows: [], problems: [{ line, message }] };
}
