/** The use cases on their own: permission first, one change, its audit event, a typed result (no Slack text). */
import type { Acting } from '../../src/services/deps';
import { recordActivity, recordRefresh, SETTLED_BY } from '../../src/services/caretaking';
import { markReconnected, reassignOwner } from '../../src/services/channels';
import { CLI_ACTOR, PermissionError } from '../../src/services/permissions';
import { changeSettings, memberActivityChanged, setRole } from '../../src/services/workspace';
import { addChannel, ADMIN, BACKUP, MEMBER, newTeam, OWNER } from '../bot/support/team';
import { describeEachDatabase } from '../support/databases';
import { newWarning } from '../support/factories';

const NOW = new Date('2026-06-15T12:00:00Z');

describeEachDatabase('use cases', (db) => {
  const store = () => db().store;
  const deps = (extra: object = {}) => ({ store: store(), now: () => NOW, ...extra });
  const acting = async (team: string, userId: string): Promise<Acting> => ({
    workspace: await store().workspaces.getById(team),
    actor: (await store().members.find(team, userId))!,
  });

  it("a refresh settles the expiry, refresh and inactivity warnings; the owner's activity only inactivity", async () => {
    expect(SETTLED_BY.refresh).toEqual(['expiry', 'data_access', 'refresh_due', 'inactivity']);
    const team = await newTeam(store());
    const c = await addChannel(store(), team);
    const kinds = ['expiry', 'refresh_due', 'inactivity', 'no_backup'] as const;
    await store().warnings.upsertMany(kinds.map((kind) => newWarning(team, c.id, { kind, stage: kind })));

    const active = await recordActivity(deps(), await acting(team, BACKUP), c);
    expect(active).toMatchObject({ changed: true, on: '2026-06-15', at: NOW });
    expect(active.resolvedWarnings.map((w) => w.kind)).toEqual(['inactivity']);

    const refreshed = await recordRefresh(deps(), await acting(team, OWNER), c, '2026-06-14');
    expect(refreshed.changed).toBe(true);
    expect(refreshed.resolvedWarnings.map((w) => w.kind).sort()).toEqual(['expiry', 'refresh_due']);
    expect((await store().warnings.listOpen(team)).map((w) => w.kind)).toEqual(['no_backup']);
    expect((await recordRefresh(deps(), await acting(team, OWNER), c, '2026-06-14')).changed).toBe(false);
  });

  it('refuses before writing: a member may not care for a channel that is not theirs', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team);
    await expect(recordRefresh(deps(), await acting(team, MEMBER), c)).rejects.toThrow(PermissionError);
    await expect(reassignOwner(deps(), await acting(team, OWNER), c, MEMBER)).rejects.toThrow('Only team leaders and admins may reassign an owner');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
    expect((await store().audit.list(team, { connectionId: c.id })).map((e) => e.action)).toEqual(['connection.add']);
  });

  it('says what did not change instead of writing it again', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team);
    expect(await markReconnected(deps(), await acting(team, ADMIN), c, '2026-06-15')).toMatchObject({ changed: false, resolvedWarnings: [] });
    expect(await reassignOwner(deps(), await acting(team, ADMIN), c, OWNER)).toMatchObject({ changed: false });
    expect(await setRole(deps(), await acting(team, ADMIN), ADMIN, 'member')).toMatchObject({ outcome: 'last_admin' });
    expect(await setRole(deps(), await acting(team, ADMIN), MEMBER, 'member')).toMatchObject({ outcome: 'unchanged' });
  });

  it('settings, from Slack or the CLI: audited with what changed, failed deliveries retried, the check rescheduled', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team);
    const [w] = await store().warnings.upsertMany([newWarning(team, c.id)]);
    const [claimed] = await store().outbox.claimDue({ limit: 1, holder: 'test', now: NOW, workspaceId: team });
    await store().outbox.markFailed(claimed!.id, { code: 'not_in_channel', text: 'not_in_channel' }, claimed!.claimedBy!);
    const rescheduled: string[] = [];
    const onWorkspaceChanged = async (id: string) => void rescheduled.push(id);
    const workspace = await store().workspaces.getById(team);

    const result = await changeSettings(deps({ onWorkspaceChanged }), { workspace, actor: CLI_ACTOR }, { timeZone: 'Europe/Berlin' });
    expect(result).toMatchObject({ retried: 1, changed: { timeZone: { from: 'UTC', to: 'Europe/Berlin' } }, workspace: { timeZone: 'Europe/Berlin' } });
    expect((await store().warnings.findById(team, w!.id))?.state).toBe('pending');
    expect(rescheduled).toEqual([team]);
    expect((await store().audit.list(team)).find((e) => e.action === 'settings.change')).toMatchObject({
      action: 'settings.change',
      actorId: 'cli',
      details: { changed: { timeZone: { from: 'UTC', to: 'Europe/Berlin' } } },
    });
    await expect(changeSettings(deps(), await acting(team, MEMBER), { timeZone: 'UTC' })).rejects.toThrow('Only admins may change settings');
  });

  it('a deactivated owner is recorded once, audited, and the check runs at once', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team);
    const checked: string[] = [];
    const checkNow = async (id: string) => void checked.push(id);
    const user = { id: OWNER, active: false, name: 'Owner' };
    expect(await memberActivityChanged(deps({ checkNow }), team, user, 'Ev1')).toBe(true);
    expect(await memberActivityChanged(deps({ checkNow }), team, user, 'Ev1')).toBe(false);
    expect(await memberActivityChanged(deps({ checkNow }), team, user, 'Ev2')).toBe(false);
    expect((await store().members.find(team, OWNER))?.active).toBe(false);
    expect(checked).toEqual([team]);
    expect((await store().audit.list(team)).filter((e) => e.action === 'member.deactivated')).toHaveLength(1);
  });
});
