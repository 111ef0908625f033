/**
 * `channel-keeper check` as a cron job runs it, against a fake Slack that is down (a port that
 * refuses connections, one that answers 503) and one that works: exit 0 only when everything due
 * was posted (or nothing was due, or Slack is not configured and it says so), 1 with the counts and
 * why when something could not be posted, 2 for a usage mistake. What was not posted stays pending
 * and goes out with the next run. Time is given only through --wait: nothing here measures speed.
 */
import { execFile } from 'node:child_process';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore, type Store } from '../../src/store/store';
import { buildIfStale } from '../support/build-once';
import { connectionInput } from '../support/factories';
import { FakeSlack } from '../support/fake-slack';
import { enabledDatabases } from '../support/global-setup';
import { bin, freePort, processDatabase, root, type ProcessDatabase } from './process-support';

jest.setTimeout(180_000);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const TEAM = 'TEXITCODE1';

function check(args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'check', '--workspace', TEAM, ...args],
      {
        cwd: root,
        env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_ALERT_CHANNEL: '', LOG_LEVEL: 'silent', NO_COLOR: '1', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** stderr's lines (each one sentence of its own). */
function lines(result: Result): string[] {
  return result.stderr.trimEnd().split('\n').filter(Boolean);
}

beforeAll(() => buildIfStale());

describe.each(enabledDatabases())('check exit codes [%s]', (provider) => {
  let database: ProcessDatabase;
  let store: Store;
  let fake: FakeSlack;

  beforeEach(async () => {
    database = await processDatabase(provider, 'ck_exit');
    const target = parseDatabaseUrl(database.url);
    await migrate(target);
    store = openStore(target);
    const today = new Date().toISOString().slice(0, 10);
    await store.workspaces.ensure(TEAM, 'Exit Codes');
    await store.workspaces.updateSettings(TEAM, { alertChannel: 'C0EXITS01', timeZone: 'UTC', checkTime: '00:00' });
    // Three tokens with three days left, never refreshed: two warnings each are due today.
    const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
    for (const name of ['Acme', 'Globex', 'Initech']) {
      await store.connections.create(
        TEAM,
        connectionInput({ name, connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today, backups: ['U0BACKUP1'] }),
        'test',
      );
    }
    fake = await new FakeSlack().start();
  });

  afterEach(async () => {
    await fake.stop();
    await store.close();
    await database.drop();
  });

  const stateCounts = async () => store.warnings.countByState(TEAM);

  it('Slack refusing connections: exit 1 with the count and why, nothing lost; once Slack works: exit 0, then 0 with nothing due', async () => {
    const refusing = `http://127.0.0.1:${await freePort()}/api/`;
    const down = await check(['--wait', '2s'], { DATABASE_URL: database.url, SLACK_API_URL: refusing });
    expect(down.code).toBe(1);
    expect(lines(down)).toEqual([
      expect.stringMatching(
        /^channel-keeper check: workspace Exit Codes \(TEXITCODE1\): 6 warnings not posted: request failed: connection refused \(ECONNREFUSED\).*; gave up after 2s without an answer \(--wait\); they stay pending for serve \(or the next check\)$/,
      ),
    ]);
    expect(down.stdout).toContain('Delivery: 0 posted, 0 failed, 6 pending');
    expect(await stateCounts()).toEqual({ pending: 6 });

    const up = await check([], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('Delivery: 6 posted, 0 failed, 0 pending');
    expect(await stateCounts()).toEqual({ posted: 6 });
    expect(fake.callsTo('chat.postMessage').length).toBeGreaterThan(0);

    const again = await check([], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(again).toEqual({ code: 0, stdout: expect.stringContaining('Nothing new to post.'), stderr: '' });
  });

  it('Slack answering 503: exit 1 naming the 503; --wait 0 tries once and does not retry', async () => {
    fake.fail('chat.postMessage', { status: 503, times: Infinity });
    const once = await check(['--wait', '0'], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(once.code).toBe(1);
    expect(lines(once)).toEqual([expect.stringMatching(/: 6 warnings not posted: Slack answered HTTP 503 \(after 1 attempt\)/)]);
    // One post tried: the other alerts of the run would fare the same, and nothing is retried.
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    const patient = await check(['--wait', '2s'], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(patient.code).toBe(1);
    expect(lines(patient)).toEqual([
      expect.stringMatching(/: 6 warnings not posted: Slack answered HTTP 503 .*; gave up after 2s without an answer \(--wait\);/),
    ]);
    expect(fake.callsTo('chat.postMessage').length).toBeGreaterThan(2);
    expect(await stateCounts()).toEqual({ pending: 6 });
  });

  it('a Slack that refuses the token: exit 1, the rows failed with why', async () => {
    fake.fail('chat.postMessage', { error: 'invalid_auth', times: Infinity });
    const refused = await check([], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(refused.code).toBe(1);
    expect(lines(refused)).toEqual([expect.stringMatching(/: 6 warnings could not be posted: Slack rejected the bot's token \(invalid_auth\)/)]);
    expect(await stateCounts()).toEqual({ failed: 6 });
  });

  it('without Slack configured it only records: exit 0, and says so on stderr', async () => {
    const recorded = await check([], { DATABASE_URL: database.url, SLACK_BOT_TOKEN: '' });
    expect(recorded.code).toBe(0);
    expect(lines(recorded)).toEqual([
      'channel-keeper check: workspace Exit Codes (TEXITCODE1): 6 warnings recorded, not posted: Slack is not configured (no SLACK_BOT_TOKEN); serve posts them once it is',
    ]);
    expect(await stateCounts()).toEqual({ pending: 6 });
  });

  it('a bad --wait is a usage mistake: exit 2, one line saying what to type, nothing recorded', async () => {
    for (const [value, why] of [
      ['soon', 'is not a duration'],
      ['30', 'has no unit'],
      ['2d', 'is not a duration'],
      ['5h', 'is longer than an hour'],
    ]) {
      const result = await check(['--wait', value!], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr: `channel-keeper: --wait "${value}" ${why}; type a duration such as --wait 90s, --wait 5m or --wait 0 (one try, no waiting)\n`,
      });
    }
    expect(await stateCounts()).toEqual({});
    expect(fake.calls).toHaveLength(0);
  });

  it('prints the most urgent warnings and how many more by default; --all lists every one', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const connectedAt = new Date(Date.parse(today) - 362 * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 12; i++)
      await store.connections.create(
        TEAM,
        connectionInput({ name: `Page ${i}`, connectedAt, lastRefreshedAt: null, ownerLastActiveAt: today, backups: ['U0BACKUP1'] }),
        'test',
      );
    // 15 channels, two warnings each: 30 in all.
    const summary = await check(['--dry-run'], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('Would post, the 20 most urgent of 30:');
    expect(summary.stdout.match(/What to do:/g)).toHaveLength(20);
    expect(summary.stdout).toContain('…and 10 more warnings: `--all` lists every one, `--json` gives them one per line.');
    const all = await check(['--dry-run', '--all'], { DATABASE_URL: database.url, SLACK_API_URL: fake.apiUrl });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Would post:');
    expect(all.stdout.match(/What to do:/g)).toHaveLength(30);
    expect(all.stdout).not.toContain('more warning');
  });

  it('--help lists the exit codes and --wait', async () => {
    const help = await check(['--help'], { DATABASE_URL: database.url });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--wait <duration>');
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}everything due was posted, or nothing was due[^]*\n {2}1 {2}something due could not be posted[^]*\n {2}2 {2}a usage or configuration mistake/,
    );
    expect(help.stdout).toContain('$ channel-keeper check --wait 5m');
    // Lines that fit a terminal.
    for (const line of help.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(90);
  });
});
