/** Subcommands that change one channel: each records its audit event; refusals change nothing. */
import type { AuditAction } from '../../../src/domain';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, ADMIN, BACKUP, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('/channels subcommands that change a channel', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  async function run(team: string, user: string, text: string): Promise<string> {
    await slack().command(team, user, text);
    return SlackHarness.textOf(await slack().response());
  }

  it('refresh <name> [date]: records the refresh (today by default) and its audit event', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme Corp EMEA' });
    expect(await run(team, OWNER, 'refresh acme corp emea 2026-06-01')).toContain('refreshed on 2026-06-01');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe('2026-06-01');
    slack().fake.reset();
    expect(await run(team, BACKUP, 'refresh Acme Corp EMEA')).toContain(`refreshed on ${TODAY}`);
    const actions = (await store().audit.list(team, { connectionId: c.id })).map((e) => e.action);
    expect(actions.filter((a) => a === 'connection.refresh')).toHaveLength(2);
  });

  it('history: every change to a channel reads in words, rows written under the old names included', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await run(team, OWNER, 'refresh Acme 2026-06-01');
    // Written before the names were made consistent (no longer in AUDIT_ACTIONS, hence the cast).
    for (const action of ['refresh', 'owner.change', 'backup.add', 'snooze'])
      await store().audit.append({ workspaceId: team, connectionId: c.id, actorId: ADMIN, action: action as AuditAction });
    slack().fake.reset();
    const history = await run(team, MEMBER, 'history Acme');
    for (const words of ['added', 'marked refreshed', 'changed the owner', 'added a backup admin', 'snoozed']) expect(history).toContain(`*${words}*`);
    expect(history).not.toMatch(/\*(connection\.[a-z.]+|refresh|owner\.change|backup\.add|snooze)\*/);
  });

  it('refresh: "N days ago" counts back from the workspace\'s today', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await run(team, LEAD, 'refresh Acme 3 days ago');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe('2026-06-12');
  });

  it('refresh: a member who is neither owner nor backup is refused, saying who may', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const text = await run(team, MEMBER, 'refresh Acme');
    expect(text).toContain("Only the channel's owner, its backup admins, team leaders and admins may mark a channel refreshed");
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
  });

  it("active <name> [date]: records the owner's activity", async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, OWNER, 'active Acme yesterday')).toContain('active on 2026-06-14');
    expect((await store().connections.getById(team, c.id)).ownerLastActiveAt).toBe('2026-06-14');
  });

  it('backup <name> add|remove @user', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme', backups: [] });
    expect(await run(team, OWNER, 'backup Acme add <@UNEW1|newbie>')).toContain('added <@UNEW1> as a backup admin');
    expect((await store().connections.getById(team, c.id)).backups.map((b) => b.userId)).toEqual(['UNEW1']);
    slack().fake.reset();
    expect(await run(team, LEAD, 'backup Acme remove <@UNEW1>')).toContain('removed <@UNEW1>');
    expect((await store().connections.getById(team, c.id)).backups).toEqual([]);
  });

  it('backup remove is for leads: the owner is refused', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, OWNER, `backup Acme remove <@${BACKUP}>`)).toContain('Only team leaders and admins may remove a backup admin');
    expect((await store().connections.getById(team, c.id)).backups).toHaveLength(1);
  });

  it('owner <name> @user: team leaders reassign; members are refused', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, OWNER, 'owner Acme <@UNEW2>')).toContain('Only team leaders and admins may reassign an owner');
    slack().fake.reset();
    expect(await run(team, LEAD, 'owner Acme <@UNEW2>')).toContain('made <@UNEW2> the owner');
    expect((await store().connections.getById(team, c.id)).ownerId).toBe('UNEW2');
  });

  it('disconnected <name> [reason] then reconnected <name>', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, LEAD, 'disconnected Acme password_change')).toContain('Password changed on the account');
    const down = await store().connections.getById(team, c.id);
    expect([down.status, down.disconnectReason, down.disconnectedAt]).toEqual(['disconnected', 'password_change', TODAY]);
    slack().fake.reset();
    expect(await run(team, ADMIN, 'reconnected Acme')).toContain('reconnected');
    expect((await store().connections.getById(team, c.id)).status).toBe('connected');
  });

  it('disconnected: members are refused; an unknown reason lists the known ones', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, OWNER, 'disconnected Acme')).toContain('Only team leaders and admins may mark a channel disconnected');
    slack().fake.reset();
    const text = await run(team, LEAD, 'disconnected Acme gremlins');
    expect(text).toContain('“gremlins” is not a reason I know');
    expect(text).toContain('password_change');
    expect((await store().connections.getById(team, c.id)).status).toBe('connected');
  });

  it('reconnected: a channel that is not disconnected is refused', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, LEAD, 'reconnected Acme')).toContain('is not marked disconnected');
  });

  it('history <name>: who did what, newest first', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    await run(team, OWNER, 'refresh Acme 2026-06-01');
    slack().fake.reset();
    const text = await run(team, MEMBER, 'history Acme');
    expect(text).toContain('History of Acme');
    expect(text).toContain('*marked refreshed*');
    expect(text).toContain('*added*');
    expect(text).toContain(`<@${OWNER}>`);
  });

  it('snooze <name> 7d: snoozes the open warnings and records it', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await store().warnings.upsertMany([newWarning(team, c.id)]);
    expect(await run(team, BACKUP, 'snooze Acme 7d')).toContain('snoozed 1 warning');
    const [warning] = await store().warnings.listOpen(team, { connectionIds: [c.id] });
    expect(warning?.state).toBe('snoozed');
    expect(warning?.snoozedUntil?.toISOString()).toBe('2026-06-22T12:00:00.000Z');
    expect((await store().audit.list(team, { connectionId: c.id })).map((e) => e.action)).toContain('connection.snooze');
  });

  it('snooze <name> next: each warning sleeps until its stage is over (an expired reminder until tomorrow)', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await store().warnings.upsertMany([
      newWarning(team, c.id, { stage: '30d', dueAt: '2026-07-10' }),
      newWarning(team, c.id, { stage: 'expired', dueAt: '2026-06-01', dedupKey: `${c.id}:expiry:expired:2026-01-10:2026-06-15` }),
    ]);
    expect(await run(team, OWNER, 'snooze Acme next')).toContain('snoozed 2 warnings of *Acme* until its next stage');
    const until = Object.fromEntries((await store().warnings.listOpen(team, { connectionIds: [c.id] })).map((w) => [w.stage, w.snoozedUntil?.toISOString()]));
    expect(until).toEqual({ '30d': '2026-07-11T00:00:00.000Z', expired: '2026-06-16T00:00:00.000Z' });
  });

  it('snooze: a length it cannot read, or nothing to snooze, is explained', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    expect(await run(team, OWNER, 'snooze Acme forever')).toContain('Snooze for how long?');
    slack().fake.reset();
    expect(await run(team, OWNER, 'snooze Acme 1d')).toContain('has no open warnings to snooze');
  });

  it('snooze: a member with no part in the channel is refused', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await store().warnings.upsertMany([newWarning(team, c.id)]);
    expect(await run(team, MEMBER, 'snooze Acme 1d')).toContain("Only the channel's owner");
    expect((await store().warnings.listOpen(team))[0]?.state).toBe('pending');
  });
});
