/**
 * `serve` as a real process while Slack goes down at run time: first answering 503 to every post,
 * then refusing connections altogether, with warnings due all along. The process keeps running
 * (no Slack error crashes it) and stays ready (/readyz says "degraded"), and once Slack is back
 * posts the whole backlog, each warning once.
 */
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore, type Store } from '../../src/store/store';
import { connectionInput, newWarning } from '../support/factories';
import { enabledDatabases } from '../support/global-setup';
import { FakeSlack, type SlackCall } from '../support/fake-slack';
import { expandIds } from '../../src/bot/delivery/slack-sender';
import { bin, checkTimeAMinuteBefore, freePort, processDatabase, start, type ProcessDatabase, until } from './process-support';

/** The warning ids a posted message carries (its metadata). */
function idsIn(call: SlackCall): number[] {
  const metadata = call.body.metadata as { event_payload?: { warning_ids?: string } } | undefined;
  return expandIds(String(metadata?.event_payload?.warning_ids ?? ''));
}

describe.each(enabledDatabases())('serve while Slack is down [%s]', (provider) => {
  let database: ProcessDatabase;
  let url: string;
  beforeEach(async () => {
    database = await processDatabase(provider, 'ck_outage');
    url = database.url;
  });
  afterEach(() => database.drop());

  it('keeps running through 503s and refused connections, then posts the backlog once Slack is back', async () => {
    const target = parseDatabaseUrl(url);
    await migrate(target);
    const seeding = openStore(target);
    const team = 'TOUTAGE1';
    const now = new Date();
    const checkTime = checkTimeAMinuteBefore(now);
    const today = now.toISOString().slice(0, 10);
    await seeding.workspaces.ensure(team, 'Outage test');
    await seeding.workspaces.updateSettings(team, { alertChannel: 'COUTAGE', timeZone: 'UTC', checkTime });
    // Three connections with three days left on their token, never refreshed: two warnings each,
    // recorded by the check `serve` catches up on at start.
    const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
    for (const name of ['Acme', 'Globex', 'Initech']) {
      await seeding.connections.create(team, connectionInput({ name, connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today, backups: ['UB1'] }), 'test');
    }
    // Closed while `serve` migrates the database (SQLite), opened again once it runs.
    await seeding.close();

    let fake = await new FakeSlack().start();
    const slackPort = Number(new URL(fake.apiUrl).port);
    // auth.test answers (serve starts), but every post gets a 503.
    fake.fail('chat.postMessage', { status: 503, times: Infinity });
    const port = await freePort();
    const service = start(process.execPath, [bin, 'serve'], {
      DATABASE_URL: url,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      OUTBOX_INTERVAL_MS: '200',
    });
    let store: Store | null = null;
    try {
      await until(() => (service.stderr().includes('Channel Keeper is running') ? true : undefined), 'the bot to run', 60_000);
      const db = openStore(target);
      store = db;
      // 503s: the six warnings go back to pending, waiting for their next attempt.
      await until(
        async () => {
          const rows = await db.warnings.listOpen(team);
          return rows.length === 6 && rows.every((w) => w.state === 'pending' && /503/.test(w.lastError ?? '')) ? true : undefined;
        },
        'the posts to fail with 503',
        60_000,
      );
      expect(fake.callsTo('chat.postMessage').length).toBeGreaterThan(1);

      // Slack unreachable: connections refused, while two more warnings fall due.
      await fake.stop();
      const [acme] = await db.connections.list(team);
      await db.warnings.upsertMany([newWarning(team, acme!.id, { stage: '7d' }), newWarning(team, acme!.id, { stage: '1d' })]);
      await until(
        async () => {
          const rows = await db.warnings.listOpen(team);
          const fresh = rows.filter((w) => w.stage === '7d' || w.stage === '1d');
          return fresh.length === 2 && fresh.every((w) => w.state === 'pending' && /request failed/.test(w.lastError ?? '')) ? true : undefined;
        },
        'the posts to fail with a refused connection',
        60_000,
      );
      expect(service.child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // Ready all the same: Slack being away is no reason for a load balancer to drop this replica.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, status: 'degraded', checks: { slack: expect.stringMatching(/^degraded: Slack unreachable/) } });

      // Slack is back, on the same address: everything waiting is posted at its next attempt.
      fake = await new FakeSlack().start(slackPort);
      const rows = await until(
        async () => {
          const open = await db.warnings.listOpen(team);
          return open.length === 8 && open.every((w) => w.state === 'posted') ? open : undefined;
        },
        'the backlog to be posted',
        150_000,
      );
      const carried = fake
        .callsTo('chat.postMessage')
        .filter((c) => c.body.channel === 'COUTAGE')
        .flatMap(idsIn)
        .sort((a, b) => a - b);
      expect(carried).toEqual(rows.map((w) => w.id).sort((a, b) => a - b)); // each warning in exactly one message
      expect(service.child.exitCode).toBeNull();
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stderr()).not.toMatch(/Unhandled|uncaught/i);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await fake.stop();
      await store?.close();
    }
  }, 300_000);
});
