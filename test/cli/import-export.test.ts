/** The import and export commands in-process (fast): arguments, missing files, exit codes. */
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/command';
import { csvFile, csvLine } from '../transfer/csv';
import { uniqueId } from '../support/databases';
import { freshDatabaseUrl, writeTempFile } from '../transfer/cli-run';

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => void out.push(text), err: (text) => void err.push(text) };
  return { io, out, err };
}

async function run(...argv: string[]) {
  const { io, out, err } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('import and export commands', () => {
  const saved = process.env.DATABASE_URL;
  beforeEach(() => {
    process.env.DATABASE_URL = freshDatabaseUrl();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  });

  it.each<[string, string[], RegExp]>([
    ['no file', ['import', '--workspace', 'T0ARGS'], /^channel-keeper import: missing required argument 'file.csv' \(see channel-keeper import --help\)/],
    ['two files', ['import', 'a.csv', 'b.csv', '--workspace', 'T0ARGS'], /^channel-keeper import: too many arguments for 'import'/],
    ['no workspace', ['import', 'a.csv'], /^channel-keeper import: required option '--workspace <id>' not specified/],
    [
      'an unknown option',
      ['import', 'a.csv', '--workspace', 'T0ARGS', '--verbos'],
      /^channel-keeper import: unknown option '--verbos' \(did you mean --verbose\?\)/,
    ],
    ['a missing file', ['import', '/nonexistent/channels.csv', '--workspace', 'T0ARGS'], /^channel-keeper: \/nonexistent\/channels\.csv: no such file$/],
    ['a folder', ['import', __dirname, '--workspace', 'T0ARGS'], /is a folder, not a CSV file/],
    ['a workspace that is not a team id', ['export', '--workspace', 'acme'], /--workspace must be a Slack team id such as T0123ABCD; got "acme"/],
    ['an unknown format', ['export', '--workspace', 'T0ARGS', '--format', 'xml'], /argument 'xml' is invalid. Allowed choices are csv, json, ics/],
    ['an unknown workspace', ['export', '--workspace', 'T0NOSUCH'], /^channel-keeper: no workspace with id T0NOSUCH/],
  ])('refuses %s with exit 2 and one clear line', async (_name, argv, message) => {
    const result = await run(...argv);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an empty file, listing the problem', async () => {
    const result = await run('import', writeTempFile('empty.csv', ''), '--workspace', 'T0ARGS');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty\.csv: 1 problem, nothing was imported\n {2}line 1: the file is empty/);
  });

  it('refuses a file that is not UTF-8 (a Latin-1 export from Excel)', async () => {
    const file = writeTempFile('latin1.csv', Buffer.from(csvFile(csvLine({ name: 'Caf\u00e9' })), 'latin1'));
    const result = await run('import', file, '--workspace', 'T0ARGS');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not UTF-8 text: save it as "CSV UTF-8"/);
  });

  it('a dry run lists what it would do; the real run then does it', async () => {
    const file = writeTempFile('two.csv', csvFile(csvLine({ name: 'One' }), csvLine({ name: 'Two' })));
    const dry = await run('import', file, '--workspace', 'T0ARGS', '--dry-run');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ workspace: 'T0ARGS', dryRun: true, workspaceCreated: true, created: 2, updated: 0, unchanged: 0 });
    expect(dry.stderr).toMatch(
      /two\.csv is valid; importing it into workspace T0ARGS \(new, time zone UTC\) would create 2, update 0 and leave 0 unchanged; nothing was written \(dry run\)\n {2}line 2: would create linkedin "One"\n {2}line 3: would create linkedin "Two"$/,
    );
    expect((await run('export', '--workspace', 'T0ARGS')).code).toBe(2);

    expect((await run('import', file, '--workspace', 'T0ARGS')).code).toBe(0);
    const edited = writeTempFile('two.csv', csvFile(csvLine({ name: 'One', owner: 'U0NEW' }), csvLine({ name: 'Two' })));
    const update = await run('import', edited, '--workspace', 'T0ARGS');
    expect(JSON.parse(update.stdout)).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(update.stderr).toMatch(/: 0 created, 1 updated, 1 unchanged\n {2}line 2: updated linkedin "One" \(owner\)$/);
    const json = await run('export', '--workspace', 'T0ARGS', '--format', 'json');
    expect(JSON.parse(json.stdout).map((c: { name: string; owner: string }) => [c.name, c.owner])).toEqual([
      ['One', 'U0NEW'],
      ['Two', 'U0OWNER1'],
    ]);
  });

  it('exits 2 with the fix when the database has no tables yet', async () => {
    const empty = path.join(process.env.CK_TEST_DIR!, `${uniqueId('empty')}.db`);
    fs.writeFileSync(empty, '');
    process.env.DATABASE_URL = `file:${empty}`;
    const file = writeTempFile('one.csv', csvFile(csvLine()));
    for (const argv of [
      ['import', file, '--workspace', 'T0ARGS'],
      ['export', '--workspace', 'T0ARGS'],
    ]) {
      const result = await run(...argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/has no tables yet: run "npx channel-keeper migrate" first/);
    }
  });

  it('exits 2 without creating a database file that is not there yet', async () => {
    const missing = path.join(process.env.CK_TEST_DIR!, `${uniqueId('missing')}.db`);
    process.env.DATABASE_URL = `file:${missing}`;
    const result = await run('export', '--workspace', 'T0ARGS');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^channel-keeper: there is no database at file:.* yet: run "npx channel-keeper migrate" first/);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('exits 2 when the database cannot be opened', async () => {
    process.env.DATABASE_URL = 'mysql://nope';
    const result = await run('export', '--workspace', 'T0ARGS');
    expect(result.code).toBe(2);
  });
});
