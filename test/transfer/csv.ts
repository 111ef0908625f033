/** Builds import files for the transfer suites: the contract's header, then the given lines. */
import { CSV_COLUMNS } from '../../src/transfer/columns';

export const HEADER = CSV_COLUMNS.join(',');

export function csvFile(...lines: string[]): string {
  return [HEADER, ...lines].join('\n') + '\n';
}

/** One valid line; override a column by name. */
export function csvLine(overrides: Partial<Record<(typeof CSV_COLUMNS)[number], string>> = {}): string {
  const values: Record<string, string> = {
    network: 'linkedin',
    kind: 'company_page',
    name: 'Acme',
    url: 'https://www.linkedin.com/company/acme',
    owner: 'U0OWNER1',
    connected_at: '2026-01-10',
    last_refreshed_at: '2026-06-01',
    owner_last_active_at: '2026-11-01',
    backups: 'U0BACKUP1',
    status: '',
    ...overrides,
  };
  return CSV_COLUMNS.map((column) => values[column]).join(',');
}
