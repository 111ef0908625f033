/** The real binary, end to end (the compiled build in dist/, rebuilt by the test set-up when stale). */
import { HEADER, csvFile, csvLine } from '../transfer/csv';
import { freshDatabaseUrl, runCli, writeTempFile } from '../transfer/cli-run';

describe('channel-keeper import (binary)', () => {
  it('imports a CRLF file with a BOM: one JSON line on stdout, the summary on stderr, exit 0; then exports it', async () => {
    const db = freshDatabaseUrl();
    const text = `\uFEFF${csvFile(csvLine({ name: '"Acme, Careers 🚀"' }), csvLine({ name: 'שלום', network: 'facebook', kind: 'page' })).replace(/\n/g, '\r\n')}`;
    const file = writeTempFile('channels.csv', text);
    const first = await runCli(['import', file, '--workspace', 'T0CLI1'], db);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('{"workspace":"T0CLI1","dryRun":false,"workspaceCreated":true,"created":2,"updated":0,"unchanged":0}\n');
    expect(first.stderr).toMatch(/^imported .*channels\.csv into workspace T0CLI1 \(new, time zone UTC\): 2 created, 0 updated, 0 unchanged\n$/);

    const exported = await runCli(['export', '--workspace', 'T0CLI1'], db);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout.split('\n')).toEqual([
      HEADER,
      'linkedin,company_page,"Acme, Careers 🚀",https://www.linkedin.com/company/acme,U0OWNER1,2026-01-10,2026-06-01,2026-11-01,U0BACKUP1,connected,,',
      'facebook,page,שלום,https://www.linkedin.com/company/acme,U0OWNER1,2026-01-10,2026-06-01,2026-11-01,U0BACKUP1,connected,,',
      '',
    ]);
  }, 30_000);

  it('lists every bad line on stderr, prints nothing on stdout and exits 1', async () => {
    const db = freshDatabaseUrl();
    const file = writeTempFile(
      'bad.csv',
      csvFile(csvLine({ network: 'linkdin' }), csvLine({ name: 'Fine' }), csvLine({ name: 'Late', connected_at: '2999-01-01', last_refreshed_at: '' })),
    );
    const result = await runCli(['import', file, '--workspace', 'T0CLI2', '--dry-run'], db);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(/bad\.csv: 2 problems, nothing was imported$/),
      '  line 2: unknown network "linkdin"; allowed: linkedin, facebook, instagram, x, tiktok, youtube, pinterest, threads',
      expect.stringMatching(/^ {2}line 4: connected_at 2999-01-01 is in the future \(today is \d{4}-\d{2}-\d{2}\)$/),
      '',
    ]);
  }, 30_000);
});
