/**
 * Adversarial: page addresses and retired channels across files. One address rule (`urlProblem`)
 * holds for the Slack form (even a forged submission), the services every command goes through,
 * and the import; an export carries each channel's retirement, so importing it elsewhere does not
 * bring retired channels back into use. On SQLite and PostgreSQL.
 */
import { buildChannelModal, CHANNEL_FIELD, SECURITY_FIELD } from '../../src/bot/blocks/channel-modal';
import { VIEW } from '../../src/bot/interactions';
import { addConnection, editConnection, retireConnection } from '../../src/services/channels';
import type { Acting } from '../../src/services/deps';
import { exportConnections } from '../../src/services/export-connections';
import { importConnections } from '../../src/services/import-connections';
import { CSV_COLUMNS } from '../../src/transfer/columns';
import { csvImportSource } from '../../src/transfer/import-source';
import { viewSubmission, type StateValues } from '../bot/support/payloads';
import { slackPerSuite } from '../bot/support/slack-harness';
import { addChannel, ADMIN, LEAD, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';

const NOW = new Date('2026-06-15T12:00:00Z');

/** Addresses no path may store: another scheme, no host, or characters a reader cannot see. */
const BAD_URLS: [string, string][] = [
  ['javascript:', 'javascript:alert(1)'],
  ['data:', 'data:text/html,<script>alert(1)</script>'],
  ['no host', 'https://'],
  ['a line break', 'https://www.linkedin.com/company/acme\nhttps://evil.example'],
  ['a NUL', 'https://www.linkedin.com/company/acme\u0000'],
  ['a bell', 'https://www.linkedin.com/company/\u0007acme'],
  ['a bidi override', 'https://www.linkedin.com/company/\u202eemca'],
];

function channelForm(name: string, url: string): StateValues {
  const fields: Record<string, Record<string, unknown>> = {
    [CHANNEL_FIELD.network]: { type: 'static_select', selected_option: { value: 'linkedin' } },
    [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: 'company_page' } },
    [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: name },
    [CHANNEL_FIELD.url]: { type: 'url_text_input', value: url },
    [CHANNEL_FIELD.owner]: { type: 'users_select', selected_user: OWNER },
    [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-01-05' },
    ...Object.fromEntries(Object.values(SECURITY_FIELD).map(({ id }) => [id, { type: 'radio_buttons', selected_option: null }])),
  };
  return Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { [id]: value }]));
}

describeEachDatabase('adversarial: page addresses', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  const deps = () => ({ store: store(), now: () => NOW });
  const acting = async (team: string, userId: string): Promise<Acting> => ({
    workspace: await store().workspaces.getById(team),
    actor: (await store().members.find(team, userId))!,
  });

  it.each(BAD_URLS)('the form refuses an address with %s under its field, even from a forged submission', async (_what, url) => {
    const team = await newTeam(store());
    const metadata = buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, channelForm('Acme', url), metadata));
    expect((answer.json?.errors as Record<string, string> | undefined)?.[CHANNEL_FIELD.url]).toContain('https://');
    expect(await store().connections.count(team)).toBe(0);
  });

  it('the form takes an https address', async () => {
    const team = await newTeam(store());
    const metadata = buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
    const answer = await slack().interaction(
      viewSubmission(team, LEAD, VIEW.addChannel, channelForm('Acme', 'https://www.linkedin.com/company/acme'), metadata),
    );
    expect(answer.json?.errors).toBeUndefined();
    expect((await store().connections.findByName(team, 'Acme'))[0]?.url).toBe('https://www.linkedin.com/company/acme');
  });

  it.each(BAD_URLS)('the services behind every command refuse an address with %s (add and edit)', async (_what, url) => {
    const team = await newTeam(store());
    const input = { network: 'linkedin', kind: 'company_page', name: 'Acme', url, ownerId: OWNER, connectedAt: '2026-01-05' } as const;
    await expect(addConnection(deps(), await acting(team, LEAD), input)).rejects.toThrow('https://');
    const c = await addChannel(store(), team, { name: 'Acme', url: null });
    await expect(editConnection(deps(), await acting(team, LEAD), c, { url })).rejects.toThrow('https://');
    expect((await store().connections.getById(team, c.id)).url).toBeNull();
  });

  it('the import refuses every such address with its line, and imports nothing', async () => {
    const team = await newTeam(store());
    const quoted = (url: string) => `"${url.replace(/"/g, '""')}"`;
    const text = `${CSV_COLUMNS.join(',')}\n${BAD_URLS.map(([, url], i) => `linkedin,company_page,Page ${i},${quoted(url)},${OWNER},2026-01-05,,,,,,`).join('\n')}\n`;
    const result = await importConnections(deps(), { workspaceId: team, source: csvImportSource({ text }) });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.filter((p) => p.message.startsWith('url:'))).toHaveLength(BAD_URLS.length);
    expect(await store().connections.count(team)).toBe(0);
  });
});

describeEachDatabase('adversarial: retired channels through export and import', (db) => {
  const store = () => db().store;
  const deps = () => ({ store: store(), now: () => NOW });
  const importCsv = async (team: string, text: string) => {
    const result = await importConnections(deps(), { workspaceId: team, source: csvImportSource({ text }) });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    return result.summary;
  };
  const retiredNames = async (team: string) => (await store().connections.list(team, { retired: true })).map((c) => c.name);

  it('an export imported into another workspace keeps retired channels retired; an older file changes nothing; an empty cell restores', async () => {
    const from = await newTeam(store());
    const old = await addChannel(store(), from, { name: 'Old Page' });
    await addChannel(store(), from, { name: 'Live Page' });
    await retireConnection(deps(), { workspace: await store().workspaces.getById(from), actor: (await store().members.find(from, ADMIN))! }, old);
    const csv = await exportConnections(store(), from, 'csv');
    expect(csv).toContain(`,Old Page,`);
    expect(
      csv
        .split('\n')
        .find((l) => l.includes('Old Page'))!
        .endsWith(',2026-06-15'),
    ).toBe(true);

    const to = await newTeam(store());
    expect(await importCsv(to, csv)).toMatchObject({ created: 2 });
    expect(await retiredNames(to)).toEqual(['Old Page']);
    expect((await store().connections.list(to, { retired: false })).map((c) => c.name)).toEqual(['Live Page']);
    // Importing the same file again changes nothing.
    expect(await importCsv(to, csv)).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    // The JSON export carries it too.
    const json = JSON.parse(await exportConnections(store(), to, 'json')) as { name: string; retired: string | null }[];
    expect(json.map((c) => [c.name, c.retired])).toEqual([
      ['Live Page', null],
      ['Old Page', '2026-06-15'],
    ]);

    // A file without the column (older releases) leaves retirement as it is.
    const older = CSV_COLUMNS.filter((c) => c !== 'retired').join(',');
    await importCsv(to, `${older}\nlinkedin,company_page,Old Page,,${OWNER},2026-01-10,,,,connected,\n`);
    expect(await retiredNames(to)).toEqual(['Old Page']);
    // `yes` retires; an empty cell puts it back in use, with the audit trail of each.
    const header = CSV_COLUMNS.join(',');
    const summary = await importCsv(
      to,
      `${header}\nlinkedin,company_page,Old Page,,${OWNER},2026-01-10,,,,connected,,\nlinkedin,company_page,Live Page,,${OWNER},2026-01-10,,,,connected,,yes\n`,
    );
    expect(summary.listed.map((l) => [l.name, l.columns])).toEqual(
      expect.arrayContaining([
        ['Old Page', expect.arrayContaining(['retired'])],
        ['Live Page', expect.arrayContaining(['retired'])],
      ]),
    );
    expect(await retiredNames(to)).toEqual(['Live Page']);
    const actions = (await store().audit.list(to)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['connection.retire', 'connection.restore']));

    const bad = await importConnections(deps(), {
      workspaceId: to,
      source: csvImportSource({ text: `${header}\nlinkedin,company_page,Live Page,,${OWNER},2026-01-10,,,,connected,,maybe\n` }),
    });
    expect(bad.ok ? [] : bad.problems.map((p) => p.message)).toEqual([expect.stringContaining('retired "maybe"')]);
  });
});
