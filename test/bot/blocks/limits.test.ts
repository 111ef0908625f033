/** Every builder stays within Block Kit's limits, even with the longest names and the largest workspaces. */
import { buildChannelModal } from '../../../src/bot/blocks/channel-modal';
import { buildConfirmRemove } from '../../../src/bot/blocks/confirm-remove';
import { buildConnectionCard } from '../../../src/bot/blocks/connection-card';
import { buildDisconnectModal } from '../../../src/bot/blocks/disconnect-modal';
import { buildHandoverList } from '../../../src/bot/blocks/handover-list';
import { buildHistoryPage } from '../../../src/bot/blocks/history-page';
import { buildHome } from '../../../src/bot/blocks/home';
import { buildPersonModal } from '../../../src/bot/blocks/person-modal';
import { buildSettingsModal } from '../../../src/bot/blocks/settings-modal';
import { buildStatusPage } from '../../../src/bot/blocks/status-page';
import { markBlocksActedOn } from '../../../src/bot/acted-message';
import type { Finding } from '../../../src/rules/finding';
import type { AuditEvent, Connection, Workspace } from '../../../src/domain';
import type { ChannelEvaluation } from '../../../src/bot/evaluation-cache';
import { checkBlockKitLimits, checkModalLimits } from '../support/block-kit-limits';

const LONG = 'Ω'.repeat(150);
const backups = Array.from({ length: 40 }, (_, i) => ({ connectionId: 1, userId: `UBACKUP${String(i).padStart(4, '0')}`, addedBy: 'U1', addedAt: new Date() }));

function connection(id: number, overrides: Partial<Connection> = {}): Connection {
  return {
    id,
    workspaceId: 'T1',
    network: 'linkedin',
    kind: 'company_page',
    name: `${LONG}${id}`,
    url: `https://example.com/${'x'.repeat(2500)}`,
    ownerId: 'UOWNER1',
    connectedAt: '2025-01-01',
    lastRefreshedAt: null,
    ownerLastActiveAt: null,
    status: 'connected',
    disconnectReason: null,
    disconnectedAt: null,
    security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: false, permissionsGranted: false },
    notes: 'n'.repeat(2000),
    // Every optional card field set: the card must stay within a section's ten fields.
    tool: 'sprout_social',
    archivedAt: null,
    retiredAt: new Date('2026-06-01T00:00:00Z'),
    backups,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

function finding(i: number): Finding {
  return {
    connectionId: 1,
    kind: 'security',
    stage: `s${i}`,
    severity: 'critical',
    dueAt: '2026-01-01',
    cycle: 'c',
    dedupKey: `k${i}`,
    message: 'm'.repeat(2000),
    advice: 'a'.repeat(2000),
  };
}

function report(id: number, findings = 3): ChannelEvaluation {
  const all = Array.from({ length: findings }, (_, i) => finding(i));
  return {
    connection: connection(id),
    summary: {
      connectionId: id,
      name: `${LONG}${id}`,
      network: 'linkedin',
      health: 'critical',
      token: { endsOn: '2026-01-01', ended: true },
      overdue: { since: '2025-12-01', kind: 'refresh_due' },
      nextDeadline: { date: '2026-07-01', kind: 'inactivity' },
      findings: all,
      nextStep: all[0]?.advice ?? null,
    },
    problems: [],
  };
}

const workspace: Workspace = {
  id: 'T1',
  name: 'x',
  alertChannel: null,
  timeZone: 'UTC',
  checkTime: '09:00',
  reportDay: 'monday',
  reportTime: null,
  policyOverrides: { all: { expiryLadder: [30, 14, 7, 3, 1] } },
  outages: {},
  escalation: {},
  statusCanvas: true,
  createdAt: new Date(),
  updatedAt: new Date(),
};

describe('Block Kit limits of every builder', () => {
  const many = Array.from({ length: 5000 }, (_, i) => report(i));

  it('status pages: 5,000 channels, every page', () => {
    for (const page of [0, 1, 249])
      expect(
        checkBlockKitLimits(
          buildStatusPage({
            reports: many.slice(page * 20, page * 20 + 20),
            total: many.length,
            byHealth: new Map([['at_risk', many.length]]),
            page,
            filter: 'x'.repeat(200),
            title: LONG,
          }),
          'message',
        ),
      ).toEqual([]);
  });

  it('connection card: all findings, 40 backups, long url and name, disconnected too', () => {
    expect(checkBlockKitLimits(buildConnectionCard(report(1, 30), 'n'.repeat(5000)), 'message')).toEqual([]);
    const down: ChannelEvaluation = {
      ...report(2),
      connection: connection(2, { status: 'disconnected', disconnectReason: 'owner_left', disconnectedAt: '2026-01-01' }),
      problems: ['p'.repeat(4000)],
    };
    expect(checkBlockKitLimits(buildConnectionCard(down), 'message')).toEqual([]);
  });

  it('history page: 25 long events', () => {
    const events: AuditEvent[] = Array.from({ length: 25 }, (_, i) => ({
      id: i,
      workspaceId: 'T1',
      connectionId: 1,
      actorId: 'cli',
      action: 'a'.repeat(300),
      details: { note: 'd'.repeat(3000) },
      at: new Date(),
    }));
    expect(checkBlockKitLimits(buildHistoryPage({ title: LONG, connectionId: 1 }, events, 3, 5000), 'message')).toEqual([]);
  });

  it('home: 5,000 channels, all mine', () => {
    const list = { reports: many.slice(0, 15), count: many.length };
    const view = buildHome({
      total: many.length,
      byHealth: new Map([['at_risk', many.length]]),
      byTool: new Map([[null, many.length]]),
      overdue: list,
      soon: list,
      mine: list,
    });
    expect(checkBlockKitLimits(view.blocks, 'home')).toEqual([]);
    expect(JSON.stringify(view).length).toBeLessThan(250_000);
  });

  it('handover list: 500 channels', () => {
    expect(
      checkBlockKitLimits(
        buildHandoverList(
          'UOWNER1',
          many.slice(0, 500).map((r) => r.connection),
          'UNEXT1',
        ),
        'message',
      ),
    ).toEqual([]);
  });

  it('modals: add, edit with the longest values, settings, person pickers, disconnect', () => {
    expect(checkModalLimits(buildChannelModal({ responseUrl: 'https://hooks.slack.com/x' }) as never)).toEqual([]);
    expect(checkModalLimits(buildChannelModal({ responseUrl: 'https://hooks.slack.com/x' }, connection(1)) as never)).toEqual([]);
    expect(checkModalLimits(buildSettingsModal(workspace, 'C123', {}) as never)).toEqual([]);
    expect(checkModalLimits(buildPersonModal('backup', connection(1), {}) as never)).toEqual([]);
    expect(checkModalLimits(buildPersonModal('owner', connection(1), {}) as never)).toEqual([]);
    expect(checkModalLimits(buildDisconnectModal(connection(1), '2026-01-01', {}) as never)).toEqual([]);
  });

  it('confirm remove and an acted-on message', () => {
    expect(checkBlockKitLimits(buildConfirmRemove(connection(1)), 'message')).toEqual([]);
    const card = buildConnectionCard(report(1));
    expect(checkBlockKitLimits(markBlocksActedOn(card, 'card_actions', 'x'.repeat(4000)), 'message')).toEqual([]);
  });

  it('the checker itself catches breaches (so the tests above can fail)', () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(checkBlockKitLimits(tooMany, 'message')).toHaveLength(1);
    expect(checkBlockKitLimits([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }], 'message')).toHaveLength(1);
    expect(checkBlockKitLimits([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }], 'message')).toHaveLength(1);
    expect(
      checkBlockKitLimits(
        [
          {
            type: 'actions',
            elements: Array.from({ length: 26 }, (_, i) => ({ type: 'button', action_id: `a${i}`, text: { type: 'plain_text', text: 'b' } })),
          },
        ],
        'message',
      ),
    ).toHaveLength(1);
    expect(
      checkBlockKitLimits(
        [{ type: 'actions', elements: [{ type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'x'.repeat(76) } }] }],
        'message',
      ),
    ).toHaveLength(2);
    expect(checkModalLimits({ title: { type: 'plain_text', text: 'x'.repeat(25) }, blocks: [] })).toHaveLength(1);
  });
});
