/** `channel-keeper settings` in-process: every value validated before anything is written. */
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/command';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { freshDatabaseUrl } from '../transfer/cli-run';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: (text) => void err.push(text) };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('channel-keeper settings', () => {
  const saved = process.env.DATABASE_URL;
  let url: string;
  beforeEach(async () => {
    url = freshDatabaseUrl();
    process.env.DATABASE_URL = url;
    const store = openStore(parseDatabaseUrl(url));
    await store.workspaces.ensure('T0SET1', 'Settings team');
    await store.close();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it('changes the zone, time, alert channel and per-network numbers, and records who did it', async () => {
    const policy = JSON.stringify({ networks: { linkedin: { expiryLadder: [21, 7, 1], inactivityWarnDays: 40 } } });
    const result = await run(
      'settings',
      '--workspace',
      'T0SET1',
      '--time-zone',
      'Europe/Berlin',
      '--check-time',
      '8:05',
      '--alert-channel',
      'C0ALERTS',
      '--policy',
      policy,
      '--json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      timeZone: 'Europe/Berlin',
      checkTime: '08:05',
      alertChannel: 'C0ALERTS',
      policyOverrides: { networks: { linkedin: { expiryLadder: [21, 7, 1], inactivityWarnDays: 40 } } },
    });
    const store = openStore(parseDatabaseUrl(url));
    try {
      expect((await store.audit.list('T0SET1'))[0]).toMatchObject({ action: 'settings.change', actorId: 'cli' });
    } finally {
      await store.close();
    }
  });

  it('refuses every bad value at once, naming the field, and changes nothing', async () => {
    const result = await run(
      'settings',
      '--workspace',
      'T0SET1',
      '--time-zone',
      'Mars/Olympus',
      '--check-time',
      '25:00',
      '--alert-channel',
      '#alerts',
      '--policy',
      '{"networks":{"myspace":{}},"all":{"expiryLadder":[7,14]}}',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^channel-keeper: nothing was changed: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const field of ['timeZone', 'checkTime', 'alertChannel', 'networks.myspace', 'all.expiryLadder']) expect(result.stderr).toContain(field);
    const shown = await run('settings', '--workspace', 'T0SET1', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ timeZone: 'UTC', checkTime: '09:00', alertChannel: null, policyOverrides: {} });
  });

  it('explains JSON it cannot read and a workspace it does not know', async () => {
    expect((await run('settings', '--workspace', 'T0SET1', '--policy', '{nope')).stderr).toMatch(/--policy is not valid JSON/);
    const unknown = await run('settings', '--workspace', 'T0NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no workspace with id T0NOPE/);
  });
});
