/**
 * A CSV file as the import reads it: twice, streamed. The first pass checks every row and keeps
 * the first problems (and how many there are); the second, run only for a file with none, hands
 * the valid rows over one at a time to be written in batches. Neither pass holds the file.
 */
import { ChannelKeeperError } from '../errors';
import type { IsoDate } from '../domain';
import type { LineProblem } from './columns';
import { streamCsvRows } from './parse-csv';
import { streamCsvText, textStream, type CsvFile } from './read-file';
import { RowValidator, type ImportRow } from './validate-rows';

export interface ImportCheck {
  /** Valid rows (every row, when there is no problem). */
  rows: number;
  problemCount: number;
  /** The first `keepProblems` problems, in file order. */
  problems: LineProblem[];
}

export interface CheckProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface CsvImportSource {
  check(today: IsoDate): Promise<ImportCheck>;
  rows(today: IsoDate): AsyncIterable<ImportRow>;
}

export interface CsvImportSourceOptions {
  /** How many problems to keep for the report (all of them by default). */
  keepProblems?: number;
  onCheckProgress?: (progress: CheckProgress) => void;
}

/** How often (rows) the first pass reports progress. */
const PROGRESS_EVERY = 2_000;

export function csvImportSource(input: CsvFile | { text: string }, options: CsvImportSourceOptions = {}): CsvImportSource {
  const keep = options.keepProblems ?? Infinity;
  const totalBytes = 'text' in input ? Buffer.byteLength(input.text) : input.bytes;
  let bytesRead = 0;
  const open = (onBytes?: (read: number) => void) => ('text' in input ? textStream(input.text) : streamCsvText(input, onBytes));
  return {
    async check(today) {
      const validator = new RowValidator(today);
      const result: ImportCheck = { rows: 0, problemCount: 0, problems: [] };
      const problem = (p: LineProblem) => {
        result.problemCount++;
        if (result.problems.length < keep) result.problems.push(p);
      };
      let seen = 0;
      for await (const item of streamCsvRows(open((read) => (bytesRead = read)))) {
        if ('problem' in item) {
          problem(item.problem);
          continue;
        }
        const checked = validator.check(item.row);
        if ('connection' in checked) result.rows++;
        else checked.problems.forEach(problem);
        if (++seen % PROGRESS_EVERY === 0) options.onCheckProgress?.({ rows: seen, bytesRead, totalBytes });
      }
      // Problems come row by row, so they are in file order already (a header problem is line 1).
      return result;
    },
    async *rows(today) {
      // Checked again: the file may have changed since the first pass, and nothing unchecked is written.
      const validator = new RowValidator(today);
      for await (const item of streamCsvRows(open())) {
        const checked = 'problem' in item ? { problems: [item.problem] } : validator.check(item.row);
        if (!('connection' in checked)) {
          const first = checked.problems[0];
          throw new ChannelKeeperError(`the file changed while it was being imported (line ${first?.line}: ${first?.message}); nothing was imported`);
        }
        yield checked;
      }
    },
  };
}
