/**
 * Names for people, on both databases: the bot caches the name Slack gives a person it meets
 * (display name first) and follows `user_change`; a workspace first seen without a name takes the
 * team's from `auth.test`. The command line, run as a process, then shows "Name (@U…)" in `roles`
 * and names the calendar after the workspace, not its id.
 */
import { buildPersonModal } from '../../src/bot/blocks/person-modal';
import { VIEW } from '../../src/bot/interactions';
import { describeEachDatabase } from '../support/databases';
import { runCli } from '../transfer/cli-run';
import { viewSubmission } from './support/payloads';
import { eventually, slackPerSuite } from './support/slack-harness';
import { addChannel, LEAD, newTeam } from './support/team';

/** The bot token's own team in the fake Slack (`auth.test`: team "Test team"). */
const TOKEN_TEAM = 'T0001';

describeEachDatabase('names for people', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it('caches the display name of a person it meets and the workspace name, then shows both on the command line', async () => {
    // Created by an import, before anyone used the bot: no name yet.
    await store().workspaces.ensure(TOKEN_TEAM);
    slack().fake.addUser('U0MAYA01', { name: 'maya.k', real_name: 'Maya Kowalski', profile: { display_name: 'Maya' }, is_admin: true });
    slack().fake.addUser('U0JONAS1', { name: 'jonas', real_name: 'Jonas Berg', profile: { display_name: '' } });
    await slack().command(TOKEN_TEAM, 'U0MAYA01', 'help');
    await slack().command(TOKEN_TEAM, 'U0JONAS1', 'help');
    await eventually(async () => (await store().members.find(TOKEN_TEAM, 'U0JONAS1')) !== null);
    expect((await store().members.find(TOKEN_TEAM, 'U0MAYA01'))?.name).toBe('Maya');
    // No display name set: the real name.
    expect((await store().members.find(TOKEN_TEAM, 'U0JONAS1'))?.name).toBe('Jonas Berg');
    expect((await store().workspaces.getById(TOKEN_TEAM)).name).toBe('Test team');

    // A new display name arrives with user_change; it is no news for the audit trail.
    const auditBefore = (await store().audit.list(TOKEN_TEAM)).length;
    await slack().event(TOKEN_TEAM, { type: 'user_change', user: { id: 'U0JONAS1', team_id: TOKEN_TEAM, name: 'jonas', profile: { display_name: 'Jo' } } });
    await eventually(async () => (await store().members.find(TOKEN_TEAM, 'U0JONAS1'))?.name === 'Jo');
    expect(await store().audit.list(TOKEN_TEAM)).toHaveLength(auditBefore);

    const url = db().target.url;
    const roles = await runCli(['roles', '--workspace', TOKEN_TEAM], url);
    expect(roles.code).toBe(0);
    expect(roles.stdout).toMatch(/^U0MAYA01\s+Maya\s+admin\s+active$/m);
    expect(roles.stdout).toMatch(/^U0JONAS1\s+Jo\s+member\s+active$/m);
    const set = await runCli(['roles', 'set', 'U0JONAS1', 'team_leader', '--workspace', TOKEN_TEAM], url);
    expect(set.stderr).toBe(`Jo (@U0JONAS1) is now team leader in ${TOKEN_TEAM}\n`);

    const ics = await runCli(['export', '--workspace', TOKEN_TEAM, '--format', 'ics'], url);
    expect(ics.code).toBe(0);
    expect(ics.stdout).toContain('X-WR-CALNAME:Channel Keeper: Test team\r\n');
    expect(ics.stdout).not.toContain(`X-WR-CALNAME:Channel Keeper: ${TOKEN_TEAM}`);
  }, 90_000);

  it('keeps a name a workspace already has', async () => {
    await store().workspaces.updateSettings(TOKEN_TEAM, { name: 'Acme Social (chosen)' });
    slack().fake.addUser('U0PRIYA1', { profile: { display_name: 'Priya' } });
    await slack().command(TOKEN_TEAM, 'U0PRIYA1', 'help');
    await eventually(async () => (await store().members.find(TOKEN_TEAM, 'U0PRIYA1'))?.name === 'Priya');
    expect((await store().workspaces.getById(TOKEN_TEAM)).name).toBe('Acme Social (chosen)');
  });

  it('learns the name of a person picked in a form who never used the bot; someone Slack cannot describe is not written', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    slack().fake.addUser('U0NORA01', { real_name: 'Nora Lind', profile: { display_name: 'Nora' } });
    const pick = (userId: string, view: string) =>
      slack().interaction(
        viewSubmission(
          team,
          LEAD,
          view,
          { person: { person: { type: 'users_select', selected_user: userId } } },
          buildPersonModal('owner', c, {}).private_metadata,
        ),
      );
    await pick('U0NORA01', VIEW.reassignOwner);
    await eventually(async () => (await store().members.find(team, 'U0NORA01'))?.name === 'Nora');
    expect((await store().members.find(team, 'U0NORA01'))?.role).toBe('member');
    await pick('U0GHOST1', VIEW.addBackup);
    await eventually(async () => (await store().connections.getById(team, c.id)).backups.some((b) => b.userId === 'U0GHOST1'));
    await slack().waitFor((calls) => calls.find((call) => call.method === 'users.info' && call.body.user === 'U0GHOST1'));
    expect(await store().members.find(team, 'U0GHOST1')).toBeNull();
    const roles = await runCli(['roles', '--workspace', team], db().target.url);
    expect(roles.stdout).toMatch(/^U0NORA01\s+Nora\s+member\s+active$/m);
  }, 60_000);
});
