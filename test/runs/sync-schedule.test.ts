/**
 * `serve`'s syncs: one replica per workspace and interval (the scheduler's claim), on both
 * databases, against the fake Hootsuite; and the one admin notice as Slack blocks.
 */
import { randomBytes } from 'node:crypto';
import { buildSyncNotice } from '../../src/bot/blocks/sync-notice';
import { silentLogger } from '../../src/logger';
import { startSyncSchedule } from '../../src/runs/sync-schedule';
import { addSource } from '../../src/services/sources';
import { CLI_ACTOR } from '../../src/services/permissions';
import { sourceClients } from '../../src/sources/clients';
import { describeEachDatabase } from '../support/databases';
import { newWorkspace } from '../support/factories';
import { FakeSources } from '../support/fake-sources';

const keys = { current: randomBytes(32) };

describeEachDatabase('source sync schedule', (db) => {
  it('two replicas ticking in the same interval sync each workspace once; the next interval syncs again; a week later its fires are deleted', async () => {
    const fake = await new FakeSources().start();
    try {
      const id = await newWorkspace(db().store);
      const workspace = (await db().store.workspaces.findById(id))!;
      let now = new Date('2026-06-01T10:31:00Z');
      const base = {
        store: db().store,
        now: () => now,
        keys,
        clients: sourceClients({ ...fake.urls(), hootsuiteOAuth: null }),
        logger: silentLogger,
        intervalMinutes: 15,
        tickMs: 3_600_000,
      };
      await addSource(base, keys, { workspace, actor: CLI_ACTOR }, { kind: 'hootsuite', secret: fake.hootsuiteToken });
      fake.hootsuiteProfiles = [{ id: '1', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme', isReauthRequired: 0 }];
      const a = startSyncSchedule({ ...base, holder: 'replica-a' });
      const b = startSyncSchedule({ ...base, holder: 'replica-b' });
      const mine = () => fake.requests.filter((r) => r.route === 'hootsuite').length;
      await Promise.all([a.tick(), b.tick()]);
      expect(mine()).toBe(1);
      now = new Date('2026-06-01T10:44:59Z');
      await Promise.all([a.tick(), b.tick()]);
      expect(mine()).toBe(1);
      now = new Date('2026-06-01T10:45:00Z');
      await Promise.all([b.tick(), a.tick()]);
      expect(mine()).toBe(2);
      await Promise.all([a.stop(), b.stop()]);
      const [status] = await db().store.sources().list(id);
      expect(status).toMatchObject({ lastSyncOk: true, counts: expect.objectContaining({ seen: 1 }) });

      // A week later the fires of that day are deleted; the new interval's stays, and so do check fires.
      await db().store.scheduler.claimFire(`check:${id}:2026-06-01T09:00:00.000Z`, 'replica-a', new Date('2026-06-01T09:00:00Z'));
      await db().store.scheduler.finishFire(`check:${id}:2026-06-01T09:00:00.000Z`, 'ok', new Date('2026-06-01T09:01:00Z'));
      now = new Date('2026-06-08T10:46:00Z');
      const c = startSyncSchedule({ ...base, holder: 'replica-c' });
      await c.tick();
      await c.stop();
      const left = await db().store.scheduler.findFire(`sync:${id}:2026-06-01T10:30:00.000Z`);
      expect(left).toBeNull();
      expect(await db().store.scheduler.findFire(`sync:${id}:2026-06-08T10:45:00.000Z`)).not.toBeNull();
      expect(await db().store.scheduler.findFire(`check:${id}:2026-06-01T09:00:00.000Z`)).not.toBeNull();
    } finally {
      await fake.stop();
    }
  });
});

describe('the sync notice for admins', () => {
  it('lists the records that need an owner in one message, and a refused credential with what to do', () => {
    const message = buildSyncNotice({
      needOwner: [
        { name: 'Acme *TV*', network: 'youtube', source: 'hootsuite' },
        { name: 'acme', network: 'tiktok', source: 'buffer' },
      ],
      needsCredential: ['buffer'],
    });
    expect(message.blocks).toHaveLength(2);
    const [owners, credential] = message.blocks.map((b) => (b as { text: { text: string } }).text.text);
    expect(owners).toContain('2 new channels were found by the sync and need an owner');
    expect(owners).toContain('(youtube, from Hootsuite)');
    expect(owners).toContain('(tiktok, from Buffer)');
    expect(owners).not.toContain('*TV*');
    expect(credential).toContain('Buffer refused its credential');
    expect(message.text).toContain('2 new channels');
  });
});
