/**
 * Adversarial: names that look like another channel's, and names that would format. A name made of
 * Cyrillic or Greek look-alikes (`Асме Expiring`) is the same name as `Acme Expiring` (Unicode TR39
 * confusable skeletons) in the form, the commands, the import and the stored keys; `*`, `_`, `~`
 * and backticks in a name show as typed in every list, card and message. On SQLite and PostgreSQL.
 */
import { buildChannelModal, CHANNEL_FIELD, SECURITY_FIELD } from '../../src/bot/blocks/channel-modal';
import { buildConfirmRemove } from '../../src/bot/blocks/confirm-remove';
import { buildConnectionCard } from '../../src/bot/blocks/connection-card';
import { buildDigest } from '../../src/bot/blocks/digest';
import { buildDmMessage } from '../../src/bot/blocks/dm';
import { buildHandoverList } from '../../src/bot/blocks/handover-list';
import { buildHistoryPage } from '../../src/bot/blocks/history-page';
import { buildStatusPage } from '../../src/bot/blocks/status-page';
import { buildWarningMessage } from '../../src/bot/blocks/warning-message';
import type { WarningItem } from '../../src/outbox/warning-item';
import { VIEW } from '../../src/bot/interactions';
import { evaluateConnection } from '../../src/rules/evaluate';
import { resolvePolicy } from '../../src/rules/policy';
import { nameKeyOf, type AuditEvent, type Connection, type Warning } from '../../src/domain';
import { importConnections } from '../../src/services/import-connections';
import { createDb } from '../../src/store/client';
import { NAME_KEY_MARKER, recomputeNameKeys } from '../../src/store/name-keys';
import { CSV_COLUMNS } from '../../src/transfer/columns';
import { csvImportSource } from '../../src/transfer/import-source';
import { viewSubmission, type StateValues } from '../bot/support/payloads';
import { slackPerSuite } from '../bot/support/slack-harness';
import { addChannel, LEAD, newTeam, OWNER } from '../bot/support/team';
import { makeConnection } from '../rules/factories';
import { describeEachDatabase } from '../support/databases';
import { parsedTexts, shown } from './support';

/** Cyrillic А, с, м, е; Greek Α; Cyrillic capitals; a zero for an O. */
const LOOK_ALIKES: [string, string, string][] = [
  ['Cyrillic', 'Acme Expiring', '\u0410\u0441\u043c\u0435 Expiring'],
  ['Greek', 'Acme Expiring', '\u0391cme Expiring'],
  ['Cyrillic capitals', 'Acme Expiring', '\u0410\u0421\u041c\u0415 EXPIRING'],
  ['a digit for a letter', 'Globex', 'Gl0bex'],
];

function channelForm(name: string): StateValues {
  const fields: Record<string, Record<string, unknown>> = {
    [CHANNEL_FIELD.network]: { type: 'static_select', selected_option: { value: 'linkedin' } },
    [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: 'company_page' } },
    [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: name },
    [CHANNEL_FIELD.owner]: { type: 'users_select', selected_user: OWNER },
    [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-01-05' },
    ...Object.fromEntries(Object.values(SECURITY_FIELD).map(({ id }) => [id, { type: 'radio_buttons', selected_option: null }])),
  };
  return Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { [id]: value }]));
}

describe('nameKeyOf', () => {
  it.each(LOOK_ALIKES)('%s look-alikes share the key of the Latin name', (_what, latin, lookAlike) => {
    expect(nameKeyOf(lookAlike)).toBe(nameKeyOf(latin));
  });

  it('does not care for case, even where a capital and its small letter look like different Latin ones', () => {
    expect(nameKeyOf('\u039d\u03bf\u03bd\u03b1')).toBe(nameKeyOf('\u039d\u039f\u039d\u0391'));
  });

  it.each([
    ['Mail', 'Mall'],
    ['IDA', 'LDA'],
    ['Acme', 'Acmé'],
  ])('keeps names apart that do not look alike: %s and %s', (a, b) => {
    expect(nameKeyOf(a)).not.toBe(nameKeyOf(b));
  });
});

describeEachDatabase('adversarial: look-alike names', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it.each(LOOK_ALIKES)('the form refuses a %s look-alike as a duplicate, naming the channel it looks like', async (_what, latin, lookAlike) => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: latin });
    const metadata = buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, channelForm(lookAlike), metadata));
    expect((answer.json?.errors as Record<string, string> | undefined)?.[CHANNEL_FIELD.name]).toContain(`same name as the linkedin channel “${latin}”`);
    expect(await store().connections.count(team)).toBe(1);
  });

  it('a command given the look-alike finds the channel it looks like', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme Expiring' });
    await slack().command(team, LEAD, 'show \u0410\u0441\u043c\u0435 Expiring');
    const reply = await slack().response();
    expect(shown(reply)).toContain('Acme Expiring');
    expect(shown(reply)).not.toContain('No channel named');
  });

  it('the import refuses two look-alike rows in one file, and matches a look-alike row to the stored channel', async () => {
    const team = await newTeam(store());
    const deps = { store: store(), now: () => new Date('2026-06-15T12:00:00Z') };
    const row = (name: string) => `linkedin,company_page,${name},,${OWNER},2026-01-10,,,,connected,,`;
    const text = (...names: string[]) => `${CSV_COLUMNS.join(',')}\n${names.map(row).join('\n')}\n`;
    const twice = await importConnections(deps, {
      workspaceId: team,
      source: csvImportSource({ text: text('Acme Expiring', '\u0410\u0441\u043c\u0435 Expiring') }),
    });
    expect(twice.ok ? [] : twice.problems).toEqual([{ line: 3, message: expect.stringContaining('duplicate name') }]);

    await addChannel(store(), team, { name: 'Acme Expiring' });
    const once = await importConnections(deps, { workspaceId: team, source: csvImportSource({ text: text('\u0410\u0441\u043c\u0435 Expiring') }) });
    expect(once.ok && once.summary).toMatchObject({ created: 0 });
    expect(await store().connections.count(team)).toBe(1);
  });

  it('keys stored under the earlier rule are recomputed once: the later of two look-alike channels is marked a duplicate', async () => {
    const raw = createDb(db().target);
    try {
      const team = await newTeam(store());
      const first = await addChannel(store(), team, { name: 'placeholder one' });
      const second = await addChannel(store(), team, { name: 'placeholder two' });
      // As the previous rule (case folding only) stored them: two keys, two channels that look the same.
      await raw.connection.update({ where: { id: first.id }, data: { name: 'Acme Expiring', nameKey: 'acme expiring' } });
      await raw.connection.update({
        where: { id: second.id },
        data: { name: '\u0410\u0441\u043c\u0435 Expiring', nameKey: '\u0430\u0441\u043c\u0435 expiring' },
      });
      await raw.schedulerRun.deleteMany({ where: { key: NAME_KEY_MARKER } });
      const result = await recomputeNameKeys(raw, new Date('2026-06-15T00:00:00Z'));
      expect(result?.collisions).toEqual([{ id: second.id, name: '\u0410\u0441\u043c\u0435 Expiring' }]);
      expect((await store().connections.findByName(team, 'Acme Expiring')).map((c) => c.id)).toEqual([first.id]);
      expect((await store().connections.list(team)).map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
      expect(await recomputeNameKeys(raw, new Date())).toBeNull();
    } finally {
      await raw.$disconnect();
    }
  });
});

describe('adversarial: mrkdwn characters in a name show as typed', () => {
  const NAME = '*Acme* _Careers_ ~old~ `code`';
  const FORMATTED = ['*Acme*', '_Careers_', '~old~', '`code`'];
  const c: Connection = makeConnection({
    id: 7,
    name: NAME,
    ownerId: 'UOWNER1',
    connectedAt: '2025-06-01',
    security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: null, permissionsGranted: null },
  });
  const findings = evaluateConnection(c, { today: '2026-06-15', policy: resolvePolicy(c.network), ownerGone: false });
  // The card's own input type (the module that defines it is being renamed).
  const report: Parameters<typeof buildConnectionCard>[0] = {
    connection: c,
    summary: {
      connectionId: 7,
      name: NAME,
      network: c.network,
      health: 'critical',
      token: { endsOn: '2026-07-01', ended: false },
      overdue: null,
      nextDeadline: { date: '2026-07-01', kind: 'expiry' },
      findings,
      nextStep: findings[0]!.advice,
    },
    problems: [],
  };
  const warning = {
    id: 1,
    workspaceId: 'T1',
    connectionId: 7,
    kind: findings[0]!.kind,
    stage: findings[0]!.stage,
    dueAt: findings[0]!.dueAt,
  } as unknown as Warning;
  const item: WarningItem = { connection: c, finding: findings[0]!, warning };

  it.each([
    ['warning message', () => buildWarningMessage(item)],
    ['digest', () => buildDigest(Array.from({ length: 7 }, () => item))],
    ['DM', () => buildDmMessage({ userId: 'UOWNER1', items: [item], alertChannel: 'CALERTS1' })],
    ['connection card', () => buildConnectionCard(report)],
    ['status list', () => buildStatusPage({ reports: [report], total: 1, byHealth: new Map([['ok', 1]]), page: 0, filter: '', title: 'All channels' })],
    ['remove question', () => buildConfirmRemove(c)],
    ['handover list', () => buildHandoverList('UOWNER1', [c], 'UNEXT1')],
    [
      'history page',
      () =>
        buildHistoryPage(
          { title: 'History', connectionId: 7 },
          [
            { id: 1, workspaceId: 'T1', connectionId: 7, actorId: 'UACTOR1', action: 'connection.add', details: { name: NAME }, at: new Date() },
          ] as AuditEvent[],
          0,
          1,
        ),
    ],
  ])('%s: the name is there, and none of its formatting is', (_what, build) => {
    const built = build() as unknown;
    const text = parsedTexts(Array.isArray(built) ? { blocks: built } : (built as { text?: unknown; blocks?: unknown }));
    expect(text).toContain('Acme');
    for (const formatted of FORMATTED) expect(text).not.toContain(formatted);
  });

  it('a name copied from a message finds the channel again', () => {
    expect(nameKeyOf(parsedTexts({ blocks: buildConfirmRemove(c) }).match(/Remove \*(.*)\* from/)![1]!)).toBe(nameKeyOf(NAME));
  });
});
