/** Through Slack: the tool in the form, status by tool and retired, App Home by tool, retire/restore, the calendar feed over HTTP. */
import type { HomeView } from '@slack/types';
import { buildChannelModal, CHANNEL_FIELD, SECURITY_FIELD } from '../../src/bot/blocks/channel-modal';
import { buildSettingsModal, SETTINGS_FIELD } from '../../src/bot/blocks/settings-modal';
import { VIEW } from '../../src/bot/interactions';
import { describeEachDatabase } from '../support/databases';
import { parseIcs } from '../support/ical';
import { checkModalLimits } from './support/block-kit-limits';
import { viewSubmission, type StateValues } from './support/payloads';
import { SlackHarness, slackPerSuite } from './support/slack-harness';
import { addChannel, ADMIN, LEAD, MEMBER, newTeam, OWNER } from './support/team';

function fields(entries: Record<string, Record<string, unknown>>): StateValues {
  return Object.fromEntries(Object.entries(entries).map(([id, value]) => [id, { [id]: value }]));
}

describeEachDatabase('tools, retiring and the calendar in Slack', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it('the channel form records the tool; the edit form shows it and can clear it', async () => {
    const team = await newTeam(store());
    const form = (tool: string | null, name = 'Tooled Page') =>
      fields({
        [CHANNEL_FIELD.network]: { type: 'static_select', selected_option: { value: 'linkedin' } },
        [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: 'company_page' } },
        [CHANNEL_FIELD.tool]: { type: 'static_select', selected_option: tool === null ? null : { value: tool } },
        [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: name },
        [CHANNEL_FIELD.owner]: { type: 'users_select', selected_user: OWNER },
        [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-01-05' },
        ...Object.fromEntries(Object.values(SECURITY_FIELD).map(({ id }) => [id, { type: 'radio_buttons', selected_option: null }])),
      });
    const metadata = buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
    expect((await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, form('hootsuite'), metadata))).text).toBe('');
    const [c] = await store().connections.findByName(team, 'tooled page');
    expect(c!.tool).toBe('hootsuite');
    const edit = buildChannelModal({ responseUrl: slack().fake.responseUrl() }, c);
    expect(JSON.stringify(edit.blocks)).toContain('"initial_option":{"text":{"type":"plain_text","text":"Hootsuite"},"value":"hootsuite"}');
    expect(checkModalLimits(edit as never)).toEqual([]);
    await slack().interaction(viewSubmission(team, LEAD, VIEW.editChannel, form('none'), edit.private_metadata));
    expect((await store().connections.findByName(team, 'tooled page'))[0]!.tool).toBeNull();
  });

  it('status filters by tool; retired channels only show with `status retired`; retire and restore answer', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Pilot Page', tool: 'socialpilot' });
    await addChannel(store(), team, { name: 'Sprout Page', tool: 'sprout_social' });
    await addChannel(store(), team, { name: 'Old Page' });
    // Answers arrive through response_url in any order: wait for the one this command gave.
    const reply = async (text: string, marker: string) => {
      const before = slack().fake.calls.length;
      await slack().command(team, LEAD, text);
      const found = await slack().waitFor((calls) =>
        calls.slice(before).find((c) => c.method === 'response_url' && SlackHarness.textOf(c.body as object).includes(marker)),
      );
      return SlackHarness.textOf(found.body as object);
    };
    const pilot = await reply('status socialpilot', 'Channels held in SocialPilot');
    expect(pilot).toContain('Channels held in SocialPilot: 1 channel\n');
    expect(pilot).not.toContain('Sprout Page');
    expect(await reply('status Sprout-Social', 'Sprout Social')).toContain('Sprout Page');

    expect(await reply('retire "Old Page"', 'retired *Old Page*')).toContain(':file_cabinet:');
    expect(await reply('retire "Old Page"', 'already retired')).toContain('/channels restore');
    const all = await reply('status', 'All channels');
    expect(all).toContain('Pilot Page');
    expect(all).not.toContain('Old Page');
    expect(await reply('show "Old Page"', '*Retired*')).toContain('/channels restore');
    expect(await reply('show "Pilot Page"', '*Held in*')).toContain('SocialPilot');
    const retired = await reply('status retired', 'Retired channels');
    expect(retired).toContain('Retired channels: 1 channel\n');
    expect(retired).toContain('Old Page');
    expect(await reply('restore "Old Page"', 'restored *Old Page*')).toContain('judges it again');
    expect(await reply('status', 'All channels')).toContain('Old Page');
  });

  it('App Home counts channels by tool', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Home A', tool: 'buffer' });
    await addChannel(store(), team, { name: 'Home B', tool: 'buffer' });
    await addChannel(store(), team, { name: 'Home C', tool: 'later' });
    await addChannel(store(), team, { name: 'Home D' });
    await slack().event(team, { type: 'app_home_opened', user: MEMBER, channel: 'D1', tab: 'home', event_ts: '1' });
    const publish = await slack().waitFor((calls) =>
      calls.find((c) => c.method === 'views.publish' && c.body.user_id === MEMBER && JSON.stringify(c.body.view).includes('Buffer: 2')),
    );
    const text = JSON.stringify((publish.body.view as HomeView).blocks);
    expect(text).toContain('*By tool*\\nBuffer: 2\\nLater: 1\\nNo tool recorded: 1');
  });

  it('the feed URL answers only with the right secret and stops answering after an admin rotates it in settings', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Feed Page', connectedAt: '2026-01-10' });
    await slack().command(team, ADMIN, 'calendar workspace');
    const note = SlackHarness.textOf(
      await slack().waitFor((calls) => calls.find((c) => c.method === 'response_url' && JSON.stringify(c.body).includes('/calendar/'))?.body),
    );
    const path = /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(note)![0];
    const get = (p: string) => fetch(`${slack().baseUrl}${p}`);

    const ok = await get(path);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/calendar');
    expect(parseIcs(await ok.text()).events.map((e) => e.summary)).toContain('LinkedIn “Feed Page”: token expires');
    expect((await get('/calendar/not-the-secret-at-all-xxxxxxxxxxxx.ics')).status).toBe(404);
    expect((await get(path.replace('.ics', ''))).status).toBe(404);

    // A member cannot see the workspace feed.
    const before = slack().fake.calls.length;
    await slack().command(team, MEMBER, 'calendar workspace');
    await slack().waitFor((calls) => calls.slice(before).find((c) => c.method === 'response_url' && JSON.stringify(c.body).includes('Only admins')));

    const settings = buildSettingsModal(await store().workspaces.getById(team), null, { responseUrl: slack().fake.responseUrl() });
    const values = fields({
      [SETTINGS_FIELD.alertChannel]: { type: 'conversations_select', selected_conversation: 'CALERTS1' },
      [SETTINGS_FIELD.timeZone]: { type: 'plain_text_input', value: 'UTC' },
      [SETTINGS_FIELD.checkTime]: { type: 'timepicker', selected_time: '09:00' },
      [SETTINGS_FIELD.ladder]: { type: 'plain_text_input', value: '' },
      [SETTINGS_FIELD.rotateCalendar]: { type: 'checkboxes', selected_options: [{ value: 'rotate' }] },
    });
    expect((await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, values, settings.private_metadata))).text).toBe('');
    const rotated = SlackHarness.textOf(
      await slack().waitFor(
        (calls) => calls.find((c) => c.method === 'response_url' && JSON.stringify(c.body).includes('previous URL no longer answers'))?.body,
      ),
    );
    const next = /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(rotated)![0];
    expect(next).not.toBe(path);
    expect((await get(path)).status).toBe(404);
    expect((await get(next)).status).toBe(200);
  });

  it('an owner gets a personal feed of only their channels', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Mine Only', ownerId: OWNER });
    await addChannel(store(), team, { name: 'Someone Else', ownerId: LEAD });
    await slack().command(team, OWNER, 'calendar');
    const note = SlackHarness.textOf(
      await slack().waitFor((calls) => calls.find((c) => c.method === 'response_url' && JSON.stringify(c.body).includes('Your calendar feed'))?.body),
    );
    const path = /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(note)![0];
    const events = parseIcs(await (await fetch(`${slack().baseUrl}${path}`)).text()).events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.summary.includes('Mine Only'))).toBe(true);
  });
});
