/**
 * Multi-workspace mode's outbound calls: the outbox worker posts each workspace's warnings with
 * that workspace's own token (the fake Slack records the Authorization header), and an expired
 * rotating token is refreshed once, before the posts, even when two replicas' schedulers race.
 */
import { defaultScheduler, defaultWorker } from '../../../src/cli/serve-run';
import type { MultiWorkspace } from '../../../src/bot/oauth/index';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../src/logger';
import { openStore, type Store } from '../../../src/store/store';
import type { InstallationRecord } from '../../../src/store/installation-repository';
import { describeEachDatabase, uniqueId } from '../../support/databases';
import { connectionInput, newWarning } from '../../support/factories';
import { FakeSlack, type SlackCall } from '../../support/fake-slack';
import { answerOAuth, multiConfig, multiWorkspace } from './support';

const NOW = new Date('2026-12-01T10:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const now = () => NOW;

function record(teamId: string, token: string, extra: Partial<InstallationRecord> = {}): InstallationRecord {
  return {
    enterpriseId: null,
    teamId,
    isEnterpriseInstall: false,
    teamName: `Team ${teamId}`,
    enterpriseName: null,
    appId: 'A0001',
    botToken: token,
    botId: 'BBOT',
    botUserId: 'UBOT',
    botScopes: ['chat:write'],
    botRefreshToken: null,
    botExpiresAt: null,
    installerUserId: 'UINSTALLER',
    installedAt: NOW,
    ...extra,
  };
}

const bearer = (call: SlackCall) => String(call.headers.authorization);

describeEachDatabase('per-workspace tokens', (db) => {
  const fake = new FakeSlack();
  const refreshed: string[] = [];
  let multi: MultiWorkspace;

  beforeAll(async () => {
    await fake.start();
    answerOAuth(fake, new Map(), refreshed);
    multi = multiWorkspace(db().store, fake, now);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    refreshed.splice(0);
  });

  async function installed(token: string, alertChannel: string, extra: Partial<InstallationRecord> = {}) {
    const { store } = db();
    const id = uniqueId('T');
    await multi.installations.save(record(id, token, extra), NOW);
    await store.workspaces.ensure(id, `Team ${id}`);
    await store.workspaces.updateSettings(id, { alertChannel });
    const connection = await store.connections.create(id, connectionInput({ name: `Page of ${id}`, ownerId: `UOWN${id}` }), 'USETUP');
    await store.warnings.upsertMany([newWarning(id, connection.id)]);
    return { id, connection };
  }

  it('posts each workspace’s warnings and DMs with its own token, to its own channels only', async () => {
    const { store } = db();
    const a = await installed(`xoxb-a-${uniqueId('')}`, 'CALERTA');
    const b = await installed(`xoxb-b-${uniqueId('')}`, 'CALERTB');
    const tokens = new Map([
      [a.id, (await multi.installations.findForWorkspace(a.id))!.botToken],
      [b.id, (await multi.installations.findForWorkspace(b.id))!.botToken],
    ]);
    const worker = defaultWorker({ config: multiConfig(store, fake), store, logger: silentLogger, multi });
    for (const ws of [a, b]) expect(await worker.drain({ workspaceId: ws.id })).toMatchObject({ posted: 1, failed: 0 });

    const posts = fake.callsTo('chat.postMessage');
    for (const [ws, channel, owner] of [
      [a, 'CALERTA', `UOWN${a.id}`],
      [b, 'CALERTB', `UOWN${b.id}`],
    ] as const) {
      const own = posts.filter((c) => bearer(c) === `Bearer ${tokens.get(ws.id)}`);
      expect(own.map((c) => c.body.channel).sort()).toEqual([channel, owner].sort());
      for (const call of own) expect(JSON.stringify(call.body)).toContain(`Page of ${ws.id}`);
    }
    expect(posts).toHaveLength(4);
    expect(refreshed).toEqual([]);
  });

  it('refreshes an expired rotating token once, before posting, with two replicas’ schedulers racing', async () => {
    const { store } = db();
    const ws = await installed('xoxe.xoxb-expired', 'CALERTR', { botRefreshToken: 'xoxe-1-original', botExpiresAt: NOW_SECONDS - 10 });
    // Slack answers slowly, so the second replica arrives while the first is still exchanging.
    fake.fail('oauth.v2.access', { delayMs: 300 });
    // Each replica its own connection on PostgreSQL; on SQLite one process cannot run two check runs
    // on two connections at once (better-sqlite3 waits for the lock synchronously), so they share one.
    const other = db().provider === 'postgresql' ? openStore(db().target) : store;
    try {
      const replicas: { store: Store; multi: MultiWorkspace }[] = [
        { store, multi },
        { store: other, multi: multiWorkspace(other, fake, now) },
      ];
      const schedulers = replicas.map(({ store: s, multi: m }) => {
        const worker = defaultWorker({ config: multiConfig(s, fake), store: s, logger: silentLogger, multi: m });
        return { worker, scheduler: defaultScheduler({ config: multiConfig(s, fake), store: s, logger: silentLogger, worker, multi: m }) };
      });
      await Promise.all(schedulers.map(({ scheduler }) => scheduler.runNow(ws.id)));

      const exchanges = fake.callsTo('oauth.v2.access');
      expect(exchanges.map((c) => c.body.refresh_token)).toEqual(['xoxe-1-original']);
      const stored = (await multi.installations.findForWorkspace(ws.id))!;
      expect(stored).toMatchObject({ botToken: 'xoxe.xoxb-rotated-1', botRefreshToken: 'xoxe-1-refresh-1', botExpiresAt: NOW_SECONDS + 43_200 });
      // Both replicas now use the new token, and nobody exchanges again.
      expect(await Promise.all(replicas.map((r) => r.multi.tokens.tokenFor(ws.id)))).toEqual(['xoxe.xoxb-rotated-1', 'xoxe.xoxb-rotated-1']);

      // The check runs recorded the connection's warnings: all are posted with the new token.
      expect((await schedulers[1]!.worker.drain({ workspaceId: ws.id })).posted).toBeGreaterThan(0);
      expect(fake.callsTo('chat.postMessage').length).toBeGreaterThan(0);
      for (const call of fake.callsTo('chat.postMessage')) expect(bearer(call)).toBe('Bearer xoxe.xoxb-rotated-1');
      expect(fake.callsTo('oauth.v2.access')).toHaveLength(1);
    } finally {
      if (other !== store) await other.close();
    }
  });

  it('refreshes a token close to expiry once when many calls of two replicas ask at the same time', async () => {
    const ws = await installed('xoxe.xoxb-soon', 'CALERTS', { botRefreshToken: 'xoxe-1-soon', botExpiresAt: NOW_SECONDS + 600 });
    fake.fail('oauth.v2.access', { delayMs: 200 });
    const other = openStore(db().target);
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });
    try {
      const first = multiWorkspace(db().store, fake, now, logger);
      const second = multiWorkspace(other, fake, now, logger);
      const asked = await Promise.all([...Array(4)].flatMap(() => [first.tokens.tokenFor(ws.id), second.tokens.tokenFor(ws.id)]));
      expect(fake.callsTo('oauth.v2.access').map((c) => c.body.refresh_token)).toEqual(['xoxe-1-soon']);
      // Callers that lost the race used the old token, still valid for ten minutes, or the new one.
      for (const token of asked) expect(['xoxe.xoxb-soon', 'xoxe.xoxb-rotated-1']).toContain(token);
      expect(await second.tokens.tokenFor(ws.id)).toBe('xoxe.xoxb-rotated-1');
      // The refresh is logged, never a token.
      expect(lines.join('')).toContain('bot token refreshed');
      expect(lines.join('')).not.toMatch(/xoxe|xoxb/);
    } finally {
      await other.close();
    }
  });

  it('stops posting for an uninstalled workspace: its rows stay pending', async () => {
    const { store } = db();
    const ws = await installed(`xoxb-u-${uniqueId('')}`, 'CALERTU');
    await multi.installations.markUninstalled({ enterpriseId: null, teamId: ws.id }, NOW);
    await store.workspaces.setUninstalled(ws.id, NOW);
    const worker = defaultWorker({ config: multiConfig(store, fake), store, logger: silentLogger, multi });
    expect(await worker.drain({ workspaceId: ws.id })).toMatchObject({ posted: 0, pending: 1 });
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
    await expect(multi.tokens.tokenFor(ws.id)).rejects.toThrow(/not installed/);
  });
});
