/** Events API: App Home renders a dashboard; user_change marks owners gone (once per event id). */
import type { HeaderBlock, HomeView } from '@slack/types';
import { describeEachDatabase } from '../../support/databases';
import { checkBlockKitLimits } from '../support/block-kit-limits';
import { eventually, SlackHarness, slackPerSuite } from '../support/slack-harness';
import { addChannel, BACKUP, newTeam, OWNER } from '../support/team';

describeEachDatabase('events', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it('app_home_opened publishes counts by health, what is overdue apart from the next 30 days, and "channels I own or back up"', async () => {
    const team = await newTeam(store());
    // Owner idle since 2025-06-20: past the 60-day limit since 2025-08-19; the token still ends ahead, on 2026-06-20.
    await addChannel(store(), team, { name: 'Mine', connectedAt: '2025-06-20' });
    // Connected 2026-05-01: the owner is to log in by 2026-06-30, within 30 days, and nothing is overdue.
    await addChannel(store(), team, { name: 'Soon', ownerId: 'UOTHER1', connectedAt: '2026-05-01' });
    await addChannel(store(), team, { name: 'Theirs', ownerId: 'UOTHER1', backups: [], connectedAt: '2026-06-01' });
    // Nobody owns it: to be acted on today, though its calendar is months away.
    await addChannel(store(), team, { name: 'Orphan', ownerId: null, connectedAt: '2026-06-01' });
    const answer = await slack().event(team, { type: 'app_home_opened', user: OWNER, channel: 'D1', tab: 'home', event_ts: '1' });
    expect(answer.status).toBe(200);
    const publish = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.publish'));
    expect(publish.body.user_id).toBe(OWNER);
    const view = publish.body.view as HomeView;
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('4 channels');
    const overdue = sectionOf(view, 'Overdue (1)');
    expect(overdue).toContain('*Mine*');
    expect(overdue).toContain('owner past the inactivity limit since 2025-08-19');
    const soon = sectionOf(view, 'Deadlines in the next 30 days (2)');
    expect(soon).toContain('*Soon*');
    expect(soon).toContain('*Orphan*');
    expect(soon).not.toContain('Theirs');
    expect(soon).toContain('next: owner to log in by 2026-06-30');
    expect(soon).not.toContain('Mine');
    // No date before today (2026-06-15) is offered as a deadline ahead.
    for (const [, date] of soon.matchAll(/(?:next: [a-z ]+|expires on) (\d{4}-\d{2}-\d{2})/g)) expect(date! >= '2026-06-15').toBe(true);
    expect(text).toContain('Channels I own or back up (1)');
    expect(checkBlockKitLimits(view.blocks, 'home')).toEqual([]);
  });

  it('App Home lists at most 15 channels a section and ends with "and N more", never a cut word', async () => {
    const team = await newTeam(store());
    const long = 'Quarterly Investor Relations Announcements '.repeat(6).trim();
    for (let i = 0; i < 17; i += 1) await addChannel(store(), team, { name: `${long} ${String(i).padStart(2, '0')}`, connectedAt: '2025-06-20' });
    await slack().event(team, { type: 'app_home_opened', user: OWNER, channel: 'D1', tab: 'home', event_ts: '1' });
    const publish = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.publish'));
    const view = publish.body.view as HomeView;
    const overdue = sectionOf(view, 'Overdue (17)');
    expect(overdue).toContain('and 2 more: `/channels status`');
    expect(overdue.match(/Quarterly Investor Relations/g)!.length).toBeGreaterThanOrEqual(15);
    // Every shortened line ends after a whole word.
    // Every shortened text ends after a whole word: that word appears whole elsewhere in the section.
    const cut = [...overdue.matchAll(/([A-Za-z]+)…/g)].map((m) => m[1]!);
    expect(cut.length).toBeGreaterThan(0);
    for (const word of cut) expect(overdue).toMatch(new RegExp(`\\b${word}\\b(?!…)`));
    expect(checkBlockKitLimits(view.blocks, 'home')).toEqual([]);
  });

  it('app_home_opened shows admins failed deliveries and missing settings, and members neither', async () => {
    const team = await newTeam(store());
    const channel = await addChannel(store(), team, { name: 'Acme <x>', connectedAt: '2025-06-20' });
    const [row] = await store().warnings.upsertMany([
      {
        workspaceId: team,
        connectionId: channel.id,
        kind: 'expiry',
        stage: '7d',
        severity: 'at_risk',
        cycle: '2025-06-20',
        dedupKey: `${channel.id}:expiry:7d:2025-06-20`,
        dueAt: '2026-06-20',
      },
    ]);
    const [claimed] = await store().outbox.claimDue({ limit: 1, holder: 't', now: new Date(), workspaceId: team });
    await store().outbox.markFailed(row!.id, { code: 'not_in_channel', text: 'the bot is not in #alerts' }, claimed!.claimedBy!);
    const homeFor = async (user: string) => {
      slack().fake.reset();
      await slack().event(team, { type: 'app_home_opened', user, channel: 'D1', tab: 'home', event_ts: '1' });
      const publish = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.publish'));
      return publish.body.view as HomeView;
    };
    const adminView = await homeFor('UADMIN1');
    const adminText = JSON.stringify(adminView.blocks);
    expect(adminText).toContain('For admins');
    expect(adminText).toContain('Not delivered (Acme &lt;x&gt;): the bot is not in #alerts');
    expect(adminText).toContain('No alert channel');
    expect(checkBlockKitLimits(adminView.blocks, 'home')).toEqual([]);
    expect(JSON.stringify((await homeFor('UMEMBER1')).blocks)).not.toContain('For admins');
  });

  it('user_change with a deactivated owner marks them inactive, so their channels report "owner gone"; a retry changes nothing more', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    const event = { type: 'user_change', user: { id: OWNER, team_id: team, name: 'owner', deleted: true } };
    const eventId = `EvONE${team}`;
    await slack().event(team, event, eventId);
    await eventually(async () => (await store().members.find(team, OWNER))?.active === false);
    // The retry says "reactivated": were it processed again, the owner would flip back.
    await slack().event(team, { ...event, user: { ...event.user, deleted: false } }, eventId);
    await slack().event(team, { type: 'user_change', user: { id: BACKUP, team_id: team, name: 'backup', deleted: true } }, `EvTWO${team}`);
    await eventually(async () => (await store().members.find(team, BACKUP))?.active === false);
    expect((await store().members.find(team, OWNER))?.active).toBe(false);
    expect((await store().audit.list(team)).filter((e) => e.action === 'member.deactivated')).toHaveLength(2);
    await slack().command(team, 'UADMIN1', 'show Acme');
    expect(SlackHarness.textOf(await slack().response())).toContain('its owner left the workspace');
  });
});

/** The text of a Home section: the blocks after its header, up to the next divider. */
function sectionOf(view: HomeView, title: string): string {
  const start = view.blocks.findIndex((b) => b.type === 'header' && (b as HeaderBlock).text.text === title);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = view.blocks.findIndex((b, i) => i > start && b.type === 'divider');
  return JSON.stringify(view.blocks.slice(start + 1, end === -1 ? undefined : end));
}
