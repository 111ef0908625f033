/**
 * `sources`, `tokens` and `sync` as processes, as users run them, against the fake source APIs on
 * loopback: credentials from files or standard input (never an argument), stored encrypted, the
 * key required once a source is added, and sync's exit codes 0, 1 and 2 (here without Slack).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { uniqueId } from '../support/databases';
import { connectionInput } from '../support/factories';
import { FakeSources } from '../support/fake-sources';
import { freshDatabaseUrl, writeTempFile } from '../transfer/cli-run';

const BIN = path.join(__dirname, '../../bin/channel-keeper.js');
const KEY = randomBytes(32).toString('base64');

jest.setTimeout(180_000);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, stdin?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, LOG_LEVEL: 'silent', LOG_FORMAT: '', NO_COLOR: '1', TOKEN_ENCRYPTION_KEY: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

describe('sources, tokens and sync as processes', () => {
  let fake: FakeSources;
  let url: string;
  let workspace: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    fake = await new FakeSources().start();
    url = freshDatabaseUrl();
    workspace = uniqueId('T');
    const store = openStore(parseDatabaseUrl(url));
    await store.workspaces.ensure(workspace, 'Acme');
    await store.connections.create(workspace, connectionInput({ name: 'Acme Page' }), 'U1');
    await store.close();
    // No Slack here: what sync posts, and to whom, is in test/e2e/sync-delivery.test.ts.
    env = { DATABASE_URL: url, TOKEN_ENCRYPTION_KEY: KEY, SLACK_BOT_TOKEN: '', ...fake.env() };
  });
  afterEach(() => fake.stop());

  it('adds a source from a file, syncs it (exit 0) and lists it; the secret never lands in the database file in plain text', async () => {
    const tokenFile = writeTempFile('hs.token', `${fake.hootsuiteToken}\n`);
    fake.hootsuiteProfiles = [
      { id: '1', type: 'LINKEDINCOMPANY', socialNetworkUsername: 'acme page', isReauthRequired: 1 },
      { id: '2', type: 'FACEBOOKPAGE', socialNetworkUsername: 'Acme on Facebook', isReauthRequired: 0 },
    ];
    const added = await run(['sources', 'add', 'hootsuite', '--workspace', workspace, '--token-file', tokenFile], env);
    expect(added).toMatchObject({ code: 0, stdout: '' });
    expect(added.stderr).toContain(`hootsuite added to ${workspace}`);
    const file = parseDatabaseUrl(url).filePath!;
    expect(fs.readFileSync(file).includes(Buffer.from(fake.hootsuiteToken))).toBe(false);

    const dry = await run(['sync', '--workspace', workspace, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would create Acme on Facebook (facebook, from hootsuite): it needs an owner');
    expect(dry.stdout).toContain('would mark Acme Page (linkedin) disconnected: Hootsuite: reconnect needed');

    const synced = await run(['sync', '--workspace', workspace, '--json'], env);
    expect(synced.code).toBe(0);
    const report = JSON.parse(synced.stdout) as {
      created: { name: string }[];
      disconnected: { name: string; reason: string }[];
      delivery: { slack: boolean; warnings: { posted: number; pending: number }; admins: { told: number } };
    };
    expect(report.created.map((c) => c.name)).toEqual(['Acme on Facebook']);
    expect(report.disconnected).toEqual([expect.objectContaining({ name: 'Acme Page', reason: 'Hootsuite: reconnect needed' })]);
    // Without Slack, nothing is posted and stderr says so, one line per thing left undelivered (exit 0).
    expect(report.delivery).toMatchObject({ slack: false, warnings: { posted: 0 }, admins: null });
    expect(synced.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/: \d+ warnings? recorded, not posted: Slack is not configured \(no SLACK_BOT_TOKEN\); serve posts them once it is$/),
      expect.stringMatching(/: admins not told \(1 record needs an owner\): Slack is not configured \(no SLACK_BOT_TOKEN\)/),
    ]);

    const listed = await run(['sources', 'list', '--workspace', workspace, '--json'], env);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      source: 'hootsuite',
      ok: true,
      needsCredential: false,
      counts: { seen: 2, created: 1, disconnected: 1 },
    });
  });

  it('a source that refuses its credential: exit 1 with one line naming it and what to do; list shows it needs a new credential', async () => {
    await run(['sources', 'add', 'buffer', '--workspace', workspace, '--token-file', '-'], env, 'not-the-key\n');
    const synced = await run(['sync', '--workspace', workspace], env);
    expect(synced.code).toBe(1);
    // Without Slack nobody can be told: the once-only notice is left for serve.
    expect(synced.stderr.trim().split('\n')).toEqual([
      'buffer failed: Buffer refused the credential (401): give it a new one (channel-keeper sources add buffer …)',
    ]);
    const listed = await run(['sources', 'list', '--workspace', workspace], env);
    expect(listed.stdout).toMatch(/buffer .* needs a new credential/);
  });

  it('a token for a channel no app can introspect is refused; one set before its app is added says what to add', async () => {
    const tokenFile = writeTempFile('x.token', 'tok-x');
    const early = await run(['tokens', 'set', 'Acme Page', '--workspace', workspace, '--token-file', tokenFile], env);
    expect(early.code).toBe(0);
    expect(early.stderr.trim()).toBe(
      `the token of Acme Page (linkedin) is set, but nothing reads it yet: add the team's app with "channel-keeper sources add linkedin-app --workspace ${workspace} --client-id ID --client-secret-file FILE"`,
    );
    const store = openStore(parseDatabaseUrl(url));
    await store.connections.create(workspace, connectionInput({ name: 'Acme on X', network: 'x', kind: 'profile' }), 'U1');
    await store.close();
    const onX = await run(['tokens', 'set', 'Acme on X', '--workspace', workspace, '--token-file', tokenFile], env);
    expect(onX.code).toBe(2);
    expect(onX.stderr.trim()).toBe(
      'channel-keeper: Acme on X is on X, whose tokens no app can introspect: only LinkedIn (the linkedin-app source) and Facebook, Instagram or Threads (meta-app) tokens can be',
    );
  });

  it('linkedin-app with a client secret from standard input, and a connection token from a file, introspected at sync', async () => {
    const added = await run(
      ['sources', 'add', 'linkedin-app', '--workspace', workspace, '--client-id', 'li-client', '--client-secret-file', '-'],
      env,
      'li-secret',
    );
    expect(added.code).toBe(0);
    const tokenFile = writeTempFile('li.token', 'tok-1');
    fake.linkedinTokens = { 'tok-1': { active: true, status: 'active', expires_at: Date.parse('2027-01-03T00:00:00Z') / 1000 } };
    expect((await run(['tokens', 'set', 'acme page', '--workspace', workspace, '--token-file', tokenFile], env)).code).toBe(0);
    const synced = await run(['sync', '--workspace', workspace], env);
    expect(synced.stdout).toContain('linkedin-app: 1 seen, 1 matched');
    expect(fake.count('linkedin')).toBe(1);
    expect((await run(['tokens', 'remove', 'Acme Page', '--workspace', workspace], env)).code).toBe(0);
    await run(['sync', '--workspace', workspace], env);
    expect(fake.count('linkedin')).toBe(1);
  });

  it('usage and configuration are one line and exit 2: no key, a secret as an argument, an unknown kind, an empty file', async () => {
    const tokenFile = writeTempFile('t', 'abc');
    const noKey = await run(['sources', 'add', 'buffer', '--workspace', workspace, '--token-file', tokenFile], { ...env, TOKEN_ENCRYPTION_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim()).toMatch(/^.*TOKEN_ENCRYPTION_KEY is not set: source credentials are stored encrypted/);
    expect(noKey.stderr.trim().split('\n')).toHaveLength(1);
    const asArgument = await run(['sources', 'add', 'buffer', '--workspace', workspace, '--token', 'abc'], env);
    expect(asArgument.code).toBe(2);
    const unknown = await run(['sources', 'add', 'later', '--workspace', workspace, '--token-file', tokenFile], env);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('unknown source "later": one of hootsuite, buffer, linkedin-app, meta-app');
    const empty = await run(['sources', 'add', 'buffer', '--workspace', workspace, '--token-file', writeTempFile('e', '\n')], env);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('is empty: it must hold the secret');
    const syncNoKey = await run(['sync', '--workspace', workspace], { ...env, TOKEN_ENCRYPTION_KEY: '' });
    expect(syncNoKey.code).toBe(2);
    expect((await run(['sources', 'remove', 'buffer', '--workspace', workspace], env)).stderr).toContain('has no buffer source: nothing removed');
  });
});
