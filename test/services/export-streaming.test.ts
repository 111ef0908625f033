/**
 * The exports read the store a page at a time and write as they go, and say exactly what they said
 * when they were made from the whole list: the text of the earlier whole-list formatting, on a
 * workspace of a few hundred channels spread over many small pages, on both databases.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { addDays } from '../../src/rules/calendar';
import { exportCalendar, openCalendarExport } from '../../src/services/calendar';
import { deadlinesOf, workspaceRules } from '../../src/services/evaluation';
import { exportConnections, openConnectionsExport } from '../../src/services/export-connections';
import { importConnections } from '../../src/services/import-connections';
import { exportedConnection, formatCsv, formatJson } from '../../src/transfer/export-connections';
import { formatIcs } from '../../src/transfer/ics';
import { csvImportSource } from '../../src/transfer/import-source';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { runCli } from '../transfer/cli-run';

const BIN = path.join(__dirname, '../../bin/channel-keeper.js');
import { csvFile, csvLine } from '../transfer/csv';

const NOW = new Date('2026-11-28T12:00:00Z');
const TODAY = '2026-11-28';
const CHANNELS = 263;
const PAGE = 25;

/** Names whose reading order is not the order they were added in (case, width, accents, scripts, formulas, quotes). */
const STEMS = ['zeta', 'Alpha', 'ärger', 'ＡＣＭＥ', '=SUM(A1)', 'Acme, "Careers"', 'شركة', '🚀 Launch', 'beta', '-minus', 'Beta'];

function fixture(): string {
  const lines: string[] = [];
  for (let i = 0; i < CHANNELS; i++) {
    const facebook = i % 3 === 0;
    const name = `${STEMS[i % STEMS.length]} ${CHANNELS - i}`;
    const age = (i * 37) % 400;
    const connected = addDays(TODAY, -age);
    lines.push(
      csvLine({
        network: facebook ? 'facebook' : 'linkedin',
        kind: facebook ? 'page' : i % 2 ? 'company_page' : 'showcase_page',
        name: `"${name.replace(/"/g, '""')}"`,
        url: '',
        owner: i % 13 === 0 ? '' : `U0OWNER${i % 4}`,
        connected_at: connected,
        last_refreshed_at: i % 2 && age >= 30 ? addDays(connected, i % 30) : '',
        owner_last_active_at: i % 5 ? addDays(TODAY, -(i % 60)) : '',
        backups: ['', 'U0B2;U0B1', 'U0B3'][i % 3]!,
        status: i % 17 === 0 ? 'disconnected' : 'connected',
        tool: i % 4 === 0 ? 'agorapulse' : '',
        retired: i % 19 === 0 ? '2026-10-01' : '',
      }),
    );
  }
  return csvFile(...lines);
}

async function drain(chunks: AsyncIterator<string>): Promise<string> {
  let text = '';
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) text += next.value;
  return text;
}

describeEachDatabase('exports read and written a page at a time', (db) => {
  const store = () => db().store;
  let team = '';

  beforeAll(async () => {
    team = uniqueId('T');
    const result = await importConnections({ store: store(), now: () => NOW }, { workspaceId: team, source: csvImportSource({ text: fixture() }) });
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 3)));
    // An archived channel is in no export.
    const [gone] = await store().connections.findByName(team, 'zeta 263');
    await store().connections.archive(team, gone!.id, NOW);
  });
  afterEach(() => jest.restoreAllMocks());

  it('CSV and JSON over many small pages are the text the whole list gave, row for row', async () => {
    const rows = (await store().connections.list(team)).map(exportedConnection);
    expect(rows).toHaveLength(CHANNELS - 1);
    // Not in id order: the list order (by name as it reads) is what a page-by-page export must keep.
    const ids = (await store().connections.list(team)).map((c) => c.id);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    for (const pageSize of [PAGE, 7, 1000]) {
      expect(await exportConnections(store(), team, 'csv', { pageSize })).toBe(formatCsv(rows));
      expect(await exportConnections(store(), team, 'json', { pageSize })).toBe(formatJson(rows));
    }
  });

  it('the calendar over many small pages is the text the whole list gave, event for event', async () => {
    const workspace = await store().workspaces.getById(team);
    const deadlines = deadlinesOf(workspaceRules(workspace, NOW, new Set()), await store().connections.list(team, { retired: false }));
    // More deadlines than channels, on many dates, in an order far from the channels': pages of deadlines mix channels of every page.
    expect(deadlines.length).toBeGreaterThan(CHANNELS);
    expect(new Set(deadlines.map((d) => d.date)).size).toBeGreaterThan(PAGE);
    const channels = deadlines.map((d) => d.connectionId);
    expect(channels).not.toEqual([...channels].sort((a, b) => a - b));
    const whole = formatIcs({ name: `Channel Keeper: ${workspace.name ?? team}`, timeZone: workspace.timeZone, workspaceId: team, stamp: NOW, deadlines });
    for (const pageSize of [PAGE, 7, 1000]) expect(await exportCalendar(store(), team, NOW, { pageSize })).toBe(whole);
  });

  it('reads the rows a page at a time and writes each page before reading the next', async () => {
    const pages = store().connectionPages;
    const names = jest.spyOn(pages, 'namesPage');
    const byIds = jest.spyOn(pages, 'byIds');
    const chunks = (await openConnectionsExport(store(), team, 'csv', { pageSize: PAGE }))[Symbol.asyncIterator]();
    // The order comes first, read in pages of names; no row is read yet.
    expect(names.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil((CHANNELS - 1) / PAGE));
    expect(names.mock.calls.every(([, , limit]) => limit === PAGE)).toBe(true);
    for (const read of names.mock.results) expect((await read.value).length).toBeLessThanOrEqual(PAGE);
    expect(byIds).not.toHaveBeenCalled();
    expect((await chunks.next()).value).toMatch(/^network,kind,name,/);
    const first = (await chunks.next()).value as string;
    expect(first.split('\n')).toHaveLength(PAGE + 1);
    expect(byIds).toHaveBeenCalledTimes(1);
    await drain(chunks);
    expect(byIds).toHaveBeenCalledTimes(Math.ceil((CHANNELS - 1) / PAGE));
    expect(byIds.mock.calls.every(([, ids]) => ids.length <= PAGE)).toBe(true);
  });

  it('the calendar keeps only the order after a first pass by pages, then reads each page of deadlines again', async () => {
    const pages = store().connectionPages;
    const page = jest.spyOn(pages, 'page');
    const byIds = jest.spyOn(pages, 'byIds');
    const chunks = (await openCalendarExport(store(), team, NOW, { pageSize: PAGE }))[Symbol.asyncIterator]();
    expect(page.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(CHANNELS / PAGE) - 1);
    expect(page.mock.calls.every(([, filter, , limit]) => limit === PAGE && filter.retired === false)).toBe(true);
    for (const read of page.mock.results) expect((await read.value).length).toBeLessThanOrEqual(PAGE);
    expect(byIds).not.toHaveBeenCalled();
    expect((await chunks.next()).value).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect((await chunks.next()).value).toMatch(/^BEGIN:VEVENT\r\n/);
    expect(byIds).toHaveBeenCalledTimes(1);
    expect(await drain(chunks)).toMatch(/END:VCALENDAR\r\n$/);
    expect(byIds.mock.calls.length).toBeGreaterThan(Math.ceil(CHANNELS / PAGE));
    expect(byIds.mock.calls.every(([, ids]) => ids.length <= PAGE)).toBe(true);
  });

  it('lets other work run between pages (a SQLite read holds the event loop until it returns)', async () => {
    const pages = store().connectionPages;
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: Record<'namesPage' | 'byIds' | 'page', number[]> = { namesPage: [], byIds: [], page: [] };
    for (const method of ['namesPage', 'byIds', 'page'] as const) {
      const read = (pages[method] as (...args: unknown[]) => unknown).bind(pages);
      jest.spyOn(pages, method).mockImplementation(((...args: unknown[]) => (seen[method].push(turns), read(...args))) as never);
    }
    try {
      await exportConnections(store(), team, 'json', { pageSize: PAGE });
      await exportCalendar(store(), team, NOW, { pageSize: PAGE });
    } finally {
      running = false;
    }
    // Each page is read on a later turn of the event loop than the page before it.
    for (const turnsSeen of Object.values(seen)) {
      expect(turnsSeen.length).toBeGreaterThan(5);
      expect(turnsSeen.slice(1).every((turn, i) => turn > turnsSeen[i]!)).toBe(true);
    }
  });

  it('the command writes the same bytes to stdout', async () => {
    for (const format of ['csv', 'json'] as const) {
      const result = await runCli(['export', '--workspace', team, '--format', format], db().target.url);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(await exportConnections(store(), team, format));
    }
  });

  it('the command stops quietly when the reader goes away (`export | head`)', async () => {
    const child = spawn(process.execPath, [BIN, 'export', '--workspace', team, '--format', 'ics'], {
      env: { ...process.env, DATABASE_URL: db().target.url, LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The calendar is a few hundred kilobytes, more than a pipe holds: closing after the first piece leaves writes to fail.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
