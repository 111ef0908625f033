import { ImportStageRepository } from '../../src/store/import-stage-repository';
import { NotFoundError, ValidationError } from '../../src/errors';
import { importConnections as importRows, type ImportResult, type ImportSummary } from '../../src/services/import-connections';
import { exportConnections } from '../../src/services/export-connections';
import { checkWorkspaceId } from '../../src/transfer/workspace-id';
import { csvImportSource } from '../../src/transfer/import-source';
import type { Store } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { connectionInput, newWorkspace } from '../support/factories';
import { csvFile, csvLine } from './csv';

const NOW = new Date('2026-11-28T12:00:00Z');

const GOOD = csvFile(
  csvLine({ name: 'Acme', backups: 'U0B1;U0B2' }),
  csvLine({ name: '"Acme, Careers 🚀"', kind: 'showcase_page', url: '', last_refreshed_at: '', owner_last_active_at: '', backups: '' }),
  csvLine({ network: 'facebook', kind: 'page', name: 'شركة أكمي', owner: 'W0OWNER2', backups: 'U0OWNER1', status: 'disconnected' }),
);

/** The import as the CLI runs it, from a CSV text. */
async function importConnections(store: Store, options: { workspaceId: string; csv: string; now: Date; dryRun?: boolean }): Promise<ImportResult> {
  const workspaceId = checkWorkspaceId(options.workspaceId);
  return await importRows({ store, now: () => options.now }, { workspaceId, source: csvImportSource({ text: options.csv }), dryRun: options.dryRun });
}

/** Staged rows left behind by any import (each import deletes its own). */
async function stagedRows(store: Store): Promise<number> {
  const [row] = await (store as unknown as { client: { $queryRawUnsafe<T>(sql: string): Promise<T> } }).client.$queryRawUnsafe<{ n: number | bigint }[]>(
    'SELECT COUNT(*) AS n FROM "ImportStage"',
  );
  return Number(row?.n);
}

function summaryOf(result: ImportResult): ImportSummary {
  if (!result.ok) throw new Error(`expected a clean import, got ${JSON.stringify(result.problems)}`);
  return result.summary;
}

async function snapshot(store: Store, ws: string) {
  return { csv: await exportConnections(store, ws, 'csv'), audit: await store.audit.count(ws), count: await store.connections.count(ws) };
}

describeEachDatabase('import', (db) => {
  afterEach(() => jest.restoreAllMocks());

  it('imports a good file into a new workspace (time zone UTC) with owners, backups and status', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    const summary = summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    expect(summary).toMatchObject({
      workspaceId: ws,
      workspaceCreated: true,
      timeZone: 'UTC',
      today: '2026-11-28',
      dryRun: false,
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    expect((await store.workspaces.getById(ws)).timeZone).toBe('UTC');
    const [acme] = await store.connections.findByName(ws, 'acme', 'linkedin');
    expect(acme).toMatchObject({
      ownerId: 'U0OWNER1',
      connectedAt: '2026-01-10',
      lastRefreshedAt: '2026-06-01',
      ownerLastActiveAt: '2026-11-01',
      status: 'connected',
    });
    expect(acme!.backups.map((b) => b.userId).sort()).toEqual(['U0B1', 'U0B2']);
    const [arabic] = await store.connections.findByName(ws, 'شركة أكمي');
    expect(arabic).toMatchObject({ network: 'facebook', ownerId: 'W0OWNER2', status: 'disconnected' });
    expect((await store.connections.findByName(ws, 'acme, careers 🚀'))[0]).toMatchObject({ url: null, lastRefreshedAt: null });
    expect((await store.audit.list(ws)).map((e) => e.actorId)).toEqual(['cli', 'cli', 'cli']);
  });

  it('writes nothing when one row among good ones is bad, and names its line', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.connections.create(ws, connectionInput({ name: 'Already here' }), 'U1');
    const before = await snapshot(store, ws);
    const csv = csvFile(
      csvLine({ name: 'One' }),
      csvLine({ name: 'Two' }),
      csvLine({ name: 'Three', connected_at: '2026-11-29', last_refreshed_at: '' }),
      csvLine({ name: 'Four' }),
    );
    const result = await importConnections(store, { workspaceId: ws, csv, now: NOW });
    expect(result).toEqual({ ok: false, problemCount: 1, problems: [{ line: 4, message: 'connected_at 2026-11-29 is in the future (today is 2026-11-28)' }] });
    expect(await snapshot(store, ws)).toEqual(before);
  });

  it('does not create the workspace of a refused file', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    const result = await importConnections(store, { workspaceId: ws, csv: csvFile(csvLine({ network: 'myspace' })), now: NOW });
    expect(result.ok).toBe(false);
    expect(await store.workspaces.findById(ws)).toBeNull();
  });

  it('rolls every row back when the database fails part-way (staging the third of four batches)', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.connections.create(ws, connectionInput({ name: 'Page 5' }), 'U1');
    const before = await snapshot(store, ws);
    const csv = csvFile(...Array.from({ length: 3_500 }, (_, i) => csvLine({ name: `Page ${i}` })));
    const stage = ImportStageRepository.prototype.stage;
    let calls = 0;
    jest.spyOn(ImportStageRepository.prototype, 'stage').mockImplementation(function (this: ImportStageRepository, ...args) {
      if (++calls === 3) return Promise.reject(new Error('disk full'));
      return stage.apply(this, args);
    });
    await expect(importConnections(store, { workspaceId: ws, csv, now: NOW })).rejects.toThrow('disk full');
    expect(calls).toBe(3);
    expect(await snapshot(store, ws)).toEqual(before);
    expect(await stagedRows(store)).toBe(0);
  });

  it('rolls every row back when the database fails while applying the staged rows', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    await store.connections.create(ws, connectionInput({ name: 'Page 5', ownerId: 'U0OTHER' }), 'U1');
    const before = await snapshot(store, ws);
    const csv = csvFile(...Array.from({ length: 2_500 }, (_, i) => csvLine({ name: `Page ${i}`, backups: 'U0B1' })));
    const apply = ImportStageRepository.prototype.apply;
    // Every statement of the apply runs, then the last step fails: the transaction takes all of it back.
    jest.spyOn(ImportStageRepository.prototype, 'apply').mockImplementation(async function (this: ImportStageRepository, ...args) {
      await apply.apply(this, args);
      throw new Error('disk full');
    });
    await expect(importConnections(store, { workspaceId: ws, csv, now: NOW })).rejects.toThrow('disk full');
    expect(await snapshot(store, ws)).toEqual(before);
    expect(await stagedRows(store)).toBe(0);
  });

  it('imports 3,000 rows in batches, then updates some of them, all audited once', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    const lines = (owner: (i: number) => string) =>
      Array.from({ length: 3_000 }, (_, i) => csvLine({ name: `Page ${i}`, owner: owner(i), backups: i % 2 ? 'U0B1;U0B2' : '' }));
    expect(summaryOf(await importConnections(store, { workspaceId: ws, csv: csvFile(...lines(() => 'U0OWNER1')), now: NOW }))).toMatchObject({
      created: 3_000,
    });
    expect(await store.connections.count(ws)).toBe(3_000);
    const changed = summaryOf(
      await importConnections(store, { workspaceId: ws, csv: csvFile(...lines((i) => (i % 1_000 === 7 ? 'U0NEW' : 'U0OWNER1'))), now: NOW }),
    );
    expect(changed).toMatchObject({ created: 0, updated: 3, unchanged: 2_997, unlisted: 0 });
    expect(changed.listed.map((c) => [c.line, c.columns])).toEqual([
      [9, ['owner']],
      [1_009, ['owner']],
      [2_009, ['owner']],
    ]);
    const [page] = await store.connections.findByName(ws, 'page 1007');
    expect(page).toMatchObject({ ownerId: 'U0NEW' });
    expect(page!.backups.map((b) => b.userId).sort()).toEqual(['U0B1', 'U0B2']);
    expect(await store.audit.count(ws)).toBe(3_003);
  }, 60_000);

  it('changes nothing when the same file is imported twice (no audit event either)', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    const before = await snapshot(store, ws);
    const updatedAt = (await store.connections.list(ws)).map((c) => c.updatedAt.getTime());
    const second = summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    expect(second).toMatchObject({ workspaceCreated: false, created: 0, updated: 0, unchanged: 3 });
    expect(await snapshot(store, ws)).toEqual(before);
    expect((await store.connections.list(ws)).map((c) => c.updatedAt.getTime())).toEqual(updatedAt);
  });

  it('updates changed rows: fields, owner swapped with a backup, backups reconciled, audited', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    const auditBefore = await store.audit.count(ws);
    const changed = csvFile(
      // Owner and backup trade places; U0B2 is dropped; a later refresh.
      csvLine({ name: 'ACME', owner: 'U0B1', backups: 'U0OWNER1', last_refreshed_at: '2026-11-20' }),
      csvLine({ name: '"Acme, Careers 🚀"', kind: 'showcase_page', url: '', last_refreshed_at: '', owner_last_active_at: '', backups: '' }),
      csvLine({ network: 'facebook', kind: 'page', name: 'شركة أكمي', owner: 'W0OWNER2', backups: 'U0OWNER1', status: 'connected' }),
      csvLine({ network: 'x', kind: 'profile', name: '@acme' }),
    );
    const summary = summaryOf(await importConnections(store, { workspaceId: ws, csv: changed, now: NOW }));
    expect(summary).toMatchObject({ created: 1, updated: 2, unchanged: 1 });
    const [acme] = await store.connections.findByName(ws, 'acme', 'linkedin');
    expect(acme).toMatchObject({ name: 'ACME', ownerId: 'U0B1', lastRefreshedAt: '2026-11-20' });
    expect(acme!.backups.map((b) => b.userId)).toEqual(['U0OWNER1']);
    expect((await store.connections.findByName(ws, 'شركة أكمي'))[0]).toMatchObject({ status: 'connected', disconnectReason: null });
    const actions = (await store.audit.list(ws, { limit: 20 })).slice(0, (await store.audit.count(ws)) - auditBefore).map((e) => e.action);
    expect(actions.sort()).toEqual(
      ['connection.backup.add', 'connection.backup.remove', 'connection.backup.remove', 'connection.add', 'connection.edit', 'connection.edit'].sort(),
    );
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    const dry = summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW, dryRun: true }));
    expect(dry).toMatchObject({ dryRun: true, workspaceCreated: true, created: 3 });
    expect(await store.workspaces.findById(ws)).toBeNull();
    summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    const before = await snapshot(store, ws);
    const edited = GOOD.replace('2026-06-01', '2026-07-01');
    const dryEdit = summaryOf(await importConnections(store, { workspaceId: ws, csv: edited, now: NOW, dryRun: true }));
    expect(dryEdit).toMatchObject({ dryRun: true, workspaceCreated: false, created: 0, updated: 1, unchanged: 2 });
    expect(await snapshot(store, ws)).toEqual(before);
  });

  it("judges future dates by the workspace's own calendar day", async () => {
    const { store } = db();
    // At 12:00 UTC on 28 November it is already 29 November on Kiritimati (UTC+14).
    const kiritimati = await newWorkspace(store);
    await store.workspaces.updateSettings(kiritimati, { timeZone: 'Pacific/Kiritimati' });
    const csv = csvFile(csvLine({ connected_at: '2026-11-29', last_refreshed_at: '', owner_last_active_at: '' }));
    expect(summaryOf(await importConnections(store, { workspaceId: kiritimati, csv, now: NOW })).created).toBe(1);
    const utc = await newWorkspace(store);
    expect(await importConnections(store, { workspaceId: utc, csv, now: NOW })).toMatchObject({ ok: false, problems: [{ line: 2 }] });
  });

  it('creates a new connection when the matching one was archived', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    const [acme] = await store.connections.findByName(ws, 'Acme', 'linkedin');
    await store.connections.archive(ws, acme!.id, NOW);
    expect(summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }))).toMatchObject({ created: 1, unchanged: 2 });
  });

  it('refuses a workspace id that is not a Slack team id', async () => {
    const { store } = db();
    await expect(importConnections(store, { workspaceId: 'acme', csv: GOOD, now: NOW })).rejects.toThrow(ValidationError);
  });
});

describeEachDatabase('export', (db) => {
  it('round-trips: export → import into a new workspace → the same export; into the same workspace → no change', async () => {
    const { store } = db();
    const a = uniqueId('T');
    summaryOf(await importConnections(store, { workspaceId: a, csv: GOOD, now: NOW }));
    const exported = await exportConnections(store, a, 'csv');
    const b = uniqueId('T');
    expect(summaryOf(await importConnections(store, { workspaceId: b, csv: exported, now: NOW })).created).toBe(3);
    expect(await exportConnections(store, b, 'csv')).toBe(exported);
    expect(await exportConnections(store, b, 'json')).toBe(await exportConnections(store, a, 'json'));
    const auditBefore = await store.audit.count(a);
    expect(summaryOf(await importConnections(store, { workspaceId: a, csv: exported, now: NOW }))).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await store.audit.count(a)).toBe(auditBefore);
  });

  it('prints the contract columns; JSON has the same keys with backups as an array', async () => {
    const { store } = db();
    const ws = uniqueId('T');
    summaryOf(await importConnections(store, { workspaceId: ws, csv: GOOD, now: NOW }));
    const csv = await exportConnections(store, ws, 'csv');
    expect(csv.split('\n')[0]).toBe('network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status,tool,retired');
    expect(csv).toContain('linkedin,company_page,Acme,https://www.linkedin.com/company/acme,U0OWNER1,2026-01-10,2026-06-01,2026-11-01,U0B1;U0B2,connected,,\n');
    expect(csv).toContain('linkedin,showcase_page,"Acme, Careers 🚀",,U0OWNER1,2026-01-10,,,,connected,,\n');
    const json = JSON.parse(await exportConnections(store, ws, 'json')) as Record<string, unknown>[];
    expect(json.find((c) => c.name === 'Acme')).toEqual({
      network: 'linkedin',
      kind: 'company_page',
      name: 'Acme',
      url: 'https://www.linkedin.com/company/acme',
      owner: 'U0OWNER1',
      connected_at: '2026-01-10',
      last_refreshed_at: '2026-06-01',
      owner_last_active_at: '2026-11-01',
      backups: ['U0B1', 'U0B2'],
      status: 'connected',
      tool: null,
      retired: null,
    });
  });

  it('leaves archived connections out and prints a header for an empty workspace', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);
    const c = await store.connections.create(ws, connectionInput({ name: 'Gone' }), 'U1');
    await store.connections.archive(ws, c.id, NOW);
    expect(await exportConnections(store, ws, 'csv')).toBe(
      'network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status,tool,retired\n',
    );
    expect(await exportConnections(store, ws, 'json')).toBe('[]\n');
  });

  it('refuses an unknown workspace', async () => {
    const { store } = db();
    await expect(exportConnections(store, uniqueId('T'), 'csv')).rejects.toThrow(NotFoundError);
  });
});
