/**
 * The operational edges: CSV cells a spreadsheet would run, files that never end, a SQLite file
 * deleted or replaced under the bot, and stored
 * name keys recomputed when the key's rules change.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nameKeyOf } from '../../src/domain';
import { createDb } from '../../src/store/client';
import { migrate } from '../../src/store/migrate';
import { NAME_KEY_MARKER, recomputeNameKeys } from '../../src/store/name-keys';
import { openStore } from '../../src/store/store';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { csvImportSource } from '../../src/transfer/import-source';
import { exportedConnection, formatCsv } from '../../src/transfer/export-connections';
import { openCsvFile } from '../../src/transfer/read-file';
import { parseConnectionsCsv } from '../../src/transfer/parse-csv';
import { describeEachDatabase } from '../support/databases';
import { SlackHarness } from '../bot/support/slack-harness';
import { addChannel, newTeam, OWNER } from '../bot/support/team';
import type { Connection } from '../../src/domain';
import { makeConnection } from '../rules/factories';

const FORMULAS = [
  '=HYPERLINK("https://evil.example","x")',
  '+1+1',
  '-2',
  '@SUM(A1)',
  '\tTab',
  "'=already quoted",
  "''+twice",
  "'plain apostrophe",
  'Ben & Jerry',
];

function connectionNamed(name: string, id: number): Connection {
  return makeConnection({ id, name, url: '=cmd|calc', ownerId: 'UOWNER1', connectedAt: '2026-01-05', backups: [] });
}

describe('CSV: formula cells', () => {
  it('export starts every formula-leading cell with an apostrophe; import of that file gives the names back', async () => {
    const csv = formatCsv(FORMULAS.map((name, i) => exportedConnection(connectionNamed(name, i + 1))));
    for (const line of csv.split('\n').slice(1).filter(Boolean)) expect(line).not.toMatch(/(^|,)"?[=+\-@\t\r]/);
    const parsed = parseConnectionsCsv(csv);
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows.map((r) => r.values.name)).toEqual(FORMULAS.map((n) => n.trim()));
    expect(parsed.rows[0]!.values.url).toBe('=cmd|calc');
    // The streamed import reads it the same way (an address must be a web address: a file without the formula one).
    const importable = formatCsv(FORMULAS.map((name, i) => exportedConnection({ ...connectionNamed(name, i + 1), url: null })));
    const names: string[] = [];
    for await (const row of csvImportSource({ text: importable }).rows('2026-06-15')) names.push(row.connection.name);
    expect(names).toEqual(FORMULAS.map((n) => n.trim()));
  });
});

describe('import: files that are not files, or never end', () => {
  it('/dev/zero is refused at once, and so is a file over the limit', () => {
    expect(() => openCsvFile('/dev/zero')).toThrow('not a regular file');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-import-'));
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, 'x'.repeat(2048));
    expect(() => openCsvFile(big, 1024)).toThrow('the import limit is');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a line that never ends (NUL bytes, no line break) stops at the record limit with one problem', async () => {
    const header = 'network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status\n';
    const check = await csvImportSource({ text: header + '\u0000'.repeat(200_000) }).check('2026-06-15');
    expect(check.rows).toBe(0);
    expect(check.problems[0]?.message).toMatch(/malformed CSV/);
  });
});

describe('SQLite file under a running bot', () => {
  async function started() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-health-'));
    const target = parseDatabaseUrl(`file:${path.join(dir, 'ck.db')}`);
    await migrate(target);
    const store = openStore(target);
    const slack = await SlackHarness.start(store);
    const health = async () => (await fetch(`${slack.baseUrl}/healthz`)).status;
    const stop = async () => {
      await slack.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { file: target.filePath!, health, stop, store, slack };
  }

  it('refuses every write once the file is deleted (nothing goes into the deleted file), with one clear error', async () => {
    const bot = await started();
    try {
      const team = await newTeam(bot.store);
      await addChannel(bot.store, team, { name: 'Acme' });
      expect((await bot.slack.command(team, OWNER, 'show Acme')).status).toBe(200);
      await bot.slack.response();
      bot.slack.fake.reset();
      fs.rmSync(bot.file);
      await expect(bot.store.workspaces.ensure('TOTHER1')).rejects.toThrow(`the database file ${bot.file} was deleted; restore it and restart`);
      await expect(bot.store.transaction((tx) => tx.connections.count(team))).rejects.toThrow('was deleted');
      // A Slack command is no longer acknowledged (Slack shows the person its own error); nothing is answered.
      expect((await bot.slack.command(team, OWNER, 'refresh Acme 2026-06-14')).status).not.toBe(200);
      expect(bot.slack.fake.callsTo('response_url')).toHaveLength(0);
    } finally {
      await bot.stop();
    }
  });

  it('/healthz answers 503 once the file is deleted', async () => {
    const bot = await started();
    try {
      expect(await bot.health()).toBe(200);
      fs.rmSync(bot.file);
      expect(await bot.health()).toBe(503);
    } finally {
      await bot.stop();
    }
  });

  it('/healthz answers 503 once the file is replaced by another', async () => {
    const bot = await started();
    try {
      expect(await bot.health()).toBe(200);
      fs.copyFileSync(bot.file, `${bot.file}.copy`);
      fs.renameSync(`${bot.file}.copy`, bot.file);
      expect(await bot.health()).toBe(503);
    } finally {
      await bot.stop();
    }
  });
});

describeEachDatabase('stored name keys after the key rules changed', (db) => {
  it('are recomputed once; a name that now collides keeps its row under a #duplicate key', async () => {
    const store = db().store;
    const raw = createDb(db().target);
    try {
      const team = await newTeam(store);
      const first = await addChannel(store, team, { name: 'Acme Careers' });
      const second = await addChannel(store, team, { name: 'placeholder two' });
      const third = await addChannel(store, team, { name: 'placeholder three' });
      // As the old rules stored them: trimmed and lower-cased only.
      await raw.connection.update({ where: { id: second.id }, data: { name: 'Acme  Careers', nameKey: 'acme  careers' } });
      await raw.connection.update({ where: { id: third.id }, data: { name: 'Ｇｌｏｂｅｘ', nameKey: 'ｇｌｏｂｅｘ' } });
      await raw.schedulerRun.deleteMany({ where: { key: NAME_KEY_MARKER } });
      const result = await recomputeNameKeys(raw, new Date('2026-06-15T00:00:00Z'));
      expect(result?.collisions).toEqual([{ id: second.id, name: 'Acme  Careers' }]);
      const keys = async (id: number) => (await raw.connection.findUnique({ where: { id } }))!.nameKey;
      expect(await keys(first.id)).toBe(nameKeyOf('Acme Careers'));
      expect(await keys(second.id)).toBe(`${nameKeyOf('Acme Careers')}#duplicate-${second.id}`);
      expect(await keys(third.id)).toBe(nameKeyOf('Globex'));
      expect((await store.connections.findByName(team, 'globex')).map((c) => c.id)).toEqual([third.id]);
      // Once per database.
      expect(await recomputeNameKeys(raw, new Date())).toBeNull();
    } finally {
      await raw.$disconnect();
    }
  });
});
