import { ConflictError, NotFoundError } from '../../src/errors';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { connectionInput, newWarning, newWorkspace } from '../support/factories';
import { addBackup, recordActivity, recordRefresh, writeRefresh } from '../../src/services/caretaking';
import { handover, writeAdded, writeDisconnected } from '../../src/services/channels';
import type { Acting } from '../../src/services/deps';

const NOW = new Date('2026-11-28T10:00:00Z');

describeEachDatabase('connections', (db) => {
  /** An admin of the workspace, for the use cases that write a change with its audit event and warnings. */
  const acting = async (ws: string): Promise<Acting> => {
    const { store } = db();
    await store.members.upsert(ws, 'UADMIN', { role: 'admin' });
    return { workspace: await store.workspaces.getById(ws), actor: (await store.members.find(ws, 'UADMIN'))! };
  };

  it('creates a connection with backups and an audit event, and finds it by name case-insensitively', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const created = await writeAdded(store, ws, connectionInput({ name: 'Acme Careers', backups: ['UB1', 'UB2', 'UB1'] }), 'UADMIN');
    expect(created.backups.map((b) => b.userId).sort()).toEqual(['UB1', 'UB2']);
    const found = await store.connections.findByName(ws, '  acme CAREERS ');
    expect(found.map((c) => c.id)).toEqual([created.id]);
    const events = await store.audit.list(ws, { connectionId: created.id });
    expect(events.map((e) => e.action)).toEqual(['connection.add']);
  });

  it('refuses a second channel with the same name and network, whatever the case, and writes nothing', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await writeAdded(store, ws, connectionInput({ name: 'Acme' }), 'UADMIN');
    await expect(writeAdded(store, ws, connectionInput({ name: 'ACME', backups: ['UB9'] }), 'UADMIN')).rejects.toThrow(ConflictError);
    await expect(writeAdded(store, ws, connectionInput({ name: 'acme' }), 'UADMIN')).rejects.toThrow(/already exists/);
    expect(await store.connections.count(ws)).toBe(1);
    expect(await store.audit.count(ws)).toBe(1);
    // Another network may use the name.
    await store.connections.create(ws, connectionInput({ name: 'Acme', network: 'facebook', kind: 'page' }), 'UADMIN');
    expect(await store.connections.findByName(ws, 'acme')).toHaveLength(2);
  });

  it('keeps workspaces apart: B never sees, finds or changes A rows', async () => {
    const { store } = db();
    const a = await newWorkspace(store);
    const b = await newWorkspace(store);
    const inA = await store.connections.create(a, connectionInput({ name: 'Shared Name' }), 'U1');
    await store.connections.create(b, connectionInput({ name: 'Shared Name' }), 'U1');
    expect(await store.connections.list(b)).toHaveLength(1);
    expect((await store.connections.list(b))[0]!.id).not.toBe(inA.id);
    expect(await store.connections.findById(b, inA.id)).toBeNull();
    await expect(writeRefresh(store, { workspaceId: b, connectionId: inA.id, actorId: 'U1', at: NOW }, '2026-11-01')).rejects.toThrow(NotFoundError);
    await store.warnings.upsertMany([newWarning(a, inA.id)]);
    expect(await store.warnings.listOpen(b)).toEqual([]);
    expect(await store.audit.list(b, { connectionId: inA.id })).toEqual([]);
  });

  it('records a refresh: connection, audit event and resolved warnings together', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput(), 'U1');
    await store.warnings.upsertMany([newWarning(ws, c.id, { kind: 'expiry', stage: '30d' }), newWarning(ws, c.id, { kind: 'no_backup', stage: 'none' })]);
    const change = await writeRefresh(store, { workspaceId: ws, connectionId: c.id, actorId: 'UREFRESHER', at: NOW }, '2026-11-27');
    expect(change.connection.lastRefreshedAt).toBe('2026-11-27');
    expect(change.resolvedWarnings.map((w) => w.kind)).toEqual(['expiry']);
    const open = await store.warnings.listOpen(ws);
    expect(open.map((w) => w.kind)).toEqual(['no_backup']);
    // The event carries the clock's time (NOW), like the warnings it resolved.
    const refreshed = (await store.audit.list(ws, { connectionId: c.id })).filter((e) => e.action === 'connection.refresh');
    expect(refreshed).toEqual([expect.objectContaining({ actorId: 'UREFRESHER', details: { on: '2026-11-27' }, at: NOW })]);
  });

  it('records the same refresh once, even when two arrive at the same moment', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput(), 'U1');
    const results = await Promise.all([1, 2].map(() => writeRefresh(store, { workspaceId: ws, connectionId: c.id, actorId: 'U1', at: NOW }, '2026-11-27')));
    expect(results.map((r) => r.changed).sort()).toEqual([false, true]);
    expect((await store.audit.list(ws, { connectionId: c.id })).filter((e) => e.action === 'connection.refresh')).toHaveLength(1);
    const deps = { store, now: () => NOW };
    const asAdmin = await acting(ws);
    expect((await recordActivity(deps, asAdmin, c, '2026-11-27')).changed).toBe(true);
    expect((await recordActivity(deps, asAdmin, c, '2026-11-27')).changed).toBe(false);
    expect((await store.audit.list(ws, { connectionId: c.id })).filter((e) => e.action === 'connection.activity')).toHaveLength(1);
  });

  it('adds a backup once; a second add is a conflict and a missing remove is not found', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput({ ownerId: 'UOWN' }), 'U1');
    await store.connections.addBackup(ws, c.id, 'UB', 'U1', NOW);
    await expect(store.connections.addBackup(ws, c.id, 'UB', 'U1', NOW)).rejects.toThrow(/already a backup admin/);
    await expect(store.connections.addBackup(ws, c.id, 'UOWN', 'U1', NOW)).rejects.toThrow(ConflictError);
    await expect(store.connections.removeBackup(ws, c.id, 'UNOBODY')).rejects.toThrow(NotFoundError);
    await store.connections.removeBackup(ws, c.id, 'UB');
    expect((await store.connections.getById(ws, c.id)).backups).toEqual([]);
  });

  it('lists with filters: network, owner, involving (owner or backup), status', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const a = await store.connections.create(ws, connectionInput({ name: 'A', ownerId: 'UX' }), 'U1');
    const b = await store.connections.create(ws, connectionInput({ name: 'B', ownerId: 'UY', backups: ['UX'] }), 'U1');
    const c = await store.connections.create(ws, connectionInput({ name: 'C', ownerId: 'UY', network: 'instagram', kind: 'business_account' }), 'U1');
    await writeDisconnected(store, { workspaceId: ws, connectionId: c.id, actorId: 'U1', at: NOW }, 'password_change', '2026-11-20');
    const ids = async (filter: Parameters<typeof store.connections.list>[1]) => (await store.connections.list(ws, filter)).map((x) => x.id);
    expect(await ids({ network: 'instagram' })).toEqual([c.id]);
    expect(await ids({ ownerId: 'UX' })).toEqual([a.id]);
    expect(await ids({ involving: 'UX' })).toEqual([a.id, b.id]);
    expect(await ids({ status: 'disconnected' })).toEqual([c.id]);
  });

  it('archives: gone from lists and look-ups, name free again, history kept', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await writeAdded(store, ws, connectionInput({ name: 'Old Page' }), 'U1');
    await store.connections.archive(ws, c.id, NOW);
    expect(await store.connections.findByName(ws, 'old page')).toEqual([]);
    expect(await store.connections.list(ws)).toEqual([]);
    expect(await store.connections.list(ws, { includeArchived: true })).toHaveLength(1);
    await store.connections.create(ws, connectionInput({ name: 'Old Page' }), 'U1');
    // The repository writes the connection only: the audit event is the use case's (removeConnection).
    expect((await store.audit.list(ws, { connectionId: c.id })).map((e) => e.action)).toEqual(['connection.add']);
  });

  it('edits fields and returns what changed; renaming onto another name is a conflict', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput({ name: 'One', url: null }), 'U1');
    await store.connections.create(ws, connectionInput({ name: 'Two' }), 'U1');
    const { connection: edited, changed } = await store.connections.update(ws, c.id, { url: 'https://x.test', security: { twoFactor: false } });
    expect(edited.url).toBe('https://x.test');
    expect(edited.security.twoFactor).toBe(false);
    expect(changed).toEqual({ url: { from: null, to: 'https://x.test' }, twoFactor: { from: null, to: false } });
    expect(await store.audit.count(ws, c.id)).toBe(0);
    await expect(store.connections.update(ws, c.id, { name: 'two' })).rejects.toThrow(ConflictError);
    expect((await store.connections.getById(ws, c.id)).name).toBe('One');
  });

  it('hands over everything a leaving person owns or backs up in one step', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const owned = await store.connections.create(ws, connectionInput({ name: 'Owned', ownerId: 'ULEAVE', backups: ['USUCC'] }), 'U1');
    const backed = await store.connections.create(ws, connectionInput({ name: 'Backed', ownerId: 'UOTHER', backups: ['ULEAVE'] }), 'U1');
    await store.warnings.upsertMany([newWarning(ws, owned.id, { kind: 'owner_gone', stage: 'gone' })]);
    const { changes } = await handover({ store, now: () => NOW }, await acting(ws), 'ULEAVE', 'USUCC');
    expect(changes).toHaveLength(2);
    // Ordered by name: Backed (a backup place, settles nothing), then Owned (an owner again: `owner_gone` settles).
    expect(changes.map((c) => [c.connection.name, c.resolvedWarnings.map((w) => w.kind)])).toEqual([
      ['Backed', []],
      ['Owned', ['owner_gone']],
    ]);
    expect((await store.audit.list(ws)).filter((e) => e.action === 'connection.handover').map((e) => [e.connectionId, e.actorId, e.details])).toEqual(
      expect.arrayContaining([
        [owned.id, 'UADMIN', { from: 'ULEAVE', to: 'USUCC', role: 'owner' }],
        [backed.id, 'UADMIN', { from: 'ULEAVE', to: 'USUCC', role: 'backup' }],
      ]),
    );
    const o = await store.connections.getById(ws, owned.id);
    expect(o.ownerId).toBe('USUCC');
    expect(o.backups).toEqual([]);
    const b = await store.connections.getById(ws, backed.id);
    expect(b.backups.map((x) => x.userId)).toEqual(['USUCC']);
    expect(await store.warnings.listOpen(ws)).toEqual([]);
    expect(await store.connections.list(ws, { involving: 'ULEAVE' })).toEqual([]);
  });

  it('rolls back a multi-row change that fails half way', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await writeAdded(store, ws, connectionInput({ ownerId: 'UOWN' }), 'U1');
    const deps = { store, now: () => NOW };
    await expect(
      store.transaction(async (tx) => {
        await recordRefresh({ ...deps, store: tx }, await acting(ws), c, '2026-11-20');
        await addBackup({ ...deps, store: tx }, await acting(ws), c, 'UOWN'); // conflict: owner as backup
      }),
    ).rejects.toThrow(ConflictError);
    expect((await store.connections.getById(ws, c.id)).lastRefreshedAt).toBeNull();
    expect(await store.audit.count(ws, c.id)).toBe(1);
  });

  it('keeps members and roles per workspace', async () => {
    const { store } = db();
    const a = await newWorkspace(store);
    const b = await newWorkspace(store);
    const user = uniqueId('U');
    await store.members.upsert(a, user, { role: 'admin', name: 'Ana' });
    expect((await store.members.find(a, user))?.role).toBe('admin');
    expect(await store.members.find(b, user)).toBeNull();
    await store.members.upsert(a, user, { active: false });
    expect(await store.members.inactiveUserIds(a)).toEqual(new Set([user]));
    expect((await store.members.find(a, user))?.role).toBe('admin');
  });

  it('stores workspace settings and outages', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const { created } = await store.workspaces.ensure(ws);
    expect(created).toBe(false);
    const updated = await store.workspaces.updateSettings(ws, {
      timeZone: 'Europe/Berlin',
      checkTime: '08:30',
      alertChannel: 'C123',
      policyOverrides: { all: { expiryLadder: [21, 7] } },
    });
    expect(updated).toMatchObject({ timeZone: 'Europe/Berlin', checkTime: '08:30', alertChannel: 'C123', policyOverrides: { all: { expiryLadder: [21, 7] } } });
    const withOutage = await store.workspaces.setOutage(ws, 'linkedin', NOW);
    expect(withOutage.outages).toEqual({ linkedin: NOW.toISOString() });
    expect((await store.workspaces.setOutage(ws, 'linkedin', null)).outages).toEqual({});
  });
});
