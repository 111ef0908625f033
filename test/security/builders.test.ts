/**
 * Escaping over every builder: a channel named like a broadcast, a mention, a link or a user id
 * (`UNICEF`), in every message, card, page, list and modal the bot builds, never turns into a live
 * `<!channel>`, `<@U…>` or link in text Slack parses (mrkdwn and fallback text). The people the
 * bot names on purpose (owner, backups, the asker) stay mentions.
 */
import { buildChannelModal } from '../../src/bot/blocks/channel-modal';
import { buildConfirmRemove } from '../../src/bot/blocks/confirm-remove';
import { buildConnectionCard } from '../../src/bot/blocks/connection-card';
import { buildDigest } from '../../src/bot/blocks/digest';
import { buildDisconnectModal } from '../../src/bot/blocks/disconnect-modal';
import { buildDmMessage } from '../../src/bot/blocks/dm';
import { buildHandoverList } from '../../src/bot/blocks/handover-list';
import { buildHistoryPage } from '../../src/bot/blocks/history-page';
import { buildHome } from '../../src/bot/blocks/home';
import { buildPersonModal } from '../../src/bot/blocks/person-modal';
import { buildStatusPage } from '../../src/bot/blocks/status-page';
import { buildWarningMessage } from '../../src/bot/blocks/warning-message';
import type { WarningItem } from '../../src/outbox/warning-item';
import type { ChannelEvaluation } from '../../src/bot/evaluation-cache';
import { evaluateConnection } from '../../src/rules/evaluate';
import { resolvePolicy } from '../../src/rules/policy';
import type { Finding } from '../../src/rules/finding';
import type { AuditEvent, Connection, Warning } from '../../src/domain';
import { liveMentions, parsedTexts } from './support';
import { makeConnection } from '../rules/factories';

const HOSTILE_NAMES = [
  '<!channel>',
  '<!here|here> & <@UBOSS1>',
  'UNICEF',
  '<https://evil.example|Click me>',
  '<#C0SECRET>',
  '&lt;!everyone&gt;',
  '*bold* _it_ `code`',
];
const PEOPLE = ['@UOWNER1', '@UBACKUP1', '@UACTOR1', '@UNEXT1', '#CALERTS1']; // and the alert channel the DM points to

function connection(name: string): Connection {
  return makeConnection({
    id: 7,
    name,
    url: 'https://www.linkedin.com/company/acme',
    ownerId: 'UOWNER1',
    connectedAt: '2025-06-01',
    security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: null, permissionsGranted: null },
    notes: name,
    backups: [{ connectionId: 7, userId: 'UBACKUP1', addedBy: 'UACTOR1', addedAt: new Date() }],
  });
}

/** The findings the rules really produce for it (their messages carry the name). */
function findings(c: Connection): Finding[] {
  return evaluateConnection(c, { today: '2026-06-15', policy: resolvePolicy(c.network), ownerGone: false });
}

function report(c: Connection): ChannelEvaluation {
  const all = findings(c);
  return {
    connection: c,
    summary: {
      connectionId: c.id,
      name: c.name,
      network: c.network,
      health: 'critical',
      token: { endsOn: '2026-07-01', ended: false },
      overdue: { since: '2026-06-01', kind: 'refresh_due' },
      nextDeadline: { date: '2026-07-01', kind: 'expiry' },
      findings: all,
      nextStep: all[0]?.advice ?? null,
    },
    problems: [`${c.name}: a problem`],
  };
}

function item(c: Connection): WarningItem {
  const finding = findings(c)[0] ?? {
    kind: 'expiry',
    stage: '7d',
    severity: 'at_risk',
    dueAt: '2026-06-20',
    message: `${c.name}: expires`,
    advice: `Refresh ${c.name}`,
  };
  const warning = { id: 1, workspaceId: 'T1', connectionId: c.id, kind: finding.kind, stage: finding.stage, dueAt: finding.dueAt } as unknown as Warning;
  return { connection: c, finding, warning };
}

function leaks(built: unknown): string[] {
  const message = Array.isArray(built) ? { blocks: built } : (built as { text?: unknown; blocks?: unknown });
  return liveMentions(parsedTexts(message)).filter((live) => !PEOPLE.includes(live));
}

describe.each(HOSTILE_NAMES)('a channel named %j', (name) => {
  const c = connection(name);

  it('has findings whose words carry the name (so the builders below see it)', () => {
    expect(findings(c).length).toBeGreaterThan(0);
  });

  it.each([
    ['warning message', () => buildWarningMessage(item(c))],
    ['digest', () => buildDigest(Array.from({ length: 7 }, () => item(c)))],
    ['DM copy', () => buildDmMessage({ userId: 'UOWNER1', items: [item(c)], alertChannel: 'CALERTS1' })],
    ['show card', () => buildConnectionCard(report(c), `<@UACTOR1> marked *x* refreshed`)],
    ['remove question', () => buildConfirmRemove(c)],
    ['status page', () => buildStatusPage({ reports: [report(c)], total: 1, byHealth: new Map([['ok', 1]]), page: 0, filter: name, title: name })],
    ['home', () => buildHome(homeOf(report(c)), { failedDeliveries: [{ channel: name, reason: name }], missingSettings: [] })],
    ['handover list', () => buildHandoverList('UOWNER1', [c], 'UNEXT1')],
    [
      'history page',
      () =>
        buildHistoryPage(
          { title: `History of ${name}`, connectionId: 7 },
          [
            { id: 1, workspaceId: 'T1', connectionId: 7, actorId: 'UACTOR1', action: 'connection.add', details: { name, network: 'linkedin' }, at: new Date() },
            {
              id: 2,
              workspaceId: 'T1',
              connectionId: 7,
              actorId: 'UACTOR1',
              action: 'connection.edit',
              details: { changed: { name: { from: 'UNICEF', to: name } } },
              at: new Date(),
            },
          ] as AuditEvent[],
          0,
          2,
        ),
    ],
    ['edit form', () => buildChannelModal({ connectionId: 7 }, c)],
    ['backup picker', () => buildPersonModal('backup', c, { connectionId: 7 })],
    ['disconnect form', () => buildDisconnectModal(c, '2026-06-15', { connectionId: 7 })],
  ])('%s: no live mention, broadcast or link', (_what, build) => {
    expect(leaks(build())).toEqual([]);
  });
});

/** App Home with one channel in every list. */
function homeOf(one: ChannelEvaluation): Parameters<typeof buildHome>[0] {
  const list = { reports: [one], count: 1 };
  return { total: 1, byHealth: new Map([[one.summary.health, 1]]), byTool: new Map([[one.connection.tool, 1]]), overdue: list, soon: list, mine: list };
}
