/** A workspace's connections (not archived) as an export file: the read behind `channel-keeper export`. */
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';
import { exportedConnection, formatCsv, formatJson, type ExportFormat } from '../transfer/export-connections';

export async function exportConnections(store: Store, workspaceId: string, format: Exclude<ExportFormat, 'ics'>): Promise<string> {
  if (!(await store.workspaces.findById(workspaceId))) {
    throw new NotFoundError(
      `no workspace with id ${workspaceId}: check the id (a workspace exists once the bot is installed there or a file was imported into it)`,
    );
  }
  const rows = (await store.connections.list(workspaceId)).map(exportedConnection);
  return format === 'json' ? formatJson(rows) : formatCsv(rows);
}
