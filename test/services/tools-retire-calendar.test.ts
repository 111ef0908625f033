/** The tool field through import and export, retiring and restoring, and the calendar of deadlines, on both databases. */
import { runCheck } from '../../src/runs/check-run';
import { silentLogger } from '../../src/logger';
import { calendarFeed, exportCalendar, personalCalendarSecret, rotateCalendarSecret, workspaceCalendarSecret } from '../../src/services/calendar';
import { restoreConnection, retireConnection, writeRetired } from '../../src/services/channels';
import type { Acting } from '../../src/services/deps';
import { exportConnections } from '../../src/services/export-connections';
import { importConnections } from '../../src/services/import-connections';
import { PermissionError } from '../../src/services/permissions';
import { CSV_COLUMNS } from '../../src/transfer/columns';
import { csvImportSource } from '../../src/transfer/import-source';
import { addChannel, ADMIN, LEAD, MEMBER, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';
import { parseIcs } from '../support/ical';

const NOW = new Date('2026-06-15T12:00:00Z');

describeEachDatabase('tools, retiring and the calendar', (db) => {
  const store = () => db().store;
  const deps = (now = NOW) => ({ store: store(), now: () => now });
  const acting = async (team: string, userId: string): Promise<Acting> => ({
    workspace: await store().workspaces.getById(team),
    actor: (await store().members.find(team, userId))!,
  });
  const check = (team: string, now = NOW) => runCheck({ ...deps(now), logger: silentLogger }, team);
  const importCsv = async (team: string, text: string) => {
    const result = await importConnections(deps(), { workspaceId: team, source: csvImportSource({ text }) });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.summary;
  };

  describe('the tool column', () => {
    // The files of the release that added `tool`: without the later `retired` column.
    const TOOL_HEADER = CSV_COLUMNS.filter((c) => c !== 'retired').join(',');
    const OLD_HEADER = CSV_COLUMNS.filter((c) => c !== 'tool' && c !== 'retired').join(',');

    it('a file with the tool column sets it; one without still imports and leaves each tool as it was; export writes it', async () => {
      const team = await newTeam(store());
      await importCsv(
        team,
        `${TOOL_HEADER}\nlinkedin,company_page,Acme,,U0OWNER1,2026-01-10,,,,connected,Sprout Social\nfacebook,page,Acme FB,,U0OWNER1,2026-01-10,,,,connected,\n`,
      );
      const [acme] = await store().connections.findByName(team, 'acme', 'linkedin');
      expect(acme!.tool).toBe('sprout_social');
      expect((await store().connections.findByName(team, 'acme fb', 'facebook'))[0]!.tool).toBeNull();

      const summary = await importCsv(team, `${OLD_HEADER}\nlinkedin,company_page,Acme,,U0OWNER1,2026-01-10,2026-06-01,,,connected\n`);
      expect(summary).toMatchObject({ created: 0, updated: 1 });
      expect((await store().connections.findByName(team, 'acme', 'linkedin'))[0]).toMatchObject({ tool: 'sprout_social', lastRefreshedAt: '2026-06-01' });

      const csv = await exportConnections(store(), team, 'csv');
      expect(csv.split('\n')[0]!.endsWith(',status,tool,retired')).toBe(true);
      expect(csv).toContain('linkedin,company_page,Acme,,U0OWNER1,2026-01-10,2026-06-01,,,connected,sprout_social,\n');
      const json = JSON.parse(await exportConnections(store(), team, 'json')) as { name: string; tool: string | null }[];
      expect(json.map((c) => [c.name, c.tool])).toEqual([
        ['Acme', 'sprout_social'],
        ['Acme FB', null],
      ]);

      // Emptying the cell in a file that has the column clears it; an unknown tool is refused with the line.
      await importCsv(team, `${TOOL_HEADER}\nlinkedin,company_page,Acme,,U0OWNER1,2026-01-10,2026-06-01,,,connected,\n`);
      expect((await store().connections.findByName(team, 'acme', 'linkedin'))[0]!.tool).toBeNull();
      const bad = await importConnections(deps(), {
        workspaceId: team,
        source: csvImportSource({ text: `${TOOL_HEADER}\nlinkedin,company_page,Acme,,U0OWNER1,2026-01-10,,,,connected,tweetdeck\n` }),
      });
      expect(bad.ok).toBe(false);
      expect(JSON.stringify(bad)).toContain('unknown tool \\"tweetdeck\\"');
    });

    it('the check uses the tool’s policy: an Agorapulse Facebook page is not yet expired where the default says it is', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Agora', network: 'facebook', kind: 'page', connectedAt: '2026-03-27', tool: 'agorapulse' });
      await addChannel(store(), team, { name: 'Plain', network: 'facebook', kind: 'page', connectedAt: '2026-03-27' });
      await check(team);
      const open = await store().warnings.listOpen(team);
      const byName = async (name: string) => (await store().connections.findByName(team, name))[0]!.id;
      const agora = await byName('agora');
      const plain = await byName('plain');
      expect(open.filter((w) => w.connectionId === agora && w.kind === 'expiry').map((w) => w.stage)).toEqual(['14d']);
      expect(open.filter((w) => w.connectionId === plain && w.kind === 'expiry').map((w) => w.stage)).toEqual(['expired']);
    });
  });

  describe('retire and restore', () => {
    it('retiring keeps the history, resolves the warnings and gets no new ones; restoring brings the checks back', async () => {
      const team = await newTeam(store());
      const c = await addChannel(store(), team, { name: 'Old Brand', connectedAt: '2025-06-01', backups: [] });
      await check(team);
      expect((await store().warnings.listOpen(team)).length).toBeGreaterThan(0);

      await expect(retireConnection(deps(), await acting(team, MEMBER), c)).rejects.toThrow(PermissionError);
      const retired = await retireConnection(deps(), await acting(team, LEAD), c);
      expect(retired.changed).toBe(true);
      expect(retired.resolvedWarnings.length).toBeGreaterThan(0);
      expect(retired.connection.retiredAt).toEqual(NOW);
      expect(await store().warnings.listOpen(team)).toEqual([]);
      expect((await retireConnection(deps(), await acting(team, LEAD), retired.connection)).changed).toBe(false);

      const later = new Date('2026-06-20T12:00:00Z');
      const summary = await check(team, later);
      expect(summary.counts).toMatchObject({ created: 0, findings: 0 });
      expect(await store().warnings.listOpen(team)).toEqual([]);
      expect((await store().connections.list(team, { retired: false })).map((x) => x.id)).not.toContain(c.id);
      expect((await store().connections.list(team, { retired: true })).map((x) => x.id)).toEqual([c.id]);
      // Still found by name (to restore or show its history), and its audit trail is whole.
      const [found] = await store().connections.findByName(team, 'old brand');
      expect(found!.retiredAt).not.toBeNull();

      const restored = await restoreConnection(deps(later), await acting(team, ADMIN), found!);
      expect(restored).toMatchObject({ changed: true, connection: { retiredAt: null } });
      await check(team, later);
      expect((await store().warnings.listOpen(team)).length).toBeGreaterThan(0);
      const actions = (await store().audit.list(team, { connectionId: c.id })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['connection.add', 'connection.retire', 'connection.restore']));
    });
  });

  describe('the calendar', () => {
    it('exports every upcoming deadline as all-day events in the workspace’s zone with a reminder, stable UIDs across exports', async () => {
      const team = await newTeam(store());
      // 23:30 UTC on the 14th is already the 15th in Auckland: "today" is the workspace's day.
      await store().workspaces.updateSettings(team, { timeZone: 'Pacific/Auckland' });
      const c = await addChannel(store(), team, {
        name: 'Acme, Inc; "Main"',
        connectedAt: '2026-01-10',
        lastRefreshedAt: '2026-04-01',
        ownerLastActiveAt: '2026-06-01',
      });
      await addChannel(store(), team, { name: 'Retired', connectedAt: '2026-01-10' }).then((r) =>
        writeRetired(store(), { workspaceId: team, connectionId: r.id, actorId: ADMIN, at: NOW }, true),
      );
      const first = parseIcs(await exportCalendar(store(), team, new Date('2026-06-14T23:30:00Z')));
      expect(first.timeZone).toBe('Pacific/Auckland');
      expect(first.events.map((e) => [e.summary, e.start, e.allDay, e.alarms])).toEqual([
        ['LinkedIn “Acme, Inc; "Main"”: refresh due', '2026-07-30', true, [-7 * 86400]],
        ['LinkedIn “Acme, Inc; "Main"”: owner inactivity limit', '2026-07-31', true, [-7 * 86400]],
        ['LinkedIn “Acme, Inc; "Main"”: token expires', '2027-04-01', true, [-7 * 86400]],
      ]);

      // A refresh moves the dates; the UIDs stay, so a calendar updates the events in place.
      await store().connections.update(team, c.id, { lastRefreshedAt: '2026-06-10' });
      const second = parseIcs(await exportCalendar(store(), team, new Date('2026-06-16T08:00:00Z')));
      expect(second.events.map((e) => e.uid).sort()).toEqual(first.events.map((e) => e.uid).sort());
      const expiry = (cal: typeof first) => cal.events.find((e) => e.uid.startsWith('expiry-'))!;
      expect(expiry(second).start).toBe('2027-06-10');
      expect(expiry(second).sequence).toBeGreaterThan(expiry(first).sequence);
    });

    it('the workspace feed answers only with its secret and stops after rotation; a personal feed holds only the owner’s channels', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Owned', ownerId: OWNER });
      await addChannel(store(), team, { name: 'Not Mine', ownerId: LEAD });
      await expect(workspaceCalendarSecret(deps(), await acting(team, LEAD))).rejects.toThrow(PermissionError);
      const { secret } = await workspaceCalendarSecret(deps(), await acting(team, ADMIN));
      expect((await workspaceCalendarSecret(deps(), await acting(team, ADMIN))).secret).toBe(secret);
      const all = parseIcs((await calendarFeed(deps(), secret))!);
      expect(new Set(all.events.map((e) => e.summary.split('”')[0]))).toEqual(new Set(['LinkedIn “Owned', 'LinkedIn “Not Mine']));
      expect(await calendarFeed(deps(), `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBeNull();

      const rotated = await rotateCalendarSecret(deps(), await acting(team, ADMIN));
      expect(rotated.secret).not.toBe(secret);
      expect(await calendarFeed(deps(), secret)).toBeNull();
      expect(await calendarFeed(deps(), rotated.secret)).not.toBeNull();
      const audit = (await store().audit.list(team)).map((e) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['calendar.create', 'calendar.rotate']));
      expect(JSON.stringify(await store().audit.list(team))).not.toContain(rotated.secret);

      const mine = await personalCalendarSecret(deps(), await acting(team, OWNER));
      const own = parseIcs((await calendarFeed(deps(), mine.secret))!);
      expect(own.events.length).toBeGreaterThan(0);
      expect(own.events.every((e) => e.summary.includes('“Owned”'))).toBe(true);
      const again = await personalCalendarSecret(deps(), await acting(team, OWNER), true);
      expect(await calendarFeed(deps(), mine.secret)).toBeNull();
      expect(await calendarFeed(deps(), again.secret)).not.toBeNull();
    });
  });
});
