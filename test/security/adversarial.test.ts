/**
 * The adversarial suite: what someone holding a valid signature, a shared channel or a hostile
 * channel name could try, each sent as Slack sends it (signed requests against the real Bolt app,
 * a fake Slack behind it), on SQLite and PostgreSQL. One case per hardening rule; docs/security.md
 * lists what is checked here and what Slack itself guarantees.
 */
import type { KnownBlock } from '@slack/types';
import { buildChannelModal, CHANNEL_FIELD, SECURITY_FIELD } from '../../src/bot/blocks/channel-modal';
import { buildSettingsModal, SETTINGS_FIELD } from '../../src/bot/blocks/settings-modal';
import { ACTION, VIEW } from '../../src/bot/interactions';
import { NOT_SERVED } from '../../src/bot/identity';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { newWarning } from '../support/factories';
import { blockActions, viewSubmission, type StateValues } from '../bot/support/payloads';
import { slackPerSuite } from '../bot/support/slack-harness';
import { addChannel, ADMIN, BACKUP, LEAD, newTeam, OWNER } from '../bot/support/team';
import { liveMentions, parsedTexts, shown } from './support';

function channelForm(name: string, overrides: Record<string, Record<string, unknown>> = {}): StateValues {
  const fields: Record<string, Record<string, unknown> | null> = {
    [CHANNEL_FIELD.network]: { type: 'static_select', selected_option: { value: 'linkedin' } },
    [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: 'company_page' } },
    [CHANNEL_FIELD.name]: { type: 'plain_text_input', value: name },
    [CHANNEL_FIELD.url]: { type: 'url_text_input', value: '' },
    [CHANNEL_FIELD.owner]: { type: 'users_select', selected_user: OWNER },
    [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '2026-01-05' },
    [CHANNEL_FIELD.lastRefreshedAt]: { type: 'datepicker', selected_date: null },
    [CHANNEL_FIELD.ownerLastActiveAt]: { type: 'datepicker', selected_date: null },
    [CHANNEL_FIELD.backups]: { type: 'multi_users_select', selected_users: [] },
    [SECURITY_FIELD.sharedLogin.id]: { type: 'radio_buttons', selected_option: null },
    [SECURITY_FIELD.twoFactor.id]: { type: 'radio_buttons', selected_option: null },
    [SECURITY_FIELD.ownerSuperAdmin.id]: { type: 'radio_buttons', selected_option: null },
    [SECURITY_FIELD.permissionsGranted.id]: { type: 'radio_buttons', selected_option: null },
    [CHANNEL_FIELD.notes]: { type: 'plain_text_input', value: '' },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).map(([id, value]) => [id, { [id]: value! }]));
}

type Element = { action_id?: string; value?: string };

function valueOf(blocks: readonly KnownBlock[], actionId: string): { blockId: string; value: string } {
  for (const block of blocks as (KnownBlock & { block_id?: string; elements?: Element[] })[]) {
    const element = block.elements?.find((e) => e.action_id === actionId);
    if (element) return { blockId: block.block_id!, value: element.value! };
  }
  throw new Error(`no ${actionId}`);
}

describeEachDatabase('adversarial: who may act', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  async function cardOf(team: string, name: string): Promise<KnownBlock[]> {
    await slack().command(team, LEAD, `show ${name}`);
    const blocks = (await slack().response()).blocks!;
    slack().fake.reset();
    return blocks;
  }

  it('a person of another organisation (Slack Connect) gets no role, is never made admin, and is told why', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const blocks = await cardOf(team, 'Acme');
    // Slack says they administer their own organisation: that makes them nothing here.
    slack().fake.addUser('UGUEST1', { is_admin: true, is_owner: true });
    const { blockId, value } = valueOf(blocks, ACTION.markRefreshed);
    const payload = blockActions({ team, user: 'UGUEST1', actionId: ACTION.markRefreshed, value, blockId, responseUrl: slack().fake.responseUrl() });
    (payload.user as Record<string, unknown>).team_id = 'TOTHERORG';
    await slack().interaction(payload);
    const reply = await slack().response();
    expect(reply.text).toContain('from another organisation');
    expect(await store().members.find(team, 'UGUEST1')).toBeNull();
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
    expect(slack().fake.callsTo('users.info')).toHaveLength(0);
  });

  it('an admin of another organisation met first through a slash command (users.info names their own workspace) is never recorded as an admin', async () => {
    const team = await newTeam(store());
    slack().fake.addUser('UGUEST2', { is_admin: true, is_owner: true, team_id: 'TOTHERORG' });
    await slack().command(team, 'UGUEST2', 'role <@UGUEST3> admin');
    const reply = await slack().response();
    expect(reply.text).toContain('from another organisation');
    expect(slack().fake.callsTo('users.info')).toHaveLength(1);
    expect(await store().members.find(team, 'UGUEST2')).toBeNull();
    expect(await store().members.find(team, 'UGUEST3')).toBeNull();
    expect(await store().audit.count(team)).toBe(0);
  });

  it('an admin of another organisation opening the Home tab sees no admin notes and is not recorded', async () => {
    const team = await newTeam(store());
    slack().fake.addUser('UGUEST4', { is_admin: true, team_id: 'TOTHERORG' });
    await slack().event(team, { type: 'app_home_opened', user: 'UGUEST4', channel: 'D1', tab: 'home', event_ts: '1' });
    const publish = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.publish'));
    expect(JSON.stringify(publish.body.view)).not.toContain('For admins');
    expect(await store().members.find(team, 'UGUEST4')).toBeNull();
    // Their own workspace's admin, seen the same way, is recorded as one (the check compares workspaces, not roles).
    slack().fake.addUser('UHOME1', { is_admin: true, team_id: team });
    await slack().event(team, { type: 'app_home_opened', user: 'UHOME1', channel: 'D1', tab: 'home', event_ts: '2' });
    await slack().waitFor((calls) => calls.filter((c) => c.method === 'views.publish').length === 2);
    expect((await store().members.find(team, 'UHOME1'))?.role).toBe('admin');
  });

  it('a workspace the bot is not installed in gets a polite refusal, and nothing is created for it', async () => {
    const stranger = uniqueId('T');
    const answer = await slack().command(stranger, 'UANY1', 'status');
    expect(answer.status).toBe(200);
    expect(answer.json?.text).toBe(NOT_SERVED);
    expect(await store().workspaces.findById(stranger)).toBeNull();
    expect(await store().members.find(stranger, 'UANY1')).toBeNull();
    // A button or a form from it: acknowledged, nothing done.
    const press = await slack().interaction(
      blockActions({ team: stranger, user: 'UANY1', actionId: ACTION.markRefreshed, value: 'x', responseUrl: slack().fake.responseUrl() }),
    );
    expect(press.status).toBe(200);
    expect(await store().workspaces.findById(stranger)).toBeNull();
  });

  it('a block_actions without a user gets a clean 200 and changes nothing', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { blockId, value } = valueOf(await cardOf(team, 'Acme'), ACTION.markRefreshed);
    const payload = blockActions({ team, user: LEAD, actionId: ACTION.markRefreshed, value, blockId, responseUrl: slack().fake.responseUrl() });
    delete payload.user;
    const answer = await slack().interaction(payload);
    expect(answer.status).toBe(200);
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
  });
});

describeEachDatabase('adversarial: names', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  const metadata = () => buildChannelModal({ responseUrl: slack().fake.responseUrl() }).private_metadata!;
  const add = (team: string, name: string, overrides: Record<string, Record<string, unknown>> = {}) =>
    slack().interaction(viewSubmission(team, LEAD, VIEW.addChannel, channelForm(name, overrides), metadata()));
  const nameError = (answer: { json: Record<string, unknown> | null }) => (answer.json?.errors as Record<string, string> | undefined)?.[CHANNEL_FIELD.name];

  it.each([
    ['inner double space', 'Acme  Careers'],
    ['no-break space', 'Acme\u00a0Careers'],
    ['zero-width space', 'Acme\u200bCareers'],
    ['fullwidth letters', 'Ａｃｍｅ Careers'],
    ['other case', 'ACME CAREERS'],
    ['tab', 'Acme\tCareers'],
  ])('a look-alike name (%s) is refused as a duplicate, naming the channel it collides with', async (_what, name) => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme Careers' });
    const answer = await add(team, name);
    expect(nameError(answer) ?? '').toMatch(/same name as the linkedin channel “Acme Careers”|invisible characters|control characters/);
    expect(await store().connections.count(team)).toBe(1);
  });

  it.each([
    ['NUL', 'Acme\u0000Corp', 'control characters'],
    ['bidi override', 'Acme \u202eetatS', 'invisible characters'],
    ['zero-width joiner', 'Ac\u200dme', 'invisible characters'],
  ])('a name with %s is refused with a clear message', async (_what, name, words) => {
    const team = await newTeam(store());
    const answer = await add(team, name);
    expect(nameError(answer)).toContain(words);
    expect(await store().connections.count(team)).toBe(0);
  });

  it('dates before 2000 or after today are refused (form and command)', async () => {
    const team = await newTeam(store());
    const answer = await add(team, 'Old', { [CHANNEL_FIELD.connectedAt]: { type: 'datepicker', selected_date: '0000-01-01' } });
    expect((answer.json?.errors as Record<string, string>)[CHANNEL_FIELD.connectedAt]).toContain('before 2000-01-01');
    await addChannel(store(), team, { name: 'Acme' });
    await slack().command(team, OWNER, 'refresh Acme 1999-12-31');
    expect((await slack().response()).text).toContain('before 2000-01-01');
    slack().fake.reset();
    await slack().command(team, OWNER, 'refresh Acme 2999-01-01');
    expect((await slack().response()).text).toContain('in the future');
  });

  it('slash-command text is decoded from Slack’s escaping: `show Ben &amp; Jerry` finds “Ben & Jerry”', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Ben & Jerry' });
    await slack().command(team, LEAD, 'show Ben &amp; Jerry');
    const reply = await slack().response();
    expect(shown(reply)).toContain('Ben &amp; Jerry');
    expect(reply.text).not.toContain('No channel named');
  });

  const HOSTILE = '<!channel> <@UBOSS1> UNICEF <https://evil.example|click> & co';

  it('a hostile name never becomes a live mention, broadcast or link in any reply', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: HOSTILE, connectedAt: '2026-03-01' });
    await addChannel(store(), team, { name: 'UNICEF', network: 'facebook' });
    const texts: string[] = [];
    const ask = async (user: string, text: string) => {
      slack().fake.reset();
      await slack().command(team, user, text);
      const reply = await slack().response();
      texts.push(parsedTexts(reply));
      return reply;
    };
    const quoted = `"${HOSTILE}"`;
    await ask(LEAD, `show ${quoted}`);
    await ask(ADMIN, `remove ${quoted}`);
    await ask(LEAD, 'status');
    await ask(LEAD, `history ${quoted}`);
    await ask(LEAD, 'history');
    await ask(OWNER, `refresh ${quoted} 2026-01-01`); // before it was connected: an error naming it
    await ask(OWNER, `backup ${quoted} add <@${OWNER}|owner>`); // the owner as backup: a store error naming it
    await ask(LEAD, `backup ${quoted} remove <@UNOBODY1|x>`);
    await ask(LEAD, `backup ${quoted} add <@${BACKUP}|b>`);
    await ask(OWNER, `refresh ${quoted} today`);
    await ask(LEAD, `show ${HOSTILE.slice(0, 12)}`); // no match: suggestions name it
    await ask(LEAD, 'history UNICEF');
    const allowed = [`@${OWNER}`, `@${LEAD}`, `@${ADMIN}`, `@${BACKUP}`, '@UNOBODY1'];
    const leaks = texts.flatMap((text) =>
      liveMentions(text)
        .filter((live) => !allowed.includes(live))
        .map((live) => `${live} in: ${text.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
    expect(texts.join('\n')).toContain('&lt;!channel&gt;');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe('2026-06-15');
  });
});

describeEachDatabase('adversarial: replays and time', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  const auditCount = async (team: string, action: string) => (await store().audit.list(team, { limit: 100 })).filter((e) => e.action === action).length;

  it('a replayed snooze (the same signed request again) writes no second audit row', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await store().warnings.upsertMany([newWarning(team, c.id, { kind: 'expiry', stage: '7d', severity: 'at_risk', dueAt: '2026-06-20' })]);
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: team,
      user_id: OWNER,
      command: '/channels',
      text: 'snooze Acme 7d',
      api_app_id: 'A0001',
      response_url: slack().fake.responseUrl(),
      trigger_id: 'trigger-replayed',
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    await slack().post(form, 'application/x-www-form-urlencoded', { timestamp });
    await slack().response(0);
    await slack().post(form, 'application/x-www-form-urlencoded', { timestamp });
    await slack().response(1);
    expect(await auditCount(team, 'connection.snooze')).toBe(1);
  });

  it('a modal submitted twice (same view id) saves once; an unchanged edit or settings save audits nothing', async () => {
    const team = await newTeam(store());
    const ws = await store().workspaces.getById(team);
    const one = (id: string, v: Record<string, unknown>) => ({ [id]: { [id]: v } });
    const values = {
      ...one(SETTINGS_FIELD.alertChannel, { type: 'conversations_select', selected_conversation: 'CALERTS1' }),
      ...one(SETTINGS_FIELD.timeZone, { type: 'plain_text_input', value: 'Europe/Berlin' }),
      ...one(SETTINGS_FIELD.checkTime, { type: 'timepicker', selected_time: '08:30' }),
      ...one(SETTINGS_FIELD.ladder, { type: 'plain_text_input', value: '21, 7, 1' }),
    };
    const metadata = buildSettingsModal(ws, null, {}).private_metadata!;
    const payload = viewSubmission(team, ADMIN, VIEW.settings, values, metadata, uniqueId('V'));
    const timestamp = Math.floor(Date.now() / 1000);
    await slack().interaction(payload, { timestamp });
    const again = await slack().interaction(payload, { timestamp });
    expect(JSON.stringify(again.json)).toContain('already submitted');
    expect(await auditCount(team, 'settings.change')).toBe(1);
    // The same values in a new modal: nothing changed, nothing audited.
    await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, values, metadata));
    expect(await auditCount(team, 'settings.change')).toBe(1);

    const c = await addChannel(store(), team, { name: 'Acme', url: null, connectedAt: '2026-01-05', backups: [] });
    const edit = buildChannelModal({ connectionId: c.id, responseUrl: slack().fake.responseUrl() }, c).private_metadata!;
    await slack().interaction(
      viewSubmission(
        team,
        LEAD,
        VIEW.editChannel,
        channelForm('Acme', { [CHANNEL_FIELD.kind]: { type: 'static_select', selected_option: { value: c.kind } } }),
        edit,
      ),
    );
    await slack().response();
    expect(await auditCount(team, 'connection.edit')).toBe(0);
  });

  it.each([
    ['ten minutes in the future', 600],
    ['a year in the future', 365 * 86_400],
    ['ten minutes old', -600],
  ])('a request stamped %s is refused with 401', async (_what, offset) => {
    const team = await newTeam(store());
    const answer = await slack().command(team, LEAD, 'status', { timestamp: Math.floor(Date.now() / 1000) + offset });
    expect(answer.status).toBe(401);
    expect(slack().fake.calls).toHaveLength(0);
  });
});
