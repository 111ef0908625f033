/**
 * A long import and Slack at the same time: the import stages its rows in short statements and
 * holds the write lock only for the final apply, so a Slack action (the bot on its own database
 * connection, as `serve` beside a CLI import) gets through in the middle of it. When the action
 * changes a row the import writes, the import plans again and stays all or nothing.
 */
import { importConnections } from '../../src/services/import-connections';
import { openStore, type Store } from '../../src/store/store';
import { csvImportSource } from '../../src/transfer/import-source';
import { NOW, SlackHarness } from '../bot/support/slack-harness';
import { addChannel, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';
import { csvFile, csvLine } from '../transfer/csv';

const ROWS = 3_000;

describeEachDatabase('an import beside Slack', (db) => {
  let bot: Store;
  let slack: SlackHarness;
  // A bot per test: a keep-alive socket left from an earlier test cannot be reset under a request.
  beforeEach(async () => {
    // The bot's own connection to the database, as a `serve` process beside the CLI has.
    bot = openStore(db().target);
    slack = await SlackHarness.start(bot);
  });
  afterEach(async () => {
    await slack.stop();
    await bot.close();
  });

  /** Imports ROWS rows (plus `extra` lines); `during` runs once, after the first thousand rows are planned. */
  async function importWith(team: string, during: () => Promise<void>, extra: string[] = [], every = false) {
    let ran = 0;
    let plans = 0;
    const csv = csvFile(...Array.from({ length: ROWS }, (_, i) => csvLine({ name: `Page ${i}`, owner_last_active_at: '2026-06-01' })), ...extra);
    const result = await importConnections(
      { store: db().store, now: () => NOW },
      {
        workspaceId: team,
        source: csvImportSource({ text: csv }),
        onProgress: async (done) => {
          if (done !== 1_000) return;
          plans++;
          if (ran++ === 0 || every) await during();
        },
      },
    );
    return { result, ran, plans };
  }

  async function refresh(team: string, name: string, on: string): Promise<string> {
    await slack.command(team, OWNER, `refresh ${name} ${on}`);
    const reply = (await slack.response()).text;
    slack.fake.reset();
    return reply;
  }

  it('a slash command that writes succeeds in the middle of a long import, and both writes stay', async () => {
    const store = db().store;
    const team = await newTeam(store);
    const other = await addChannel(store, team, { name: 'Beside', lastRefreshedAt: '2026-02-01' });
    let reply = '';
    const { result, ran, plans } = await importWith(team, async () => {
      reply = await refresh(team, 'Beside', '2026-06-14');
    });
    expect(ran).toBe(1);
    // Another connection changed: the plan stays valid.
    expect(plans).toBe(1);
    expect(reply).toContain('Beside');
    expect(reply).not.toMatch(/went wrong/i);
    expect(result).toMatchObject({ ok: true, summary: { created: ROWS } });
    expect(await store.connections.count(team)).toBe(ROWS + 1);
    expect((await store.connections.getById(team, other.id)).lastRefreshedAt).toBe('2026-06-14');
  });

  it('when the action changes a row the import writes, the import plans again and its values win, audited from the new ones', async () => {
    const store = db().store;
    const team = await newTeam(store);
    const shared = await addChannel(store, team, { name: 'Shared', lastRefreshedAt: '2026-02-01' });
    const { result, plans } = await importWith(team, async () => {
      await refresh(team, 'Shared', '2026-06-14');
    }, [csvLine({ name: 'Shared', owner: OWNER, backups: '', last_refreshed_at: '2026-03-01', owner_last_active_at: '2026-06-01' })]);
    expect(plans).toBe(2);
    expect(result).toMatchObject({ ok: true, summary: { created: ROWS, updated: 1 } });
    expect((await store.connections.getById(team, shared.id)).lastRefreshedAt).toBe('2026-03-01');
    const events = (await store.audit.list(team)).filter((e) => e.connectionId === shared.id);
    const edit = events.find((e) => e.action === 'connection.edit');
    expect(edit?.details).toMatchObject({ changed: { lastRefreshedAt: { from: '2026-06-14', to: '2026-03-01' } } });
  });

  it('when the rows it writes keep changing, the import gives up after three plans and writes nothing', async () => {
    const store = db().store;
    const team = await newTeam(store);
    const shared = await addChannel(store, team, { name: 'Shared', lastRefreshedAt: '2026-02-01' });
    const days = ['2026-06-12', '2026-06-13', '2026-06-14'];
    await expect(
      importWith(
        team,
        async () => void (await refresh(team, 'Shared', days.shift()!)),
        [csvLine({ name: 'Shared', owner: OWNER, backups: '', last_refreshed_at: '2026-03-01', owner_last_active_at: '2026-06-01' })],
        true,
      ),
    ).rejects.toThrow('kept changing during the import (3 tries); nothing was imported');
    expect(await store.connections.count(team)).toBe(1);
    expect((await store.connections.getById(team, shared.id)).lastRefreshedAt).toBe('2026-06-14');
  });
});
