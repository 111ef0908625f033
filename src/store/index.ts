export { Store, openStore } from './store';
export { migrate } from './migrate';
export { parseDatabaseUrl, redactUrl, DEFAULT_DATABASE_URL } from './database-url';
export type { DatabaseTarget, DatabaseProvider } from './database-url';
export type { ConnectionInput, ConnectionChanges, ConnectionFilter, ConnectionChange } from './connection-repository';
export { nameKeyOf } from './connection-repository';
export type { WorkspaceSettings } from './workspace-repository';
export type { NewAuditEvent } from './audit-repository';
export { OPEN_STATES } from './warning-repository';
