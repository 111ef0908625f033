/**
 * The weekly report over a seeded week, on both databases: a check a week ago, a refresh, a
 * disconnection, a reconnection and escalation steps during the week, a check today; the numbers
 * must be those of that data. Then the chart (decoded with pngjs) and the scheduled fire, which
 * posts the report and uploads the chart through the fake Slack's three-step files.uploadV2 flow.
 */
import { PNG } from 'pngjs';
import { CHART_HEIGHT, CHART_WIDTH, deadlineChartPng, SERIES_COLOURS } from '../../src/chart/deadline-chart';
import { createDeliveryClient } from '../../src/bot/delivery/client';
import { SlackReportDelivery } from '../../src/bot/delivery/report-delivery';
import { reportLines, type WeeklyReport } from '../../src/rules/weekly-report';
import { ESCALATED_ACTION } from '../../src/domain';
import { silentLogger } from '../../src/logger';
import { runCheck } from '../../src/runs/check-run';
import { CheckScheduler } from '../../src/runs/scheduler';
import { recordRefresh } from '../../src/services/caretaking';
import { markDisconnected, markReconnected } from '../../src/services/channels';
import type { Acting } from '../../src/services/deps';
import { weeklyReport } from '../../src/services/weekly-report';
import { addChannel, ADMIN, LEAD, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';

const NOW = new Date('2026-06-15T12:00:00Z'); // a Monday
const WEEK_AGO = new Date('2026-06-08T12:00:00Z');
const at = (day: string) => new Date(`${day}T10:00:00Z`);
const ACTIVE = '2026-06-05';

describeEachDatabase('the weekly report', (db) => {
  const store = () => db().store;
  const acting = async (team: string, now: Date): Promise<{ deps: { store: ReturnType<typeof store>; now: () => Date }; who: Acting }> => ({
    deps: { store: store(), now: () => now },
    who: { workspace: await store().workspaces.getById(team), actor: (await store().members.find(team, ADMIN))! },
  });
  const check = (team: string, now: Date) => runCheck({ store: store(), now: () => now, logger: silentLogger }, team);

  /** One week of a team's life; returns the team id. */
  async function seedWeek(): Promise<string> {
    const team = await newTeam(store());
    // No refresh cadence: each channel's health moves with its token's expiry alone.
    await store().workspaces.updateSettings(team, { policyOverrides: { all: { refreshRecommendedDays: null, refreshOverdueDays: null } } });
    const add = (name: string, overrides: Parameters<typeof addChannel>[2] = {}) =>
      addChannel(store(), team, { name, ownerLastActiveAt: ACTIVE, ...overrides });
    const fresh = await add('Fresh', { connectedAt: '2026-06-01' });
    const expiring = await add('Expiring', { connectedAt: '2025-06-20', lastRefreshedAt: '2025-06-20', ownerId: LEAD });
    const refreshed = await add('Refreshed', { connectedAt: '2025-06-12' });
    const dropped = await add('Dropped', { connectedAt: '2026-01-10', lastRefreshedAt: '2026-05-20' });
    const back = await add('Back', {
      connectedAt: '2026-01-10',
      lastRefreshedAt: '2026-05-20',
      status: 'disconnected',
      disconnectReason: 'owner_left',
      disconnectedAt: '2026-06-01',
    });
    await add('No backup', { connectedAt: '2026-05-01', backups: [] });
    // Before the week: neither this refresh nor this escalation step is this week's news.
    let { deps, who } = await acting(team, at('2026-06-05'));
    await recordRefresh(deps, who, fresh, '2026-06-05');
    await store().audit.append({ workspaceId: team, connectionId: expiring.id, actorId: 'system', action: ESCALATED_ACTION, at: at('2026-06-07') });

    await check(team, WEEK_AGO);
    ({ deps, who } = await acting(team, at('2026-06-10')));
    await recordRefresh(deps, who, refreshed, '2026-06-10');
    ({ deps, who } = await acting(team, at('2026-06-11')));
    await markDisconnected(deps, who, dropped, 'password_change', '2026-06-11');
    ({ deps, who } = await acting(team, at('2026-06-12')));
    await markReconnected(deps, who, back, '2026-06-12');
    await add('New', { connectedAt: '2026-06-12' });
    for (const day of ['2026-06-13', '2026-06-14']) {
      await store().audit.append({
        workspaceId: team,
        connectionId: expiring.id,
        actorId: 'system',
        action: ESCALATED_ACTION,
        details: { step: day },
        at: at(day),
      });
    }
    await check(team, NOW);
    return team;
  }

  let team: string;
  let report: WeeklyReport;
  beforeAll(async () => {
    team = await seedWeek();
    report = (await weeklyReport({ store: store(), now: () => NOW }, team)).report;
  });

  it('counts health now and a week ago from the data', () => {
    // A week ago: Fresh and Dropped ok; Expiring (12 days left) and No backup attention; Refreshed
    // (4 days left) at risk; Back disconnected. Now: Refreshed, Back and New ok too; Expiring (5 days) at risk; Dropped disconnected.
    expect(report.total).toEqual({ now: 7, weekAgo: 6 });
    expect(report.health).toEqual({
      ok: { now: 4, weekAgo: 2 },
      attention: { now: 1, weekAgo: 2 },
      at_risk: { now: 1, weekAgo: 1 },
      critical: { now: 0, weekAgo: 0 },
      disconnected: { now: 1, weekAgo: 1 },
    });
  });

  it("lists the week's refreshes, new risks, disconnections, reconnections and escalation steps, and nothing from before it", () => {
    const names = (items: { name: string }[]) => items.map((i) => i.name);
    expect(names(report.happened.refreshed)).toEqual(['Refreshed']);
    expect(report.happened.newlyAtRisk).toEqual([expect.objectContaining({ name: 'Expiring', severity: 'at_risk' })]);
    expect(names(report.happened.disconnected)).toEqual(['Dropped']);
    expect(names(report.happened.reconnected)).toEqual(['Back']);
    expect(report.happened.escalated.steps).toBe(2);
    expect(names(report.happened.escalated.channels)).toEqual(['Expiring']);
  });

  it('lists the deadlines of the next 30 days, charts 12 weeks of them and names who holds the channels at risk', () => {
    // Only Expiring's token falls due within 30 days; the owners' inactivity limits (last activity + 60 days) come in August.
    expect(report.deadlines.map((d) => [d.date, d.name, d.kind, d.level])).toEqual([['2026-06-20', 'Expiring', 'expiry', 'at_risk']]);
    expect(report.weeks.map((w) => w.start).slice(0, 3)).toEqual(['2026-06-15', '2026-06-22', '2026-06-29']);
    expect(report.weeks[0]!.counts).toEqual({ critical: 0, at_risk: 1, attention: 0, upcoming: 0 });
    // 08-04: Fresh, Expiring, No backup; 08-09: Refreshed (in the week from 08-03); 08-11: Back and New (week from 08-10).
    expect(report.weeks.map((w) => w.counts.upcoming)).toEqual([0, 0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0]);
    expect(report.people).toEqual([
      { userId: LEAD, name: null, atRisk: 1, channels: ['Expiring'] },
      { userId: OWNER, name: null, atRisk: 1, channels: ['Dropped'] },
    ]);
    const text = reportLines(report).join('\n');
    expect(text).toContain('• At risk: 1 (±0)');
    expect(text).toContain('• OK: 4 (+2)');
    expect(text).toContain('• Escalated: 2 steps: “Expiring”');
  });

  it('draws a PNG of the expected size, which differs for different data', async () => {
    const png = PNG.sync.read(deadlineChartPng(report));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const other = (await weeklyReport({ store: store(), now: () => NOW }, await newTeam(store()))).report;
    const empty = PNG.sync.read(deadlineChartPng(other));
    expect([empty.width, empty.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(Buffer.compare(png.data, empty.data)).not.toBe(0);
    // The bars are drawn in the severity colours: besides its legend swatch, the at-risk colour shows only where a week has one.
    const pixels = (image: PNG, [r, g, b]: number[]) => {
      let n = 0;
      for (let i = 0; i < image.data.length; i += 4) if (image.data[i] === r && image.data[i + 1] === g && image.data[i + 2] === b) n += 1;
      return n;
    };
    const orange = [1, 3, 5].map((i) => parseInt(SERIES_COLOURS.at_risk.slice(i, i + 2), 16));
    expect(pixels(empty, orange)).toBeGreaterThan(0);
    expect(pixels(png, orange)).toBeGreaterThan(pixels(empty, orange) + 1000);
  });

  it('the scheduled fire posts the report once across two replicas and uploads the chart in three steps', async () => {
    const fake = await new FakeSlack().start();
    try {
      await store().workspaces.updateSettings(team, { alertChannel: 'CALERTS', reportDay: 'monday', reportTime: '08:30' });
      const delivery = new SlackReportDelivery(createDeliveryClient('xoxb-test', { slackApiUrl: fake.apiUrl }), silentLogger);
      const replica = (holder: string) =>
        new CheckScheduler({ store: store(), now: () => NOW, holder, catchUp: false, refreshEveryMs: 0, weeklyReport: { delivery } });
      const scheduledAt = new Date('2026-06-15T08:30:00Z');
      const [a, b] = await Promise.all([replica('a').fireReport(team, scheduledAt), replica('b').fireReport(team, scheduledAt)]);
      expect([a.status, b.status].sort()).toEqual(['ran', 'skipped']);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
      const [post] = fake.callsTo('chat.postMessage');
      expect(post!.body.channel).toBe('CALERTS');
      expect(JSON.stringify(post!.body.blocks)).toContain('Weekly channel report');
      const steps = fake.calls.map((c) => c.method).filter((m) => m.startsWith('files.') || m === 'upload');
      expect(steps).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
      const complete = fake.callsTo('files.completeUploadExternal')[0]!;
      expect(complete.body.channel_id).toBe('CALERTS');
      const fileId = (complete.body.files as { id: string }[])[0]!.id;
      const uploaded = PNG.sync.read(fake.uploads.get(fileId)!.bytes);
      expect([uploaded.width, uploaded.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
      const fire = await store().scheduler.findFire(`report:${team}:${scheduledAt.toISOString()}`);
      expect(fire?.outcome).toMatch(new RegExp(`^ok: posted to CALERTS at .* with chart ${fileId}$`));
    } finally {
      await fake.stop();
    }
  });
});
