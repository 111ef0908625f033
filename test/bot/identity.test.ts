/** Where a person belongs, as the identity gate reads it from a payload and from users.info. */
import { isExternal, isOfAnotherOrganisation } from '../../src/bot/identity';

describe('isOfAnotherOrganisation (users.info, for a person seen for the first time)', () => {
  const workspaceInstall = { teamId: 'T1', orgWide: null };
  const orgInstall = { teamId: 'T1', orgWide: 'E1' };

  it('a person of the workspace belongs; one Slack says nothing about is given the benefit of the doubt', () => {
    expect(isOfAnotherOrganisation({ team_id: 'T1' }, workspaceInstall)).toBe(false);
    expect(isOfAnotherOrganisation({}, workspaceInstall)).toBe(false);
  });

  it('a person whose own workspace is another one is of another organisation', () => {
    expect(isOfAnotherOrganisation({ team_id: 'T2' }, workspaceInstall)).toBe(true);
    expect(isOfAnotherOrganisation({ team_id: 'T2', enterprise_user: { enterprise_id: 'E9', teams: ['T2'] } }, workspaceInstall)).toBe(true);
  });

  it('an Enterprise Grid member listed in the workspace belongs, whatever team Slack names first', () => {
    expect(isOfAnotherOrganisation({ team_id: 'E1', enterprise_user: { enterprise_id: 'E1', teams: ['T3', 'T1'] } }, workspaceInstall)).toBe(false);
  });

  it('an org-wide install: the same org belongs, another org or none does not', () => {
    expect(isOfAnotherOrganisation({ team_id: 'T2', enterprise_user: { enterprise_id: 'E1' } }, orgInstall)).toBe(false);
    expect(isOfAnotherOrganisation({ team_id: 'T2', enterprise_user: { enterprise_id: 'E2' } }, orgInstall)).toBe(true);
    expect(isOfAnotherOrganisation({ team_id: 'T2' }, orgInstall)).toBe(true);
  });
});

describe('isExternal (a button or form payload)', () => {
  it('compares the presser’s own team with the workspace the payload is for', () => {
    expect(isExternal({ team: { id: 'T1' }, user: { id: 'U1', team_id: 'T1' } })).toBe(false);
    expect(isExternal({ team: { id: 'T1' }, user: { id: 'U1', team_id: 'T2' } })).toBe(true);
    expect(isExternal({ team: { id: 'T1' }, user: { id: 'U1' } })).toBe(false);
  });

  it('an org-wide install counts people of its own org in', () => {
    const body = { team: { id: 'T1' }, enterprise: { id: 'E1' }, is_enterprise_install: true };
    expect(isExternal({ ...body, user: { id: 'U1', team_id: 'T2', enterprise_id: 'E1' } })).toBe(false);
    expect(isExternal({ ...body, user: { id: 'U1', team_id: 'T2', enterprise_id: 'E2' } })).toBe(true);
  });
});
