/**
 * A workspace's connections (not archived) as an export file: the read behind `channel-keeper
 * export`. Read and written a page at a time, so a workspace of any size costs the same memory:
 * first the order (ids only), then the rows of each page in that order.
 */
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';
import { csvChunks, exportedConnection, jsonChunks, type ExportedConnection, type ExportFormat } from '../transfer/export-connections';

/** Rows read and written at a time: a page of connections is a few hundred kilobytes. */
const EXPORT_PAGE_SIZE = 500;

export interface ExportOptions {
  /** Rows a page (tests set a small one). */
  pageSize?: number;
}

/** The export's text in pieces; the workspace is checked first, so a mistake fails before anything is written. */
export async function openConnectionsExport(
  store: Store,
  workspaceId: string,
  format: Exclude<ExportFormat, 'ics'>,
  { pageSize = EXPORT_PAGE_SIZE }: ExportOptions = {},
): Promise<AsyncIterable<string>> {
  await assertWorkspace(store, workspaceId);
  // The order first (ids only): a database that fails fails here, before anything is written.
  const ids = await store.connectionPages.idsInListOrder(workspaceId, pageSize);
  async function* pages(): AsyncGenerator<ExportedConnection[]> {
    for (let at = 0; at < ids.length; at += pageSize) {
      if (at > 0) await nextTurn();
      yield (await store.connectionPages.byIds(workspaceId, ids.slice(at, at + pageSize))).map(exportedConnection);
    }
  }
  return format === 'json' ? jsonChunks(pages()) : csvChunks(pages());
}

/** The whole export as one text (a small workspace, or a test). */
export async function exportConnections(store: Store, workspaceId: string, format: Exclude<ExportFormat, 'ics'>, options?: ExportOptions): Promise<string> {
  return joinChunks(await openConnectionsExport(store, workspaceId, format, options));
}

/** Lets other work in between pages: SQLite reads complete synchronously and would hold the event loop for the whole export. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function joinChunks(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

export async function assertWorkspace(store: Store, workspaceId: string) {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) {
    throw new NotFoundError(
      `no workspace with id ${workspaceId}: check the id (a workspace exists once the bot is installed there or a file was imported into it)`,
    );
  }
  return workspace;
}
