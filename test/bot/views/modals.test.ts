/** Modal submissions: valid ones save and answer where the modal came from; invalid ones keep it open with field errors. */
import { VIEW } from '../../../src/bot/interactions';
import { buildChannelModal, CHANNEL_FIELD, SECURITY_FIELD } from '../../../src/bot/blocks/channel-modal';
import { buildDisconnectModal, DISCONNECT_FIELD } from '../../../src/bot/blocks/disconnect-modal';
import { buildPersonModal } from '../../../src/bot/blocks/person-modal';
import { buildSettingsModal, SETTINGS_FIELD } from '../../../src/bot/blocks/settings-modal';
import { describeEachDatabase } from '../../support/databases';
import { viewSubmission, type StateValues } from '../support/payloads';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, ADMIN, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

function channelForm(overrides: Record<string, Record<string, unknown>> = {}): StateValues {
  const fields: Record<string, Record<string, unknown>> = {
    [CHANNEL_FIELD.network]: { type: 'static_select', selected_option: { value: 'linkedin' } },
    [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: 'showcase_page' } },
    [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: '  Acme   Careers ' },
    [CHANNEL_FIELD.url]: { type: 'url_text_input', value: 'https://www.linkedin.com/showcase/acme-careers' },
    [CHANNEL_FIELD.owner]: { type: 'users_select', selected_user: OWNER },
    [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-01-05' },
    [CHANNEL_FIELD.lastRefreshedAt]: { type: 'datepicker', selected_date: '2026-04-01' },
    [CHANNEL_FIELD.ownerLastActiveAt]: { type: 'datepicker', selected_date: null },
    [CHANNEL_FIELD.backups]: { type: 'multi_users_select', selected_users: ['UBACK9', OWNER] },
    [SECURITY_FIELD.sharedLogin.id]: { type: 'radio_buttons', selected_option: { value: 'no' } },
    [SECURITY_FIELD.twoFactor.id]: { type: 'radio_buttons', selected_option: { value: 'yes' } },
    [SECURITY_FIELD.ownerSuperAdmin.id]: { type: 'radio_buttons', selected_option: { value: 'unknown' } },
    [SECURITY_FIELD.permissionsGranted.id]: { type: 'radio_buttons', selected_option: null },
    [CHANNEL_FIELD.notes]: { type: 'plain_text_input', value: '' },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { [id]: value! }]));
}

describeEachDatabase('modal submissions', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  // The private_metadata each modal's builder writes (opened by a command: answer through its response_url).
  const metadata = () => buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
  const settingsMetadata = async (team: string) =>
    buildSettingsModal(await store().workspaces.getById(team), null, { responseUrl: slack().fake.responseUrl() }).private_metadata!;

  it('add channel: saves every field, tells the asker, and records connection.add', async () => {
    const team = await newTeam(store());
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, channelForm(), metadata()));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(SlackHarness.textOf(await slack().response())).toContain('added *Acme Careers*');
    const [c] = await store().connections.findByName(team, 'acme careers');
    expect(c).toMatchObject({
      network: 'linkedin',
      kind: 'showcase_page',
      ownerId: OWNER,
      connectedAt: '2026-01-05',
      lastRefreshedAt: '2026-04-01',
      ownerLastActiveAt: null,
    });
    expect(c!.security).toEqual({ sharedLogin: false, twoFactor: true, ownerSuperAdmin: null, permissionsGranted: null });
    expect(c!.backups.map((b) => b.userId)).toEqual(['UBACK9']);
    expect((await store().audit.list(team, { connectionId: c!.id })).map((e) => e.action)).toEqual(['connection.add']);
  });

  it('add channel with invalid fields: errors under each field, nothing saved', async () => {
    const team = await newTeam(store());
    const form = channelForm({
      [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: '   ' },
      [CHANNEL_FIELD.url]: { type: 'url_text_input', value: 'javascript:alert(1)' },
      [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-12-01' },
      [CHANNEL_FIELD.lastRefreshedAt]: { type: 'datepicker', selected_date: '2025-01-01' },
    });
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, form, metadata()));
    expect(answer.json?.response_action).toBe('errors');
    const errors = answer.json?.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual([CHANNEL_FIELD.connectedAt, CHANNEL_FIELD.lastRefreshedAt, CHANNEL_FIELD.name, CHANNEL_FIELD.url].sort());
    expect(errors[CHANNEL_FIELD.connectedAt]).toContain('2026-12-01 is in the future');
    expect(await store().connections.count(team)).toBe(0);
  });

  it('add channel: a refresh before the connection date is an error on that field', async () => {
    const team = await newTeam(store());
    const form = channelForm({ [CHANNEL_FIELD.lastRefreshedAt]: { type: 'datepicker', selected_date: '2025-12-01' } });
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, form, metadata()));
    expect((answer.json?.errors as Record<string, string>)[CHANNEL_FIELD.lastRefreshedAt]).toContain('cannot come before the connection');
  });

  it('add channel: a duplicate name is an error on the name field', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'ACME careers' });
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, channelForm(), metadata()));
    expect((answer.json?.errors as Record<string, string>)[CHANNEL_FIELD.name]).toContain('is the same name as the linkedin channel “ACME careers”');
    expect(await store().connections.count(team)).toBe(1);
  });

  it('add channel: a member submitting (role lowered meanwhile) sees the refusal; nothing saved', async () => {
    const team = await newTeam(store());
    const answer = await slack().interaction(viewSubmission(team, MEMBER, VIEW.addChannel, channelForm(), metadata()));
    expect(answer.json?.response_action).toBe('update');
    expect(JSON.stringify(answer.json)).toContain('Only team leaders and admins may add channels');
    expect(await store().connections.count(team)).toBe(0);
  });

  it('edit channel: changes fields and records connection.edit with what changed', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const form = channelForm({ [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: 'Acme Global' } });
    const answer = await slack().interaction(
      viewSubmission(team, ADMIN, VIEW.editChannel, form, buildChannelModal({ responseUrl: slack().fake.responseUrl() }, c).private_metadata),
    );
    expect(answer.text).toBe('');
    expect(SlackHarness.textOf(await slack().response())).toContain('updated *Acme Global*');
    const after = await store().connections.getById(team, c.id);
    expect([after.name, after.kind, after.lastRefreshedAt]).toEqual(['Acme Global', 'showcase_page', '2026-04-01']);
    const [event] = await store().audit.list(team, { connectionId: c.id, limit: 1 });
    expect(event?.action).toBe('connection.edit');
    expect(Object.keys(event!.details.changed as object)).toContain('name');
  });

  function settingsForm(values: { channel?: string | null; zone?: string; time?: string; ladder?: string }): StateValues {
    const one = (id: string, v: Record<string, unknown>) => ({ [id]: { [id]: v } });
    return {
      ...one(SETTINGS_FIELD.alertChannel, { type: 'conversations_select', selected_conversation: values.channel === undefined ? 'CALERTS1' : values.channel }),
      ...one(SETTINGS_FIELD.timeZone, { type: 'plain_text_input', value: values.zone ?? 'Europe/Berlin' }),
      ...one(SETTINGS_FIELD.checkTime, { type: 'timepicker', selected_time: values.time ?? '08:30' }),
      ...one(SETTINGS_FIELD.ladder, { type: 'plain_text_input', value: values.ladder ?? '21, 7, 1' }),
    };
  }

  it('settings: saves channel, zone, time and ladder, audited as settings.change', async () => {
    const team = await newTeam(store());
    const answer = await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, settingsForm({}), await settingsMetadata(team)));
    expect(answer.text).toBe('');
    const ws = await store().workspaces.getById(team);
    expect([ws.alertChannel, ws.timeZone, ws.checkTime, ws.policyOverrides.all?.expiryLadder]).toEqual(['CALERTS1', 'Europe/Berlin', '08:30', [21, 7, 1]]);
    const [event] = await store().audit.list(team, { limit: 1 });
    expect(event?.action).toBe('settings.change');
    expect(Object.keys(event!.details.changed as object).sort()).toEqual(['alertChannel', 'checkTime', 'policyOverrides', 'timeZone']);
  });

  it('settings: the status canvas box, unticked, turns the canvas off; ticked, on', async () => {
    const team = await newTeam(store());
    const box = (on: boolean) => ({
      [SETTINGS_FIELD.statusCanvas]: { [SETTINGS_FIELD.statusCanvas]: { type: 'checkboxes', selected_options: on ? [{ value: 'on' }] : [] } },
    });
    await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, { ...settingsForm({}), ...box(false) }, await settingsMetadata(team)));
    expect((await store().workspaces.getById(team)).statusCanvas).toBe(false);
    await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, { ...settingsForm({}), ...box(true) }, await settingsMetadata(team)));
    expect((await store().workspaces.getById(team)).statusCanvas).toBe(true);
  });

  it('settings with a bad zone and ladder: errors under both fields, nothing saved', async () => {
    const team = await newTeam(store());
    const answer = await slack().interaction(
      viewSubmission(team, ADMIN, VIEW.settings, settingsForm({ zone: 'Mars/Olympus', ladder: '7, 14' }), await settingsMetadata(team)),
    );
    const errors = answer.json?.errors as Record<string, string>;
    expect(errors[SETTINGS_FIELD.timeZone]).toContain('not an IANA time zone');
    expect(errors[SETTINGS_FIELD.ladder]).toContain('strictly descending');
    expect((await store().workspaces.getById(team)).timeZone).toBe('UTC');
  });

  it('settings: a team leader is refused', async () => {
    const team = await newTeam(store());
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.settings, settingsForm({}), await settingsMetadata(team)));
    expect(JSON.stringify(answer.json)).toContain('Only admins may change settings');
    expect((await store().workspaces.getById(team)).alertChannel).toBeNull();
  });

  it('reassign owner modal: saves the new owner', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const values = { person: { person: { type: 'users_select', selected_user: 'UNEW7' } } };
    await slack().interaction(
      viewSubmission(
        team,
        LEAD,
        VIEW.reassignOwner,
        values,
        buildPersonModal('owner', c, { responseUrl: slack().fake.responseUrl(), fromCard: true }).private_metadata,
      ),
    );
    const reply = await slack().response();
    expect(reply.replace_original).toBe(true);
    expect(SlackHarness.textOf(reply)).toContain('made <@UNEW7> the owner');
    expect((await store().connections.getById(team, c.id)).ownerId).toBe('UNEW7');
  });

  it('reassign owner modal: choosing the current owner is a field error', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const values = { person: { person: { type: 'users_select', selected_user: OWNER } } };
    const answer = await slack().interaction(viewSubmission(team, LEAD, VIEW.reassignOwner, values, buildPersonModal('owner', c, {}).private_metadata));
    expect((answer.json?.errors as Record<string, string>).person).toContain('already owns');
  });

  it('disconnect modal: saves reason and date; a future date is a field error', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const values = (date: string) => ({
      [DISCONNECT_FIELD.reason]: { [DISCONNECT_FIELD.reason]: { type: 'static_select', selected_option: { value: 'role_changed' } } },
      [DISCONNECT_FIELD.on]: { [DISCONNECT_FIELD.on]: { type: 'datepicker', selected_date: date } },
    });
    const future = await slack().interaction(
      viewSubmission(team, LEAD, VIEW.markDisconnected, values('2026-06-16'), buildDisconnectModal(c, TODAY, {}).private_metadata),
    );
    expect((future.json?.errors as Record<string, string>)[DISCONNECT_FIELD.on]).toContain(`up to today (${TODAY})`);
    expect((await store().connections.getById(team, c.id)).status).toBe('connected');
    await slack().interaction(
      viewSubmission(
        team,
        LEAD,
        VIEW.markDisconnected,
        values('2026-06-10'),
        buildDisconnectModal(c, TODAY, { responseUrl: slack().fake.responseUrl() }).private_metadata,
      ),
    );
    await slack().response();
    const after = await store().connections.getById(team, c.id);
    expect([after.status, after.disconnectReason, after.disconnectedAt]).toEqual(['disconnected', 'role_changed', '2026-06-10']);
  });
});
