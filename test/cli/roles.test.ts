/** `channel-keeper roles`: the list of people with their roles, and `roles set` as the way back when no admin is left. */
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/command';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { freshDatabaseUrl, runCli } from '../transfer/cli-run';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: (text) => void err.push(text) };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describeEachDatabase('channel-keeper roles', (db) => {
  const saved = process.env.DATABASE_URL;
  beforeAll(() => void (process.env.DATABASE_URL = db().target.url));
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  async function team(): Promise<string> {
    const { store } = db();
    const id = uniqueId('T');
    await store.workspaces.ensure(id, 'Roles team');
    await store.members.upsert(id, 'UADMIN1', { role: 'admin', name: 'Ada' });
    await store.members.upsert(id, 'ULEAD1', { role: 'team_leader', name: 'Lee' });
    await store.members.upsert(id, 'UMEMBER1', { role: 'member', name: null });
    return id;
  }

  it('lists everyone with their role, admins first, as a table or JSON lines', async () => {
    const id = await team();
    const table = await run('roles', '--workspace', id);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['user', 'UADMIN1', 'ULEAD1', 'UMEMBER1']);
    // Names where known, roles in words.
    expect(table.stdout.split('\n')[2]).toMatch(/^ULEAD1\s+Lee\s+team leader\s+active/);
    const json = await run('roles', '--workspace', id, '--json');
    expect(json.stdout.split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { workspace: id, userId: 'UADMIN1', name: 'Ada', role: 'admin', active: true },
      { workspace: id, userId: 'ULEAD1', name: 'Lee', role: 'team_leader', active: true },
      { workspace: id, userId: 'UMEMBER1', name: null, role: 'member', active: true },
    ]);
  });

  it('names an admin again when none is left, audited as from the command line', async () => {
    const id = await team();
    const { store } = db();
    await store.members.upsert(id, 'UADMIN1', { active: false });
    expect(await store.members.list(id, { role: 'admin', active: true })).toEqual([]);
    const result = await run('roles', 'set', 'UMEMBER1', 'admin', '--workspace', id);
    expect(result).toMatchObject({ code: 0, stderr: `UMEMBER1 is now admin in ${id}` });
    expect((await store.members.find(id, 'UMEMBER1'))?.role).toBe('admin');
    const [event] = await store.audit.list(id, { limit: 1, offset: 0 });
    expect(event).toMatchObject({ actorId: 'cli', action: 'role.change', details: { userId: 'UMEMBER1', from: 'member', to: 'admin' } });
    expect(await run('roles', 'set', 'UMEMBER1', 'admin', '--workspace', id, '--json')).toMatchObject({
      code: 0,
      stdout: JSON.stringify({ workspace: id, userId: 'UMEMBER1', role: 'admin', outcome: 'unchanged' }),
    });
  });

  it('says so when the new admin’s Slack account is deactivated', async () => {
    const id = await team();
    await db().store.members.upsert(id, 'ULEAD1', { active: false });
    const result = await run('roles', 'set', 'ULEAD1', 'admin', '--workspace', id);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Lee (@ULEAD1) is now admin');
    expect(result.stderr).toContain('note: the Slack account of Lee (@ULEAD1) is deactivated; make an active person admin too');
  });

  it('refuses to take away the last admin (exit 1)', async () => {
    const id = await team();
    const result = await run('roles', 'set', 'UADMIN1', 'member', '--workspace', id);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('last admin');
    expect((await db().store.members.find(id, 'UADMIN1'))?.role).toBe('admin');
  });

  it('says what was wrong and what to type instead, with exit code 2', async () => {
    const id = await team();
    const cases: [string[], RegExp][] = [
      [['roles', 'set', 'UMEMBER1', 'boss', '--workspace', id], /unknown role "boss": the roles are admin, team_leader, member; type "roles set <user id>/],
      [['roles', 'set', 'UNOBODY9', 'admin', '--workspace', id], /nobody with user id UNOBODY9 is known in T\w+: "roles --workspace T\w+" lists who is/],
      [['roles', 'set', '@ada', 'admin', '--workspace', id], /"@ada" is not a Slack user id/],
      [['roles', 'set', 'UMEMBER1', '--workspace', id], /set needs a user id and a role/],
      [['roles', 'promote', 'UMEMBER1', 'admin', '--workspace', id], /unknown action "promote"/],
      [['roles', '--workspace', 'T0NOTHERE'], /no workspace with id T0NOTHERE: "channel-keeper workspaces" lists the ids/],
      [['roles', 'set', 'UMEMBER1', 'admin', '--workspace', 'T0NOTHERE'], /no workspace with id T0NOTHERE/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    expect((await db().store.members.find(id, 'UMEMBER1'))?.role).toBe('member');
  });
});

describe('channel-keeper roles, as a process', () => {
  it('gives the workspace an admin back with `roles set`, then lists it; a bad role exits 2 and changes nothing', async () => {
    const url = freshDatabaseUrl();
    const store = openStore(parseDatabaseUrl(url));
    try {
      await store.workspaces.ensure('TROLESPROC', 'Roles process');
      await store.members.upsert('TROLESPROC', 'UFORMER1', { role: 'member', name: 'Former admin' });
    } finally {
      await store.close();
    }
    const bad = await runCli(['roles', 'set', 'UFORMER1', 'boss', '--workspace', 'TROLESPROC'], url);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/admin|team_leader|member/);
    expect((await runCli(['roles', 'set', 'UFORMER1', 'admin', '--workspace', 'TROLESPROC'], url)).code).toBe(0);
    const listed = await runCli(['roles', '--workspace', 'TROLESPROC', '--json'], url);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('"UFORMER1"');
    expect(listed.stdout).toContain('"admin"');
  }, 60_000);
});
