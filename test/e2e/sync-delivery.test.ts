/**
 * `channel-keeper sync` as a cron job runs it, against the fake source APIs and a fake Slack on
 * loopback: it delivers as `check` does. A disconnection Hootsuite observed is posted to the alert
 * channel before the process exits; the admins get one DM listing the records that need an owner,
 * and a refused credential is told once. Without SLACK_BOT_TOKEN nothing is posted and stderr says
 * so (exit 0); a Slack that answers 500 leaves the warning pending, one line per reason (exit 1).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { migrate } from '../../src/store/migrate';
import { openStore, type Store } from '../../src/store/store';
import { buildIfStale } from '../support/build-once';
import { connectionInput } from '../support/factories';
import { FakeSlack, type SlackCall } from '../support/fake-slack';
import { FakeSources } from '../support/fake-sources';
import { enabledDatabases } from '../support/global-setup';
import { writeTempFile } from '../transfer/cli-run';
import { bin, processDatabase, root, type ProcessDatabase } from './process-support';

jest.setTimeout(180_000);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const TEAM = 'TSYNCDEL01';
const LABEL = 'channel-keeper sync: workspace Sync Delivery (TSYNCDEL01)';
const ALERT_CHANNEL = 'C0SYNCDEL1';
const ADMINS = ['U0ADMIN01', 'U0ADMIN02'];
const MEMBER = 'U0MEMBER1';
const KEY = randomBytes(32).toString('base64');

function run(args: string[], env: Record<string, string>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, SLACK_ALERT_CHANNEL: '', LOG_LEVEL: 'silent', NO_COLOR: '1', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

function lines(result: Result): string[] {
  return result.stderr.trimEnd().split('\n').filter(Boolean);
}

/** Every DM (a post to a user id) and the posts to the alert channel. */
function postsTo(fake: FakeSlack, conversation: string): SlackCall[] {
  return fake.callsTo('chat.postMessage').filter((call) => call.body.channel === conversation);
}

beforeAll(() => buildIfStale());

describe.each(enabledDatabases())('sync delivers as check does [%s]', (provider) => {
  let database: ProcessDatabase;
  let store: Store;
  let slack: FakeSlack;
  let sources: FakeSources;
  let env: Record<string, string>;

  beforeEach(async () => {
    database = await processDatabase(provider, 'ck_sync');
    const target = parseDatabaseUrl(database.url);
    await migrate(target);
    store = openStore(target);
    const today = new Date().toISOString().slice(0, 10);
    await store.workspaces.ensure(TEAM, 'Sync Delivery');
    await store.workspaces.updateSettings(TEAM, { alertChannel: ALERT_CHANNEL, timeZone: 'UTC', checkTime: '00:00' });
    for (const admin of ADMINS) await store.members.upsert(TEAM, admin, { role: 'admin' });
    await store.members.upsert(TEAM, MEMBER, { role: 'member' });
    // Refreshed and active today: nothing is due but what a source observes.
    await store.connections.create(
      TEAM,
      connectionInput({ name: 'Acme Page', connectedAt: today, lastRefreshedAt: today, ownerLastActiveAt: today, backups: ['U0BACKUP1'] }),
      'test',
    );
    slack = await new FakeSlack().start();
    sources = await new FakeSources().start();
    env = { DATABASE_URL: database.url, TOKEN_ENCRYPTION_KEY: KEY, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_API_URL: slack.apiUrl, ...sources.env() };
  });

  afterEach(async () => {
    await sources.stop();
    await slack.stop();
    await store.close();
    await database.drop();
  });

  async function addHootsuite(token = sources.hootsuiteToken): Promise<void> {
    const added = await run(['sources', 'add', 'hootsuite', '--workspace', TEAM, '--token-file', writeTempFile('hs.token', token)], env);
    expect(added.code).toBe(0);
  }

  const sync = (args: string[] = [], extra: Record<string, string> = {}) => run(['sync', '--workspace', TEAM, ...args], { ...env, ...extra });
  const reconnectNeeded = { id: '1', type: 'LINKEDINCOMPANY', socialNetworkUsername: 'Acme Page', isReauthRequired: 1 as const };
  const newProfile = { id: '2', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme on Facebook', isReauthRequired: 0 as const };

  it('a profile Hootsuite says must be reconnected: its warning is in the alert channel before sync exits (exit 0)', async () => {
    await addHootsuite();
    sources.hootsuiteProfiles = [reconnectNeeded];
    const synced = await sync();
    expect(synced.stderr).toBe('');
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('marked Acme Page (linkedin) disconnected: Hootsuite: reconnect needed');
    expect(synced.stdout).toContain('Delivery: 1 posted, 0 failed, 0 pending');
    const [alert, ...more] = postsTo(slack, ALERT_CHANNEL);
    expect(more).toEqual([]);
    expect(JSON.stringify(alert!.body)).toContain('Acme Page');
    expect(await store.warnings.countByState(TEAM)).toEqual({ posted: 1 });
    // Nothing for the admins: no record was created, no credential refused.
    for (const admin of ADMINS) expect(postsTo(slack, admin)).toEqual([]);
  });

  it('a new profile: the admins, and only they, get one DM listing it; --json says what was delivered; the next sync tells nobody', async () => {
    await addHootsuite();
    sources.hootsuiteProfiles = [newProfile];
    const synced = await sync(['--json']);
    expect(synced).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(synced.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      created: [expect.objectContaining({ name: 'Acme on Facebook' })],
      delivery: { slack: true, warnings: null, admins: { admins: 2, told: 2, reason: null } },
    });
    for (const admin of ADMINS) {
      const dms = postsTo(slack, admin);
      expect(dms).toHaveLength(1);
      expect(JSON.stringify(dms[0]!.body)).toContain('Acme on Facebook');
    }
    expect(postsTo(slack, MEMBER)).toEqual([]);
    expect(postsTo(slack, ALERT_CHANNEL)).toEqual([]);

    const again = await sync(['--json']);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(again.stdout)).toMatchObject({ created: [], delivery: { slack: true, warnings: null, admins: null } });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('no active admin to tell: exit 1, one line saying how to name one; nothing is sent', async () => {
    for (const admin of ADMINS) await store.members.upsert(TEAM, admin, { role: 'member' });
    await addHootsuite();
    sources.hootsuiteProfiles = [newProfile];
    const synced = await sync();
    expect(synced.code).toBe(1);
    expect(lines(synced)).toEqual([
      `${LABEL}: admins not told (1 record needs an owner): no active admin in this workspace; give someone the role: channel-keeper roles set <user> admin --workspace ${TEAM}`,
    ]);
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('a 401: exit 1 naming the source; the admins are told once, a second sync tells nobody', async () => {
    await addHootsuite('revoked-token');
    const first = await sync();
    expect(first.code).toBe(1);
    expect(lines(first)).toEqual([expect.stringMatching(/^hootsuite failed: Hootsuite refused the credential \(401\)/)]);
    expect(first.stdout).toContain('Admins told: 2 of 2');
    for (const admin of ADMINS) {
      const dms = postsTo(slack, admin);
      expect(dms).toHaveLength(1);
      expect(JSON.stringify(dms[0]!.body)).toContain('Hootsuite refused its credential');
    }

    const second = await sync();
    expect(second.code).toBe(1);
    expect(lines(second)).toEqual([expect.stringMatching(/^hootsuite failed: /)]);
    expect(second.stdout).not.toContain('Admins told');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(ADMINS.length);
  });

  it('a 401 without SLACK_BOT_TOKEN leaves the once-only notice for a run that can tell: the next sync with Slack tells the admins', async () => {
    await addHootsuite('revoked-token');
    const unconfigured = await sync([], { SLACK_BOT_TOKEN: '' });
    expect(unconfigured.code).toBe(1);
    expect(lines(unconfigured)).toEqual([expect.stringMatching(/^hootsuite failed: Hootsuite refused the credential \(401\)/)]);
    expect(slack.calls).toEqual([]);

    const told = await sync();
    expect(told.stdout).toContain('Admins told: 2 of 2');
    for (const admin of ADMINS) expect(postsTo(slack, admin)).toHaveLength(1);
  });

  /**
   * The pending rows, as "warnings" words the stderr lines use: the check after a disconnection
   * judges the whole workspace (the record the sync created has warnings of its own), so the
   * count is the store's, and the disconnection's warning must be among them.
   */
  async function pendingWarnings(): Promise<string> {
    const pending = await store.warnings.listByState(TEAM, 'pending');
    const acme = (await store.connections.list(TEAM)).find((c) => c.name === 'Acme Page')!;
    expect(pending.filter((w) => w.kind === 'disconnected').map((w) => w.connectionId)).toEqual([acme.id]);
    expect(await store.warnings.countByState(TEAM)).toEqual({ pending: pending.length });
    return pending.length === 1 ? '1 warning' : `${pending.length} warnings`;
  }

  it('without SLACK_BOT_TOKEN: nothing is posted, the notice is printed, stderr says Slack is not configured (exit 0)', async () => {
    await addHootsuite();
    sources.hootsuiteProfiles = [reconnectNeeded, newProfile];
    const synced = await sync([], { SLACK_BOT_TOKEN: '' });
    expect(synced.code).toBe(0);
    expect(synced.stdout).toContain('created Acme on Facebook (facebook, from hootsuite): it needs an owner');
    expect(synced.stdout).not.toContain('Admins told');
    const warnings = await pendingWarnings();
    expect(lines(synced)).toEqual([
      `${LABEL}: ${warnings} recorded, not posted: Slack is not configured (no SLACK_BOT_TOKEN); serve posts them once it is`,
      `${LABEL}: admins not told (1 record needs an owner): Slack is not configured (no SLACK_BOT_TOKEN); it is not sent later, pass it on`,
    ]);
    expect(slack.calls).toEqual([]);
  });

  it('Slack answering 500: exit 1, one line per reason, the warning stays pending and check posts it once Slack is back', async () => {
    await addHootsuite();
    sources.hootsuiteProfiles = [reconnectNeeded, newProfile];
    slack.fail('chat.postMessage', { status: 500, times: Infinity });
    const synced = await sync(['--wait', '0']);
    expect(synced.code).toBe(1);
    const warnings = await pendingWarnings();
    expect(lines(synced)).toEqual([
      `${LABEL}: ${warnings} not posted: Slack answered HTTP 500 (after 1 attempt); gave up after 0s without an answer (--wait); ${warnings === '1 warning' ? 'it stays' : 'they stay'} pending for serve (or the next check)`,
      `${LABEL}: 0 of 2 admins told (1 record needs an owner): Slack answered HTTP 500 (after 1 attempt); gave up after 0s without an answer (--wait); the notice is not sent again`,
    ]);

    slack.reset();
    const checked = await run(['check', '--workspace', TEAM], env);
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    expect(Object.keys(await store.warnings.countByState(TEAM))).toEqual(['posted']);
    expect(JSON.stringify(postsTo(slack, ALERT_CHANNEL).map((call) => call.body))).toContain('Acme Page');
  });

  it('--help lists the exit codes and --wait; a bad --wait is a usage mistake (exit 2), nothing read', async () => {
    const help = await sync(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--wait <duration>');
    expect(help.stdout).toMatch(
      /Exit codes:\n {2}0 {2}every source answered[^]*\n {2}1 {2}a source failed[^]*could not be posted[^]*\n {2}2 {2}a usage or configuration mistake/,
    );
    for (const line of help.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(90);
    const bad = await sync(['--wait', 'soon']);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: 'channel-keeper: --wait "soon" is not a duration; type a duration such as --wait 90s, --wait 5m or --wait 0 (one try, no waiting)\n',
    });
    expect(sources.requests).toEqual([]);
  });
});
