/** Meeting the person behind a request: recorded once with the role Slack implies, a visitor never. */
import { meet, meetVisitor } from '../../src/services/members';
import { newTeam } from '../bot/support/team';
import { describeEachDatabase, uniqueId } from '../support/databases';

const NOW = new Date('2026-06-15T12:00:00Z');

describeEachDatabase('members', (db) => {
  const store = () => db().store;
  const deps = (extra: object = {}) => ({ store: store(), now: () => NOW, ...extra });

  it('a workspace admin seen for the first time is recorded as admin, and Slack is not asked again', async () => {
    const team = await newTeam(store());
    const profile = jest.fn(async () => ({ admin: true, name: 'Ada' }));
    const first = await meet(deps(), team, 'UNEW1', profile);
    expect(first.actor).toMatchObject({ userId: 'UNEW1', role: 'admin', name: 'Ada' });
    expect((await meet(deps(), team, 'UNEW1', profile)).actor.role).toBe('admin');
    expect(profile).toHaveBeenCalledTimes(1);
  });

  it('an admin of another organisation is a visitor: external, no role, nothing written', async () => {
    const team = await newTeam(store());
    const { actor } = await meet(deps(), team, 'UGUEST1', async () => ({ admin: true, name: 'Guest', external: true }));
    expect(actor).toMatchObject({ userId: 'UGUEST1', role: 'member', external: true });
    expect(await store().members.find(team, 'UGUEST1')).toBeNull();
    expect((await meetVisitor(deps(), team, 'UGUEST2')).actor).toMatchObject({ role: 'member', external: true });
    expect(await store().members.find(team, 'UGUEST2')).toBeNull();
  });

  it('a workspace seen for the first time is created and its check scheduled', async () => {
    const team = uniqueId('T');
    const onWorkspaceChanged = jest.fn(async () => undefined);
    const { workspace, actor } = await meet(deps({ onWorkspaceChanged }), team, 'UFIRST1', async () => null);
    expect(workspace.id).toBe(team);
    expect(actor.role).toBe('member');
    expect(onWorkspaceChanged).toHaveBeenCalledWith(team);
  });
});
