/** The status canvas's markdown: every part, names people typed kept as text, people as canvas mentions. */
import { statusMarkdown } from '../../../src/bot/blocks/status-canvas';
import type { StatusSnapshot } from '../../../src/services/status-canvas';

function snapshot(overrides: Partial<StatusSnapshot> = {}): StatusSnapshot {
  return {
    workspaceName: 'Acme team',
    today: '2026-06-15',
    counts: { ok: 3, attention: 0, at_risk: 1, critical: 1, disconnected: 0 },
    total: 5,
    needsAction: [
      {
        ownerId: 'UOWNER1',
        items: [{ name: '*Big* [launch](https://x.example) #1', network: 'linkedin', health: 'critical', nextStep: 'Refresh it', overdueSince: '2026-06-01' }],
      },
      { ownerId: null, items: [{ name: 'Orphan', network: 'facebook', health: 'at_risk', nextStep: null, overdueSince: null }] },
    ],
    moreActions: 0,
    deadlines: [{ date: '2026-06-20', name: 'Beta', network: 'linkedin', kind: 'expiry', ownerId: 'UOWNER2' }],
    moreDeadlines: 2,
    sources: null,
    ...overrides,
  };
}

describe('statusMarkdown', () => {
  it('has the title, the health counts, the actions by owner and the deadlines', () => {
    const md = statusMarkdown(snapshot());
    const headings = md.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# Channel Keeper status',
      '## Health',
      '## Needs action, by owner',
      '### ![](@UOWNER1)',
      '### No owner',
      '## Deadlines in the next 30 days',
    ]);
    expect(md).toContain('- :large_green_circle: Healthy: 3');
    expect(md).toContain('- :red_circle: Critical: 1');
    expect(md).not.toContain('Needs attention:');
    expect(md).toContain('overdue since 2026-06-01: Refresh it');
    expect(md).toContain('- 2026-06-20 · **Beta** (LinkedIn): token expires on 2026-06-20 · ![](@UOWNER2)');
    expect(md).toContain('And 2 more deadlines');
  });

  it('keeps markdown in names as text', () => {
    const md = statusMarkdown(snapshot());
    expect(md).toContain('**\\*Big\\* \\[launch\\]\\(https://x.example\\) \\#1**');
    expect(md).not.toContain('[launch](');
  });

  it('lists each source with its last sync when the workspace has sources', () => {
    const md = statusMarkdown(
      snapshot({
        sources: [
          { name: 'Hootsuite', lastSyncAt: new Date('2026-06-15T08:30:00Z') },
          { name: 'Buffer', lastSyncAt: null, problem: 'token revoked' },
        ],
      }),
    );
    expect(md).toContain('## Sources');
    expect(md).toContain('- **Hootsuite**: last synced 2026-06-15 08:30 UTC');
    expect(md).toContain('- **Buffer**: never synced (last sync failed: token revoked)');
  });

  it('says so when nothing needs action and no channel is recorded', () => {
    const md = statusMarkdown(
      snapshot({ counts: { ok: 0, attention: 0, at_risk: 0, critical: 0, disconnected: 0 }, total: 0, needsAction: [], deadlines: [], moreDeadlines: 0 }),
    );
    expect(md).toContain('No channels recorded yet');
    expect(md).toContain('Nothing needs action.');
    expect(md).toContain('No deadline in the next 30 days.');
  });
});
