/**
 * `channel-keeper import` as a process at a size where the old row-by-row import failed on
 * PostgreSQL (its transaction timed out): 3,000 rows, on every enabled database; a dry run's
 * summary and --verbose; the all-or-nothing guarantee when the file is refused.
 */
import { enabledDatabases } from '../support/global-setup';
import { uniqueId } from '../support/databases';
import { csvFile, csvLine } from '../transfer/csv';
import { freshDatabaseUrl, runCli, writeTempFile } from '../transfer/cli-run';

const ROWS = 3_000;

function bigFile(overrides: (i: number) => Partial<Record<string, string>> = () => ({})): string {
  const lines = Array.from({ length: ROWS }, (_, i) =>
    csvLine({ name: `Page ${i}`, backups: i % 3 ? 'U0B1' : '', ...(overrides(i) as Record<string, string>) }),
  );
  return writeTempFile('big.csv', csvFile(...lines));
}

describe.each(enabledDatabases())('channel-keeper import of %s rows (binary) [%s]'.replace('%s', String(ROWS)), (provider) => {
  const databaseUrl = () => (provider === 'postgresql' ? process.env.CK_POSTGRES_URL! : freshDatabaseUrl());

  it('imports 3,000 rows, then the same file again changes nothing; export gives them back', async () => {
    const db = databaseUrl();
    const ws = uniqueId('T');
    const file = bigFile();
    const first = await runCli(['import', file, '--workspace', ws], db);
    expect(first.stderr).toMatch(new RegExp(`^imported .*big\\.csv into workspace ${ws} \\(new, time zone UTC\\): 3000 created, 0 updated, 0 unchanged\\n$`));
    expect(first).toMatchObject({ code: 0, stdout: `{"workspace":"${ws}","dryRun":false,"workspaceCreated":true,"created":3000,"updated":0,"unchanged":0}\n` });
    const again = await runCli(['import', file, '--workspace', ws], db);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: ROWS });
    const exported = await runCli(['export', '--workspace', ws], db);
    expect(exported.stdout.trimEnd().split('\n')).toHaveLength(ROWS + 1);
  }, 60_000);

  it('refuses a file with one bad row among 3,000 and writes nothing, not even the workspace', async () => {
    const db = databaseUrl();
    const ws = uniqueId('T');
    const file = bigFile((i) => (i === 2_500 ? { owner: 'nobody' } : {}));
    const result = await runCli(['import', file, '--workspace', ws], db);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/big\.csv: 1 problem, nothing was imported\n {2}line 2502: owner "nobody" is not a Slack user id/);
    expect((await runCli(['export', '--workspace', ws], db)).stderr).toMatch(new RegExp(`no workspace with id ${ws}`));
  }, 60_000);

  it('a dry run prints a summary: the counts and the first lines; --verbose prints every line', async () => {
    const db = databaseUrl();
    const ws = uniqueId('T');
    const dry = await runCli(['import', bigFile(), '--workspace', ws, '--dry-run'], db);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ workspace: ws, dryRun: true, workspaceCreated: true, created: ROWS, updated: 0, unchanged: 0 });
    const lines = dry.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/would create 3000, update 0 and leave 0 unchanged; nothing was written \(dry run\)$/);
    expect(lines.slice(1, 3)).toEqual(['  line 2: would create linkedin "Page 0"', '  line 3: would create linkedin "Page 1"']);
    expect(lines.at(-1)).toBe('  … and 2,980 more rows (--verbose lists every one)');
    expect(lines).toHaveLength(22);

    const bad = bigFile((i) => (i % 100 === 0 ? { connected_at: '2999-01-01', last_refreshed_at: '' } : {}));
    const summary = await runCli(['import', bad, '--workspace', ws, '--dry-run'], db);
    expect(summary.code).toBe(1);
    expect(summary.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/big\.csv: 30 problems, nothing was imported$/),
      ...Array.from({ length: 20 }, (_, i) => expect.stringMatching(new RegExp(`^ {2}line ${i * 100 + 2}: connected_at 2999-01-01 is in the future`))),
      '  … and 10 more problems (--verbose lists every one)',
    ]);
    const verbose = await runCli(['import', bad, '--workspace', ws, '--dry-run', '--verbose'], db);
    expect(verbose.stderr.trimEnd().split('\n')).toHaveLength(31);
  }, 90_000);
});
