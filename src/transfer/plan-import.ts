/**
 * What importing valid rows would do to a workspace: create, update or leave each connection.
 * Pure, so a dry run and the real import share one decision. A row matches an existing
 * connection by network + name (case-insensitive), the store's unique key.
 */
import type { Connection } from '../domain';
import { nameKeyOf, type ConnectionChanges } from '../store/connection-repository';
import type { ImportRow } from './validate-rows';

export type RowAction =
  | { action: 'create'; row: ImportRow }
  | { action: 'update'; row: ImportRow; existing: Connection; changes: ConnectionChanges; addBackups: string[]; removeBackups: string[] }
  | { action: 'unchanged'; row: ImportRow; existing: Connection };

/** Fields compared one by one; backups are compared as a set. */
const FIELDS = ['kind', 'name', 'url', 'ownerId', 'connectedAt', 'lastRefreshedAt', 'ownerLastActiveAt', 'status'] as const;

export function planImport(rows: readonly ImportRow[], existing: readonly Connection[]): RowAction[] {
  const byKey = new Map(existing.map((c) => [keyOf(c.network, c.name), c]));
  return rows.map((row): RowAction => {
    const match = byKey.get(keyOf(row.connection.network, row.connection.name));
    if (!match) return { action: 'create', row };
    const changes: ConnectionChanges = {};
    for (const field of FIELDS) {
      if (row.connection[field] !== match[field]) Object.assign(changes, { [field]: row.connection[field] });
    }
    if (changes.status === 'connected') Object.assign(changes, { disconnectReason: null, disconnectedAt: null });
    const current = match.backups.map((b) => b.userId);
    const addBackups = row.connection.backups.filter((id) => !current.includes(id));
    const removeBackups = current.filter((id) => !row.connection.backups.includes(id));
    if (Object.keys(changes).length === 0 && addBackups.length === 0 && removeBackups.length === 0) {
      return { action: 'unchanged', row, existing: match };
    }
    return { action: 'update', row, existing: match, changes, addBackups, removeBackups };
  });
}

/** Which CSV-visible things an update changes, for the report (e.g. "owner, backups"). */
export function changedColumns(action: Extract<RowAction, { action: 'update' }>): string[] {
  const names: Record<string, string> = {
    kind: 'kind', name: 'name', url: 'url', ownerId: 'owner', connectedAt: 'connected_at',
    lastRefreshedAt: 'last_refreshed_at', ownerLastActiveAt: 'owner_last_active_at', status: 'status',
  };
  const columns = Object.keys(action.changes).flatMap((field) => (names[field] ? [names[field]] : []));
  return action.addBackups.length || action.removeBackups.length ? [...columns, 'backups'] : columns;
}

function keyOf(network: string, name: string): string {
  return `${network}:${nameKeyOf(name)}`;
}
