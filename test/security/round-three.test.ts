/**
 * The adversarial suite, round three: what two replicas, a key rotation, a flood of unfinished
 * installs, trace logs and an org-wide uninstall could do. Each case runs on SQLite and
 * PostgreSQL. On PostgreSQL "replicas" are separate stores (their own connections) on one
 * database; on SQLite both use the one connection (better-sqlite3 waits for another connection's
 * lock by blocking the thread, so two in one process would wait on each other), which still
 * interleaves everything outside a transaction.
 */
import { CLI_ACTOR } from '../../src/services/permissions';
import { setRole } from '../../src/services/workspace';
import { openStore, type Store } from '../../src/store';
import { describeEachDatabase, uniqueId } from '../support/databases';

const NOW = new Date('2026-12-01T10:00:00Z');

describeEachDatabase('adversarial: two replicas', (db) => {
  let replicas: [Store, Store];
  const separate = () => db().provider === 'postgresql';
  beforeAll(() => void (replicas = separate() ? [openStore(db().target), openStore(db().target)] : [db().store, db().store]));
  afterAll(async () => {
    if (separate()) for (const replica of replicas) await replica.close();
  });

  it('two admins demoting each other at once on two replicas leave one admin (the guard runs under the lock)', async () => {
    for (let round = 0; round < 4; round += 1) {
      const team = uniqueId('T');
      await db().store.workspaces.ensure(team);
      await db().store.members.upsert(team, 'UADMINA', { role: 'admin' });
      await db().store.members.upsert(team, 'UADMINB', { role: 'admin' });
      const acting = async (store: Store, userId: string) => ({
        workspace: await store.workspaces.getById(team),
        actor: (await store.members.find(team, userId))!,
      });
      const [a, b] = await Promise.all([acting(replicas[0], 'UADMINA'), acting(replicas[1], 'UADMINB')]);
      const outcomes = await Promise.all([
        setRole({ store: replicas[0], now: () => NOW }, a, 'UADMINB', 'member'),
        setRole({ store: replicas[1], now: () => NOW }, b, 'UADMINA', 'member'),
      ]);
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['changed', 'last_admin']);
      expect(await db().store.members.list(team, { role: 'admin', active: true })).toHaveLength(1);
    }
  });

  it('the command line names an admin again when none is left', async () => {
    const team = uniqueId('T');
    await db().store.workspaces.ensure(team);
    await db().store.members.upsert(team, 'UONLY', { role: 'member' });
    const change = await setRole(
      { store: replicas[0], now: () => NOW },
      { workspace: await db().store.workspaces.getById(team), actor: CLI_ACTOR },
      'UONLY',
      'admin',
    );
    expect(change.outcome).toBe('changed');
    expect((await db().store.members.list(team, { role: 'admin' })).map((m) => m.userId)).toEqual(['UONLY']);
  });
});
