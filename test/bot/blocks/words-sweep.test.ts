/**
 * Words for people in the texts these builders make: for every severity, deadline kind, urgency,
 * audit action and role, no raw stored value (`at_risk`, `refresh_due`, `team_leader`…) and no
 * "channel(s)"-style plural, in the weekly report (plain and Slack, fallback included), the
 * history page, the handover list and the command line's roles table.
 */
import { buildHandoverList } from '../../../src/bot/blocks/handover-list';
import { buildHistoryPage } from '../../../src/bot/blocks/history-page';
import { buildWeeklyReportMessage } from '../../../src/bot/blocks/weekly-report';
import { formatRoles, rolesOf } from '../../../src/cli/roles';
import { AUDIT_ACTIONS, HEALTHS, ROLES, SEVERITIES, type AuditEvent, type Member } from '../../../src/domain';
import { DEADLINE_KINDS } from '../../../src/rules/deadlines';
import { DEADLINE_LEVELS, reportLines, type WeeklyReport } from '../../../src/rules/weekly-report';
import { makeConnection } from '../../rules/factories';

/** A stored value's shape (`at_risk`, `refresh_due`, `team_leaders`), or a plural left to the reader. */
const MACHINE_WORDS = /\b[a-z]+_[a-z_]+\b|\(s\)/;

/** Every text people read in blocks (not the keys of Block Kit's JSON), Slack's date tokens left out. */
function textsOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(textsOf).join('\n');
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value)
    .map(([key, v]) => (key === 'text' && typeof v === 'string' ? v.replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1') : textsOf(v)))
    .join('\n');
}

function everyKindReport(steps: number): WeeklyReport {
  const channel = (name: string) => ({ connectionId: 1, name, network: 'linkedin' as const });
  return {
    workspaceId: 'T0SWEEP1',
    workspaceName: 'Sweep team',
    at: new Date('2026-06-15T09:00:00Z'),
    today: '2026-06-15',
    since: new Date('2026-06-08T09:00:00Z'),
    health: Object.fromEntries(HEALTHS.map((h) => [h, { now: 1, weekAgo: 0 }])) as WeeklyReport['health'],
    total: { now: HEALTHS.length, weekAgo: 0 },
    happened: {
      refreshed: [{ ...channel('Acme'), at: new Date('2026-06-10T09:00:00Z'), actorId: 'U0MAYA01' }],
      newlyAtRisk: SEVERITIES.map((severity) => ({ ...channel(`Acme ${severity.length}`), severity })),
      disconnected: [],
      reconnected: [],
      escalated: { steps, channels: [channel('Acme')] },
    },
    overdue: DEADLINE_KINDS.flatMap((kind) => SEVERITIES.map((severity) => ({ ...channel('Acme'), date: '2026-06-01', kind, severity }))),
    deadlines: DEADLINE_KINDS.flatMap((kind) => DEADLINE_LEVELS.map((level) => ({ ...channel('Acme'), date: '2026-06-20', kind, level }))),
    weeks: [],
    overdueCounts: { critical: 1, at_risk: 1, attention: 0, upcoming: 0 },
    people: [{ userId: 'U0MAYA01', name: 'Maya', atRisk: 1, channels: ['Acme'] }],
    checks: { ran: 1, expected: 7, lastCheck: new Date('2026-06-15T08:00:00Z') },
  };
}

describe('texts in words for people', () => {
  it.each([1, 2])('the weekly report with every severity, deadline kind and urgency (escalation steps: %i)', (steps) => {
    const report = everyKindReport(steps);
    const plain = reportLines(report, undefined, { all: true }).join('\n');
    expect(plain).toContain(`• Escalated: ${steps} ${steps === 1 ? 'step' : 'steps'}`);
    expect(plain).toContain('refresh overdue since 2026-06-01 (at risk)');
    const slack = buildWeeklyReportMessage(report);
    for (const text of [plain, slack.text, textsOf(slack.blocks)]) expect(text).not.toMatch(MACHINE_WORDS);
  });

  it('the history page with every audit action, and stored values among the details', () => {
    const at = new Date('2026-06-15T09:00:00Z');
    const events: AuditEvent[] = AUDIT_ACTIONS.map((action, id) => ({
      id,
      workspaceId: 'T0SWEEP1',
      connectionId: 1,
      actorId: 'U0MAYA01',
      action,
      details: { from: 'team_leader', severity: 'at_risk', kind: 'refresh_due', reason: 'password_change', step: 'team_leaders' },
      at,
    }));
    const text = textsOf(buildHistoryPage({ title: 'History of Acme', connectionId: 1 }, events, 0, events.length));
    expect(text).not.toMatch(MACHINE_WORDS);
    expect(text).toContain('*marked refreshed*');
    expect(text).toContain('severity: at risk');
  });

  it('the handover list, with one channel and with several', () => {
    const one = textsOf(buildHandoverList('U0MAYA01', [makeConnection({ ownerId: 'U0MAYA01' })], 'U0JONAS1'));
    expect(one).toContain('1 channel was handed over');
    const many = [1, 2].map((id) => makeConnection({ id, name: `Acme ${id}`, ownerId: 'U0MAYA01' }));
    expect(textsOf(buildHandoverList('U0MAYA01', many, null))).toContain('owns or backs up 2 channels.');
    for (const text of [one, textsOf(buildHandoverList('U0MAYA01', many, 'U0JONAS1'))]) expect(text).not.toMatch(MACHINE_WORDS);
  });

  it("the command line's roles table", () => {
    const members: Member[] = ROLES.map((role, i) => ({
      workspaceId: 'T0SWEEP1',
      userId: `U0PERSON${i}`,
      role,
      active: i > 0,
      name: null,
      updatedAt: new Date(),
    }));
    expect(formatRoles(rolesOf('T0SWEEP1', members))).not.toMatch(MACHINE_WORDS);
  });
});
