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

/** Header always, even with no rows, so the file can be filled in and imported. */
export function formatCsv(rows: readonly ExportedConnection[]): string {
  const records = rows.map((row) =>
    Object.fromEntries(
      Object.entries({ ...row, backups: row.backups.join(BACKUP_SEPARATOR) }).map(([column, value]) => [
        column,
        typeof value === 'string' ? neutralizeCell(value) : value,
      ]),
    ),
  );
  return stringify(records, { header: true, columns: [...CSV_COLUMNS] });
}

export function formatJson(rows: readonly ExportedConnection[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
