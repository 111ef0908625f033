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

  it('turns the status canvas off and on again, and refuses anything but on or off', async () => {
    const off = await run('settings', '--workspace', 'T0SET1', '--status-canvas', 'off', '--json');
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ statusCanvas: false });
    const store = openStore(parseDatabaseUrl(url));
    try {
      expect((await store.workspaces.getById('T0SET1')).statusCanvas).toBe(false);
      const bad = await run('settings', '--workspace', 'T0SET1', '--status-canvas', 'maybe');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--status-canvas: must be on or off; got "maybe"');
      const on = await run('settings', '--workspace', 'T0SET1', '--status-canvas', 'on');
      expect(on.stdout).toContain('status canvas  on (in the alert channel)');
      expect((await store.workspaces.getById('T0SET1')).statusCanvas).toBe(true);
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

describe('channel-keeper settings: the numbers in force, merging and resetting', () => {
  const saved = process.env.DATABASE_URL;
  beforeEach(async () => {
    const url = freshDatabaseUrl();
    process.env.DATABASE_URL = url;
    const store = openStore(parseDatabaseUrl(url));
    await store.workspaces.ensure('T0SET2', 'Policy team');
    await store.close();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it('shows a table of every rule number per network with where it comes from', async () => {
    await run('settings', '--workspace', 'T0SET2', '--policy', '{"all":{"refreshOverdueDays":150},"networks":{"linkedin":{"inactivityWarnDays":40}}}');
    const { code, stdout } = await run('settings', '--workspace', 'T0SET2');
    expect(code).toBe(0);
    expect(stdout).toContain('Workspace Policy team (T0SET2)');
    expect(stdout).toMatch(/^ {2}network\s+lifespan\s+ladder\s+inactive warn\s+inactive crit\.\s+refresh rec\.\s+refresh overdue$/m);
    expect(stdout).toMatch(/^ {2}linkedin\s+365\s+30,14,7,3,1\s+40 \(n\)\s+60\s+90\s+150 \(a\)$/m);
    expect(stdout).toMatch(/^ {2}facebook\s+60\s+14,7,3,1\s+off\s+off\s+off\s+150 \(a\)$/m);
    expect(stdout).toContain('(a) set for all networks or (n) set for this network');

    const json = JSON.parse((await run('settings', '--workspace', 'T0SET2', '--json')).stdout);
    expect(json.policy.linkedin.inactivityWarnDays).toEqual({ value: 40, source: 'network' });
    expect(json.policy.x.refreshOverdueDays).toEqual({ value: 150, source: 'all' });
    expect(json.policy.x.lifespanDays).toEqual({ value: null, source: 'default' });
  });

  it('merges --policy into the overrides already set; only --reset-policy removes them', async () => {
    await run('settings', '--workspace', 'T0SET2', '--policy', '{"networks":{"linkedin":{"expiryLadder":[21,7,1]}}}');
    await run('settings', '--workspace', 'T0SET2', '--policy', '{"networks":{"linkedin":{"inactivityWarnDays":40}},"all":{"refreshOverdueDays":150}}');
    const show = async () => JSON.parse((await run('settings', '--workspace', 'T0SET2', '--json')).stdout).policyOverrides;
    expect(await show()).toEqual({ all: { refreshOverdueDays: 150 }, networks: { linkedin: { expiryLadder: [21, 7, 1], inactivityWarnDays: 40 } } });

    for (const wipe of ['null', '{}', '[]']) {
      const result = await run('settings', '--workspace', 'T0SET2', '--policy', wipe);
      if (wipe === '{}') expect(result.code).toBe(0);
      else expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining('use --reset-policy') });
    }
    expect(await show()).toEqual({ all: { refreshOverdueDays: 150 }, networks: { linkedin: { expiryLadder: [21, 7, 1], inactivityWarnDays: 40 } } });

    expect((await run('settings', '--workspace', 'T0SET2', '--reset-policy', '--policy', '{"all":{"lifespanDays":200}}')).code).toBe(0);
    expect(await show()).toEqual({ all: { lifespanDays: 200 } });
    expect((await run('settings', '--workspace', 'T0SET2', '--reset-policy')).code).toBe(0);
    expect(await show()).toEqual({});
  });

  it('a merge that breaks a rule across fields is refused and changes nothing', async () => {
    await run('settings', '--workspace', 'T0SET2', '--policy', '{"all":{"inactivityWarnDays":40,"inactivityCriticalDays":50}}');
    const result = await run('settings', '--workspace', 'T0SET2', '--policy', '{"all":{"inactivityWarnDays":55}}');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^channel-keeper: nothing was changed: /);
  });
});
