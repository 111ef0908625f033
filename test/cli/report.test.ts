/**
 * `channel-keeper report` as a process (the compiled CLI, as users run it): the report printed, the
 * chart written as a PNG that decodes. In-process (the same commander program): clear one-line
 * errors for bad arguments, the report's settings through `channel-keeper settings`, and `demo --report`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/chart/deadline-chart';
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/command';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { uniqueId } from '../support/databases';
import { connectionInput } from '../support/factories';
import { freshDatabaseUrl, runCli } from '../transfer/cli-run';

async function inProcess(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: (text) => void err.push(text) };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('channel-keeper report', () => {
  const saved = process.env.DATABASE_URL;
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });
  let url: string;
  const team = 'T0REPORT1';
  const out = (name: string) => path.join(process.env.CK_TEST_DIR!, `${uniqueId('png')}-${name}`);

  beforeAll(async () => {
    url = freshDatabaseUrl();
    process.env.DATABASE_URL = url;
    const store = openStore(parseDatabaseUrl(url));
    try {
      await store.workspaces.ensure(team, 'Report team');
      await store.members.upsert(team, 'UOWNER1', { role: 'member', name: 'Olga' });
      await store.connections.create(
        team,
        connectionInput({ name: 'Acme', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10', backups: ['U0B1'] }),
        'cli',
      );
      await store.connections.create(
        team,
        connectionInput({ name: 'Acme Jobs', connectedAt: '2025-08-01', ownerLastActiveAt: '2026-06-10', backups: ['U0B1'] }),
        'cli',
      );
    } finally {
      await store.close();
    }
  });

  it('prints the report as of --at and writes a PNG chart that decodes', async () => {
    const file = out('report.png');
    const result = await runCli(['report', '--workspace', team, '--at', '2026-06-15', '--png', file], url);
    expect(result.stderr).toContain(`chart written to ${file}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Weekly channel report: Report team, week to 2026-06-15');
    expect(result.stdout).toContain('• 2026-06-20  LinkedIn “Acme”: token expires (at risk)');
    expect(result.stdout).toContain('• Olga (@UOWNER1): 2 (“Acme”, “Acme Jobs”)');
    const png = PNG.sync.read(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  }, 90_000); // a process on a busy machine: start-up time is not what is tested

  it('refuses bad arguments in one line with exit 2, writing nothing', async () => {
    const missing = await inProcess('report');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--workspace <id>' not specified/);
    const noFolder = await inProcess('report', '--workspace', team, '--png', path.join(process.env.CK_TEST_DIR!, 'nope', 'x.png'));
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toMatch(/^channel-keeper: --png .*: the folder .*nope does not exist$/);
    const badDate = await inProcess('report', '--workspace', team, '--at', 'next monday');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/--at "next monday" is not an ISO date/);
    const unknown = await inProcess('report', '--workspace', 'T0NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no workspace with id T0NOPE/);
    for (const r of [missing, noFolder, badDate, unknown]) expect(r.stdout).toBe('');
    const help = await inProcess('report', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--png <file>');
    expect(help.stdout).toContain('report --workspace T0123ABCD --png report.png');
  });

  it('settings: the report day and time are shown and changed, validated like the rest', async () => {
    const shown = await inProcess('settings', '--workspace', team, '--json');
    expect(JSON.parse(shown.stdout).report).toEqual({ day: 'monday', time: null });
    const set = await inProcess('settings', '--workspace', team, '--report-day', 'Fri', '--report-time', '16:00', '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).report).toEqual({ day: 'friday', time: '16:00' });
    const bad = await inProcess('settings', '--workspace', team, '--report-day', 'someday', '--report-time', '25:00');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/nothing was changed: reportDay: .*; reportTime: /);
    const back = await inProcess('settings', '--workspace', team, '--report-day', 'off', '--report-time', 'check');
    expect(back.stdout).toContain('weekly report  off');
  });

  it('demo --report prints a week of the sample channels and writes its chart', async () => {
    const file = out('demo.png');
    const result = await inProcess('demo', '--report', '--png', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Weekly channel report: Acme Social (demo)');
    expect(result.stdout).toContain('• Refreshed: 1: “Acme Engineering”');
    expect(PNG.sync.read(fs.readFileSync(file)).width).toBe(CHART_WIDTH);
  });
});
