/** Subcommands about the whole workspace or needing modals: show, add, edit, remove, handover, role, settings, outage, help. */
import { ACTION, VIEW } from '../../../src/bot/interactions';
import { describeEachDatabase } from '../../support/databases';
import { checkBlockKitLimits, checkModalLimits } from '../support/block-kit-limits';
import { blockActions } from '../support/payloads';
import { SlackHarness, slackPerSuite } from '../support/slack-harness';
import { addChannel, ADMIN, BACKUP, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

type Element = { action_id?: string; value?: string };

describeEachDatabase('/channels workspace subcommands', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  async function run(team: string, user: string, text: string): Promise<string> {
    await slack().command(team, user, text);
    return SlackHarness.textOf(await slack().response());
  }

  it('show <name>: a card with health, findings and advice, dates, people and the buttons', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme', connectedAt: '2025-06-20' });
    await slack().command(team, MEMBER, 'show ACME');
    const card = await slack().response();
    const text = SlackHarness.textOf(card);
    expect(text).toContain('Acme (LinkedIn)');
    // The expiry and the overdue refresh are one item: one refresh fixes both.
    expect(text).toContain('refresh before 2026-06-20. Token expires in 5 days');
    expect(text).toContain('*Token expires on*\\n2026-06-20');
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain(`<@${BACKUP}>`);
    expect(text).toContain('2025-06-20');
    const ids = card.blocks!.flatMap((b) => ('elements' in b ? (b.elements as Element[]) : [])).map((e) => e.action_id);
    expect(ids).toEqual([ACTION.markRefreshed, ACTION.iWasActive, ACTION.addBackup, ACTION.reassignOwner, ACTION.markDisconnected, ACTION.viewHistory]);
    expect(checkBlockKitLimits(card.blocks!, 'message')).toEqual([]);
  });

  it('show: a disconnected channel offers "Mark reconnected" instead', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme', status: 'disconnected', disconnectReason: 'owner_left', disconnectedAt: '2026-06-01' });
    await slack().command(team, MEMBER, 'show Acme');
    const ids = (await slack().response()).blocks!.flatMap((b) => ('elements' in b ? (b.elements as Element[]) : [])).map((e) => e.action_id);
    expect(ids).toEqual([ACTION.markReconnected, ACTION.viewHistory]);
  });

  it('add: opens the channel modal for a team leader; a member is refused', async () => {
    const team = await newTeam(store());
    await slack().command(team, LEAD, 'add');
    const open = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.open'));
    const view = open.body.view as Record<string, unknown>;
    expect(view.callback_id).toBe(VIEW.addChannel);
    expect(checkModalLimits(view)).toEqual([]);
    slack().fake.reset();
    expect(await run(team, MEMBER, 'add')).toContain('Only team leaders and admins may add channels');
    expect(slack().fake.callsTo('views.open')).toHaveLength(0);
  });

  it('edit <name>: opens the modal filled in with the channel', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme', lastRefreshedAt: '2026-02-01' });
    await slack().command(team, ADMIN, 'edit acme');
    const open = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe(VIEW.editChannel);
    expect(JSON.parse(view.private_metadata).connectionId).toBe(c.id);
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"Acme"');
    expect(JSON.stringify(view.blocks)).toContain('"initial_date":"2026-02-01"');
  });

  it('remove <name>: asks to confirm; "Remove" archives it, and it is gone from the list', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await slack().command(team, ADMIN, 'remove Acme');
    const ask = await slack().response(0);
    const remove = ask.blocks!.flatMap((b) => ('elements' in b ? (b.elements as Element[]) : [])).find((e) => e.action_id === ACTION.confirmRemove)!;
    expect(await store().connections.findById(team, c.id)).not.toBeNull();
    await slack().interaction(
      blockActions({ team, user: ADMIN, actionId: ACTION.confirmRemove, value: remove.value!, responseUrl: slack().fake.responseUrl() }),
    );
    expect(SlackHarness.textOf(await slack().response(1))).toContain('removed *Acme*');
    expect(await store().connections.findById(team, c.id)).toBeNull();
    expect((await store().audit.list(team, { connectionId: c.id })).map((e) => e.action)).toContain('connection.remove');
  });

  it('remove: only admins; a team leader is refused before any confirmation', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, LEAD, 'remove Acme')).toContain('Only admins may remove a channel');
  });

  it('handover @leaving: lists what they own or back up, changing nothing', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Owned One' });
    await addChannel(store(), team, { name: 'Backed One', ownerId: 'UOTHER1', backups: [OWNER] });
    const text = await run(team, MEMBER, `handover <@${OWNER}>`);
    expect(text).toContain('Owned One');
    expect(text).toContain('Backed One');
    expect(text).toContain('/channels handover @leaving @successor');
  });

  it('handover @leaving @successor: reassigns everything in one step and tells the channel', async () => {
    const team = await newTeam(store());
    const owned = await addChannel(store(), team, { name: 'Owned One' });
    const backed = await addChannel(store(), team, { name: 'Backed One', ownerId: 'UOTHER1', backups: [OWNER] });
    await slack().command(team, LEAD, `handover <@${OWNER}> <@UNEXT1>`);
    const notice = await slack().response();
    expect(notice.response_type).toBe('in_channel');
    expect(SlackHarness.textOf(notice)).toContain('handed over');
    expect((await store().connections.getById(team, owned.id)).ownerId).toBe('UNEXT1');
    expect((await store().connections.getById(team, backed.id)).backups.map((b) => b.userId)).toEqual(['UNEXT1']);
  });

  it('handover with a successor: members are refused', async () => {
    const team = await newTeam(store());
    const owned = await addChannel(store(), team, { name: 'Owned One' });
    expect(await run(team, MEMBER, `handover <@${OWNER}> <@UNEXT1>`)).toContain('Only team leaders and admins may hand channels over');
    expect((await store().connections.getById(team, owned.id)).ownerId).toBe(OWNER);
  });

  it('role @user team_leader: admins set roles (audited); others are refused', async () => {
    const team = await newTeam(store());
    expect(await run(team, LEAD, `role <@${MEMBER}> admin`)).toContain('Only admins may change roles');
    slack().fake.reset();
    expect(await run(team, ADMIN, `role <@${MEMBER}> team_leader`)).toContain('a team leader');
    expect((await store().members.find(team, MEMBER))?.role).toBe('team_leader');
    expect((await store().audit.list(team)).map((e) => e.action)).toContain('role.change');
  });

  it('role: the last admin cannot be demoted', async () => {
    const team = await newTeam(store());
    expect(await run(team, ADMIN, `role <@${ADMIN}> member`)).toContain('is the last admin');
    expect((await store().audit.list(team)).map((e) => e.action)).not.toContain('role.change');
    expect((await store().members.find(team, ADMIN))?.role).toBe('admin');
  });

  it('settings: opens the settings modal for admins only', async () => {
    const team = await newTeam(store());
    expect(await run(team, LEAD, 'settings')).toContain('Only admins may change settings');
    await slack().command(team, ADMIN, 'settings');
    const open = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.open'));
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEW.settings);
    expect(checkModalLimits(open.body.view as Record<string, unknown>)).toEqual([]);
    // The id the command line's --workspace takes.
    expect(JSON.stringify(open.body.view)).toContain(`Workspace id: \`${team}\``);
  });

  it('outage <network> on|off: admins declare it with one visible notice, audited', async () => {
    const team = await newTeam(store());
    await slack().command(team, ADMIN, 'outage linkedin on');
    const notice = await slack().response();
    expect(notice.response_type).toBe('in_channel');
    expect(SlackHarness.textOf(notice)).toContain('LinkedIn outage');
    expect((await store().workspaces.getById(team)).outages.linkedin).toBeDefined();
    slack().fake.reset();
    await addChannel(store(), team, { name: 'Down <b>', status: 'disconnected', disconnectReason: 'network_outage', disconnectedAt: '2026-06-01' });
    await addChannel(store(), team, { name: 'Still Fine', connectedAt: '2026-06-01' });
    const summary = await run(team, ADMIN, 'outage linkedin off');
    // One summary of what was held back, instead of the per-channel noise.
    expect(summary).toContain('lifted the *LinkedIn outage*');
    expect(summary).toContain('1 of 2 LinkedIn channels needs reconnecting');
    expect(summary).toContain('Down &lt;b&gt;');
    expect(summary).not.toContain('Still Fine');
    expect((await store().workspaces.getById(team)).outages.linkedin).toBeUndefined();
    expect((await store().audit.list(team)).map((e) => e.action)).toEqual(expect.arrayContaining(['outage.on', 'outage.off']));
  });

  it('outage: a team leader is refused and nothing changes', async () => {
    const team = await newTeam(store());
    expect(await run(team, LEAD, 'outage linkedin on')).toContain('Only admins may declare a network outage');
    expect((await store().workspaces.getById(team)).outages).toEqual({});
  });

  it('history without a name: the workspace trail shows role, settings and outage changes', async () => {
    const team = await newTeam(store());
    await run(team, ADMIN, `role <@${MEMBER}> team_leader`);
    slack().fake.reset();
    await run(team, ADMIN, 'outage facebook on');
    slack().fake.reset();
    const text = await run(team, MEMBER, 'history');
    expect(text).toContain('History of this workspace');
    expect(text).toContain('*declared an outage*');
    expect(text).toContain('*changed a role*');
    expect(text.indexOf('*declared an outage*')).toBeLessThan(text.indexOf('*changed a role*'));
  });

  it('help: lists every subcommand within Block Kit limits', async () => {
    const team = await newTeam(store());
    await slack().command(team, MEMBER, 'help');
    const help = await slack().response();
    for (const name of [
      'status',
      'add',
      'edit',
      'show',
      'refresh',
      'active',
      'backup',
      'owner',
      'disconnected',
      'reconnected',
      'history',
      'remove',
      'snooze',
      'handover',
      'role',
      'settings',
      'outage',
    ]) {
      expect(SlackHarness.textOf(help)).toContain(`/channels ${name}`);
    }
    expect(checkBlockKitLimits(help.blocks!, 'message')).toEqual([]);
  });

  it('a first-time workspace (the one the bot is installed in): a Slack admin becomes admin, a regular user member (users.info decides)', async () => {
    const team = `TNEW${Date.now().toString(36).toUpperCase()}`;
    // Its own app: the installed team is asked once per app (auth.test) and remembered.
    const own = await SlackHarness.start(store());
    try {
      own.fake.respond('auth.test', () => ({ team_id: team, user_id: 'UBOT', bot_id: 'BBOT' }));
      own.fake.addUser('USLACKADMIN', { is_admin: true });
      own.fake.addUser('UPLAIN', {});
      await own.command(team, 'USLACKADMIN', 'help');
      await own.response();
      own.fake.reset();
      await own.command(team, 'UPLAIN', 'help');
      await own.response();
      expect((await store().members.find(team, 'USLACKADMIN'))?.role).toBe('admin');
      expect((await store().members.find(team, 'UPLAIN'))?.role).toBe('member');
    } finally {
      await own.stop();
    }
  });
});

describeEachDatabase('/channels with an alert channel configured', (db) => {
  const slack = slackPerSuite(db, { alertChannel: 'CALERTS9' });

  it('outage: the one visible notice goes to the alert channel; the admin is told where', async () => {
    const team = await newTeam(db().store);
    await slack().command(team, ADMIN, 'outage instagram on');
    const post = await slack().waitFor((calls) => calls.find((c) => c.method === 'chat.postMessage'));
    expect(post.body.channel).toBe('CALERTS9');
    expect(String(post.body.text)).toContain('Instagram outage');
    const reply = await slack().response();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Posted in <#CALERTS9>');
    expect(slack().fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
