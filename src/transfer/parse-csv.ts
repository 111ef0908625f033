/**
 * CSV text → rows keyed by column, with each row's file line. Structure only (header, column
 * count, quoting); what the values mean is checked in validate-rows.ts. `parseConnectionsCsv`
 * reads a string; `streamCsvRows` reads a stream of text (import at scale) with the same rules.
 */
import { parse as parseStream, type Parser } from 'csv-parse';
import { CsvError, parse } from 'csv-parse/sync';
import type { Readable } from 'node:stream';
import { count } from '../words';
import { CSV_COLUMNS, CsvColumn, CsvValues, LineProblem, OPTIONAL_COLUMNS, isCsvColumn, unneutralizeCell } from './columns';

export interface CsvRow {
  /** The file line the row starts on (header = 1). */
  line: number;
  values: CsvValues;
}

export interface ParsedCsv {
  rows: CsvRow[];
  problems: LineProblem[];
}

/** One step of a streamed file: a row, or what is wrong with one line (or the header). */
export type CsvItem = { row: CsvRow } | { problem: LineProblem };

type CsvRecord = { record: string[]; info: { lines: number } };

const EMPTY = `the file is empty: expected a header row ${CSV_COLUMNS.join(',')}`;
// `info` makes each record { record, info }; the typings do not follow the option.
// A record is one channel: a few hundred bytes. The cap keeps a file without line breaks (a stream
// of NUL bytes, say) from being buffered whole as one record.
export const MAX_RECORD_BYTES = 64 * 1024;
const OPTIONS = { info: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES } as const;

export function parseConnectionsCsv(text: string): ParsedCsv {
  // One line ending everywhere: csv-parse counts a CRLF inside a quoted value as two lines, and
  // line numbers are what people fix their file by. A BOM is what Excel's "CSV UTF-8" writes.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (normalized.trim() === '') return fail(1, EMPTY);
  let records: CsvRecord[];
  try {
    records = parse(normalized, OPTIONS) as unknown as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) return fail(errorLine(error), `malformed CSV: ${error.message}`);
    throw error;
  }
  const reader = new RecordReader();
  const parsed: ParsedCsv = { rows: [], problems: [] };
  for (const record of records) {
    for (const item of reader.read(record)) {
      if ('row' in item) parsed.rows.push(item.row);
      else parsed.problems.push(item.problem);
    }
    if (reader.stopped) break;
  }
  if (!reader.sawHeader) return fail(1, EMPTY);
  return parsed;
}

/**
 * The rows of a stream of text already decoded and normalised (see `decodeCsvText`), one at a
 * time: memory stays bounded by the parser's buffer, whatever the file's size. A malformed file
 * ends with one problem on the line where the parser gave up.
 */
export async function* streamCsvRows(text: Readable): AsyncGenerator<CsvItem> {
  const parser: Parser = text.pipe(parseStream(OPTIONS));
  text.on('error', (error) => parser.destroy(error));
  const reader = new RecordReader();
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      yield* reader.read(record);
      if (reader.stopped) return;
    }
  } catch (error) {
    // The streaming parser's CsvError is not always the sync module's class: its code says what it is.
    if (!(error instanceof CsvError) && !String((error as { code?: unknown })?.code ?? '').startsWith('CSV_')) throw error;
    yield { problem: { line: errorLine(error as CsvError), message: `malformed CSV: ${(error as Error).message}` } };
    return;
  } finally {
    text.destroy();
  }
  if (!reader.sawHeader) yield { problem: { line: 1, message: EMPTY } };
}

/** Records → rows: the first record is the header; the rest must have as many fields. */
class RecordReader {
  sawHeader = false;
  /** The header was unusable: nothing after it can be read. */
  stopped = false;
  private columns: CsvColumn[] = [];

  *read({ record: fields, info }: CsvRecord): Generator<CsvItem> {
    const line = info.lines - newlinesIn(fields);
    if (!this.sawHeader) {
      this.sawHeader = true;
      const columns = readHeader(fields, line);
      if (Array.isArray(columns)) this.columns = columns;
      else {
        this.stopped = true;
        for (const problem of columns.problems) yield { problem };
      }
      return;
    }
    // Spreadsheets leave rows of bare commas behind; there is nothing in them to import.
    if (fields.every((field) => field.trim() === '')) return;
    const { columns } = this;
    if (fields.length !== columns.length) {
      yield {
        problem: { line, message: `${count(fields.length, 'field')}, expected ${columns.length} (${columns.join(',')}); quote values that contain commas` },
      };
      return;
    }
    const values = {} as CsvValues;
    for (let i = 0; i < columns.length; i++) values[columns[i]!] = unneutralizeCell((fields[i] ?? '').trim()).trim();
    yield { row: { line, values } };
  }
}

/** The header's columns in file order, or why the header is unusable. Any order is accepted. */
function readHeader(fields: string[], line: number): CsvColumn[] | { problems: LineProblem[] } {
  const names = fields.map((field) => field.trim().toLowerCase());
  const problems: LineProblem[] = [];
  const unknown = names.filter((name) => !isCsvColumn(name));
  const missing = CSV_COLUMNS.filter((column) => !names.includes(column) && !OPTIONAL_COLUMNS.includes(column));
  const repeated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
  if (unknown.length)
    problems.push({
      line,
      message: `${unknown.length === 1 ? 'an unknown column' : 'unknown columns'} in the header: ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the columns are ${CSV_COLUMNS.join(',')}`,
    });
  if (missing.length)
    problems.push({
      line,
      message: `${missing.length === 1 ? 'a missing column' : 'missing columns'} in the header: ${missing.join(', ')}; the columns are ${CSV_COLUMNS.join(',')}`,
    });
  if (repeated.length) problems.push({ line, message: `${repeated.length === 1 ? 'a column' : 'columns'} named twice in the header: ${repeated.join(', ')}` });
  return problems.length ? { problems } : (names as CsvColumn[]);
}

/** A quoted value may span lines; the parser reports the line a record ends on. */
function newlinesIn(fields: string[]): number {
  let count = 0;
  for (const field of fields) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) count++;
  return count;
}

function errorLine(error: CsvError): number {
  return (error as CsvError & { lines?: number }).lines ?? 1;
}

function fail(line: number, message: string): ParsedCsv {
  return { rows: [], problems: [{ line, message }] };
}
