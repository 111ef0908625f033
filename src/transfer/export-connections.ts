/** A workspace's connections (not archived) as CSV or JSON, in the import file's columns. */
import { stringify } from 'csv-stringify/sync';
import type { Connection } from '../domain';
import { BACKUP_SEPARATOR, CSV_COLUMNS, neutralizeCell } from './columns';

export { EXPORT_FORMATS, type ExportFormat } from './columns';

/** One connection under the file's column names; JSON keeps `backups` as an array and empty values as null. */
export interface ExportedConnection {
  network: string;
  kind: string;
  name: string;
  url: string | null;
  owner: string | null;
  connected_at: string;
  last_refreshed_at: string | null;
  owner_last_active_at: string | null;
  backups: string[];
  status: string;
  /** The management tool; empty in CSV, null in JSON when none is recorded. */
  tool: string | null;
  /** The day it was retired (`YYYY-MM-DD`, UTC); empty in CSV, null in JSON while it is in use. */
  retired: string | null;
}

export function exportedConnection(c: Connection): ExportedConnection {
  return {
    network: c.network,
    kind: c.kind,
    name: c.name,
    url: c.url,
    owner: c.ownerId,
    connected_at: c.connectedAt,
    last_refreshed_at: c.lastRefreshedAt,
    owner_last_active_at: c.ownerLastActiveAt,
    // Sorted so two exports of the same data are byte-identical.
    backups: c.backups.map((b) => b.userId).sort(),
    status: c.status,
    tool: c.tool,
    retired: c.retiredAt ? c.retiredAt.toISOString().slice(0, 10) : null,
  };
}

/** One row as CSV cells: backups in one cell, every text cell safe from spreadsheet formulas. */
function csvRecord(row: ExportedConnection): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({ ...row, backups: row.backups.join(BACKUP_SEPARATOR) }).map(([column, value]) => [
      column,
      typeof value === 'string' ? neutralizeCell(value) : value,
    ]),
  );
}

/** Header always, even with no rows, so the file can be filled in and imported. */
export function formatCsv(rows: readonly ExportedConnection[]): string {
  return stringify(rows.map(csvRecord), { header: true, columns: [...CSV_COLUMNS] });
}

export function formatJson(rows: readonly ExportedConnection[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** The text of `formatCsv`, one piece a page: a large workspace is never held whole. */
export async function* csvChunks(pages: AsyncIterable<readonly ExportedConnection[]>): AsyncGenerator<string> {
  yield stringify([], { header: true, columns: [...CSV_COLUMNS] });
  for await (const page of pages) if (page.length) yield stringify(page.map(csvRecord), { header: false, columns: [...CSV_COLUMNS] });
}

/** The text of `formatJson`, one piece a page: each row as `JSON.stringify(rows, null, 2)` lays it out in the array. */
export async function* jsonChunks(pages: AsyncIterable<readonly ExportedConnection[]>): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    if (!page.length) continue;
    yield `${first ? '[\n' : ',\n'}${page.map((row) => `  ${JSON.stringify(row, null, 2).replace(/\n/g, '\n  ')}`).join(',\n')}`;
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}
