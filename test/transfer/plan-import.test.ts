import type { Connection } from '../../src/domain';
import { changedColumns, planImport, type RowAction } from '../../src/services/import-connections';
import type { ImportRow } from '../../src/transfer/validate-rows';
import { makeConnection } from '../rules/factories';

function row(overrides: Partial<ImportRow['connection']> = {}, line = 2): ImportRow {
  return {
    line,
    connection: {
      network: 'linkedin',
      kind: 'company_page',
      name: 'Acme',
      url: null,
      ownerId: 'U0OWNER1',
      connectedAt: '2026-01-10',
      lastRefreshedAt: null,
      ownerLastActiveAt: null,
      status: 'connected',
      backups: [],
      ...overrides,
    },
  };
}

function stored(overrides: Partial<Connection> & { backupIds?: string[] } = {}): Connection {
  const { backupIds = [], ...rest } = overrides;
  const base = makeConnection({
    id: 7,
    network: 'linkedin',
    kind: 'company_page',
    name: 'Acme',
    url: null,
    ownerId: 'U0OWNER1',
    connectedAt: '2026-01-10',
    lastRefreshedAt: null,
    ownerLastActiveAt: null,
    status: 'connected',
    ...rest,
  });
  return { ...base, backups: backupIds.map((userId) => ({ connectionId: base.id, userId, addedBy: 'cli', addedAt: new Date(0) })) };
}

function only(actions: RowAction[]): RowAction {
  expect(actions).toHaveLength(1);
  return actions[0]!;
}

describe('planImport', () => {
  it('creates a row no connection matches', () => {
    expect(only(planImport([row()], [])).action).toBe('create');
  });

  it('creates when only another network has the name', () => {
    expect(only(planImport([row()], [stored({ network: 'facebook', kind: 'page' })])).action).toBe('create');
  });

  it('leaves an identical connection unchanged, backups compared as a set', () => {
    const action = only(planImport([row({ backups: ['U0B2', 'U0B1'] })], [stored({ backupIds: ['U0B1', 'U0B2'] })]));
    expect(action.action).toBe('unchanged');
  });

  it('matches names case-insensitively, and a new spelling of the name is an update', () => {
    const action = only(planImport([row({ name: 'ACME' })], [stored()]));
    expect(action).toMatchObject({ action: 'update', changes: { name: 'ACME' }, existing: { id: 7 } });
  });

  it('updates only what differs, and lists it by column', () => {
    const action = only(
      planImport([row({ ownerId: 'U0NEW', lastRefreshedAt: '2026-06-01', backups: ['U0B3', 'U0B1'] })], [stored({ backupIds: ['U0B1', 'U0B2'] })]),
    );
    expect(action).toMatchObject({
      action: 'update',
      changes: { ownerId: 'U0NEW', lastRefreshedAt: '2026-06-01' },
      addBackups: ['U0B3'],
      removeBackups: ['U0B2'],
    });
    expect(Object.keys((action as Extract<RowAction, { action: 'update' }>).changes).sort()).toEqual(['lastRefreshedAt', 'ownerId']);
    expect(changedColumns(action as Extract<RowAction, { action: 'update' }>)).toEqual(['owner', 'last_refreshed_at', 'backups']);
  });

  it('a change of backups alone is an update', () => {
    const action = only(planImport([row({ backups: ['U0B1', 'U0B3'] })], [stored({ backupIds: ['U0B1'] })]));
    expect(action).toMatchObject({ action: 'update', changes: {}, addBackups: ['U0B3'], removeBackups: [] });
    expect(changedColumns(action as Extract<RowAction, { action: 'update' }>)).toEqual(['backups']);
  });

  it('clears a stale disconnect reason when a row says connected again', () => {
    const action = only(planImport([row()], [stored({ status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: '2026-05-01' })]));
    expect(action).toMatchObject({ action: 'update', changes: { status: 'connected', disconnectReason: null, disconnectedAt: null } });
    expect(changedColumns(action as Extract<RowAction, { action: 'update' }>)).toEqual(['status']);
  });

  it('treats an empty cell as "none": a url in the database and none in the file is a change', () => {
    const action = only(planImport([row({ url: null })], [stored({ url: 'https://x.example' })]));
    expect(action).toMatchObject({ action: 'update', changes: { url: null } });
  });
});
