/** `channel-keeper settings` for escalation (docs/rules.md "Escalation"): ladders per severity, @here, defaults. */
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

const DEFAULT_AT_RISK = [
  { to: 'owner', afterHours: 24 },
  { to: 'backups', afterHours: 24 },
  { to: 'leaders', afterHours: 48 },
  { to: 'channel', afterHours: 72 },
];

describe('channel-keeper settings: escalation', () => {
  const saved = process.env.DATABASE_URL;
  let url: string;
  beforeEach(async () => {
    url = freshDatabaseUrl();
    process.env.DATABASE_URL = url;
    const store = openStore(parseDatabaseUrl(url));
    await store.workspaces.ensure('T0ESC1', 'Escalation team');
    await store.close();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  const shown = async () => JSON.parse((await run('settings', '--workspace', 'T0ESC1', '--json')).stdout).escalation;

  it('shows the defaults per severity, with @here off', async () => {
    const { code, stdout } = await run('settings', '--workspace', 'T0ESC1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}critical\s+owner 4h, backups 4h, leaders 8h, channel 12h \(default\)$/m);
    expect(stdout).toMatch(/^ {2}at risk\s+owner 1d, backups 1d, leaders 2d, channel 3d \(default\)$/m);
    expect(stdout).toMatch(/^ {2}@here\s+off/m);
    expect(await shown()).toEqual({ critical: expect.any(Array), at_risk: DEFAULT_AT_RISK, here: false });
  });

  it('sets a ladder and @here, switches a severity off, goes back to the default, and audits each change', async () => {
    const set = await run('settings', '--workspace', 'T0ESC1', '--escalate-critical', 'owner 2h, leaders 4h, channel 8h', '--escalate-here', 'on');
    expect(set.code).toBe(0);
    expect(await shown()).toEqual({
      critical: [
        { to: 'owner', afterHours: 2 },
        { to: 'leaders', afterHours: 4 },
        { to: 'channel', afterHours: 8 },
      ],
      at_risk: DEFAULT_AT_RISK,
      here: true,
    });
    expect((await run('settings', '--workspace', 'T0ESC1', '--escalate-at-risk', 'off')).code).toBe(0);
    expect((await shown()).at_risk).toEqual([]);
    expect((await run('settings', '--workspace', 'T0ESC1', '--escalate-critical', 'default', '--escalate-here', 'off')).code).toBe(0);
    expect(await shown()).toEqual({ critical: expect.arrayContaining([{ to: 'owner', afterHours: 4 }]), at_risk: [], here: false });

    const store = openStore(parseDatabaseUrl(url));
    try {
      const changes = (await store.audit.list('T0ESC1')).filter((e) => e.action === 'settings.change');
      expect(changes).toHaveLength(3);
      expect(changes[0]!.details).toEqual({
        changed: {
          escalation: {
            from: {
              critical: [
                { to: 'owner', afterHours: 2 },
                { to: 'leaders', afterHours: 4 },
                { to: 'channel', afterHours: 8 },
              ],
              here: true,
              at_risk: [],
            },
            to: { at_risk: [] },
          },
        },
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a bad ladder or @here value, naming the field, and changes nothing', async () => {
    const result = await run('settings', '--workspace', 'T0ESC1', '--escalate-critical', 'boss 1h', '--escalate-here', 'maybe', '--time-zone', 'Europe/Berlin');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^channel-keeper: nothing was changed: /);
    expect(result.stderr).toContain('--escalate-critical: ');
    expect(result.stderr).toContain('--escalate-here: must be on or off');
    expect(JSON.parse((await run('settings', '--workspace', 'T0ESC1', '--json')).stdout)).toMatchObject({ timeZone: 'UTC' });
  });
});
