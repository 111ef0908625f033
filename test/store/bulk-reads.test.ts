/**
 * The reads a check run makes in bulk (`connections.list`, `warnings.listOpen`,
 * `warnings.listForPlanning`, `warnings.upsertMany`) use plain SQL; these pin them to what the
 * per-row ORM look-ups return, field for field, on both databases.
 */
import { describeEachDatabase } from '../support/databases';
import { connectionInput, newWarning, newWorkspace } from '../support/factories';

const NOW = new Date('2026-11-28T10:00:00Z');

describeEachDatabase('bulk reads', (db) => {
  it('lists connections exactly as findById reads them, backups included, in name then network order', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const b = await store.connections.create(ws, connectionInput({ name: 'beta', backups: ['UB2'], notes: 'n' }), 'U1');
    await store.connections.addBackup(ws, b.id, 'UB1', 'U1', new Date('2100-01-01T00:00:00Z'));
    const a = await store.connections.create(
      ws,
      connectionInput({ name: 'Alpha', network: 'facebook', kind: 'page', ownerId: null, security: { sharedLogin: true, twoFactor: false } }),
      'U1',
    );
    const a2 = await store.connections.create(ws, connectionInput({ name: 'alpha' }), 'U1');
    await store.connections.change(ws, b.id, { lastRefreshedAt: '2026-11-01' }, 'lastRefreshedAt');
    await store.connections.change(ws, a2.id, { status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: '2026-11-20' });
    await store.connections.addBackup(ws, a2.id, 'UB3', 'U1', NOW);

    const listed = await store.connections.list(ws);
    expect(listed.map((c) => c.id)).toEqual([a.id, a2.id, b.id]);
    for (const c of listed) expect(c).toEqual(await store.connections.findById(ws, c.id));
    // Oldest backup first.
    expect(listed[2]!.backups.map((x) => x.userId)).toEqual(['UB2', 'UB1']);
    expect(await store.connections.list(ws, { involving: 'UB3' })).toEqual([listed[1]]);
    expect(await store.connections.list(ws, { involving: 'UNOBODY' })).toEqual([]);
  });

  it('orders backups added at the same moment by user id', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.connections.create(ws, connectionInput({ backups: ['UB2', 'UB3', 'UB1'] }), 'U1');
    const [listed] = await store.connections.list(ws);
    expect(listed!.backups.map((x) => x.userId)).toEqual(['UB1', 'UB2', 'UB3']);
  });

  it('reads warnings in bulk exactly as findById reads them', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput(), 'U1');
    const created = await store.warnings.upsertMany([
      newWarning(ws, c.id, { stage: '30d' }),
      newWarning(ws, c.id, { stage: '14d' }),
      newWarning(ws, c.id, { stage: '7d' }),
    ]);
    expect(created).toHaveLength(3);
    // The same keys again create nothing.
    expect(await store.warnings.upsertMany([newWarning(ws, c.id, { stage: '30d' })])).toEqual([]);
    const [first, second, third] = created.map((w) => w.id);
    await store.warnings.snooze(ws, [second!], new Date('2026-12-01T00:00:00Z'), 'U1');
    await store.warnings.resolve(ws, [third!], 'U1', NOW);

    const open = await store.warnings.listOpen(ws);
    expect(open.map((w) => w.id)).toEqual([first, second]);
    for (const w of open) expect(w).toEqual(await store.warnings.findById(ws, w.id));
    expect(await store.warnings.listOpen(ws, { connectionIds: [c.id], kinds: ['expiry'] })).toEqual(open);
    expect(await store.warnings.listOpen(ws, { connectionIds: [] })).toEqual([]);
    expect(await store.warnings.listOpen(ws, { kinds: ['security'] })).toEqual([]);

    const keys = created.map((w) => w.dedupKey);

    // Planning's one read: the open rows, plus the resolved one whose key is asked for, in id order.
    const planning = await store.warnings.listForPlanning(ws, [keys[2]!, 'no-such-key']);
    expect(planning.map((w) => w.id)).toEqual([first, second, third]);
    for (const w of planning) expect(w).toEqual(await store.warnings.findById(ws, w.id));
    expect((await store.warnings.listForPlanning(ws, [])).map((w) => w.id)).toEqual([first, second]);
    expect(await store.warnings.listForPlanning(`${ws}-other`, keys)).toEqual([]);
  });
});
