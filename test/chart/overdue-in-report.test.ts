/**
 * Overdue and expired channels appear in the weekly report's chart: each deadline already past (a
 * token that ended, a refresh overdue, an owner's inactivity past its limit) counts in the first
 * bar, "Overdue", by the severity of its finding today; a healthy channel adds nothing to it.
 */
import { CHART_HEIGHT, CHART_WIDTH, deadlineChartPng, deadlineChartSvg, OVERDUE_LABEL } from '../../src/chart/deadline-chart';
import { PNG } from 'pngjs';
import { chartAltText } from '../../src/bot/blocks/weekly-report';
import { weeklyReport } from '../../src/services/weekly-report';
import { addChannel, newTeam } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';

const NOW = new Date('2026-12-07T12:00:00Z'); // a Monday; the chart's weeks cross into 2027

describeEachDatabase('the overdue bar of the weekly report', (db) => {
  it('counts each deadline already past by its severity, and the chart draws it first', async () => {
    const store = db().store;
    const team = await newTeam(store);
    // LinkedIn tokens last 365 days. Expired on 2026-11-27, its refresh long overdue too.
    await addChannel(store, team, { name: 'Expired', connectedAt: '2025-11-27', lastRefreshedAt: null, ownerLastActiveAt: '2026-12-01' });
    // Refreshed two weeks ago: nothing is past.
    await addChannel(store, team, { name: 'Healthy', connectedAt: '2025-01-10', lastRefreshedAt: '2026-11-20', ownerLastActiveAt: '2026-12-01' });
    const { report } = await weeklyReport({ store, now: () => NOW }, team);
    // The expired token (critical) and its refresh, overdue since March (at risk): both of the expired channel.
    expect(report.overdueCounts).toEqual({ critical: 1, at_risk: 1, attention: 0, upcoming: 0 });
    // Nothing past appears among the weeks ahead.
    expect(report.weeks[0]!.start).toBe('2026-12-07');

    const chart = deadlineChartSvg(report);
    const first = [...chart.matchAll(/<rect class="segment" data-level="(\w+)" data-count="(\d+)" x="([\d.]+)"/g)];
    const firstX = Math.min(...first.map((m) => Number(m[3])));
    const bar = first.filter((m) => Number(m[3]) === firstX).map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(bar)).toEqual(Object.fromEntries(Object.entries(report.overdueCounts).filter(([, n]) => n > 0)));
    expect(chart).toContain(`>${OVERDUE_LABEL}</text>`);
    expect(chart).toMatch(/class="axis-year"[^>]*>2026<\/text>[\s\S]*class="axis-year"[^>]*>2027<\/text>/);
    // What a screen reader says of the chart in Slack counts them too.
    expect(chartAltText(report)).toMatch(/^Bar chart of channel deadlines: 2 overdue, then per week for 12 weeks from 2026-12-07: /);
    const png = PNG.sync.read(deadlineChartPng(report));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });
});
