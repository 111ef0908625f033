/**
 * The compiled `channel-keeper` as a process, as users run it: `--help` and `--version`, exit
 * codes, one-line errors with exit 2 for every path that cannot go on, and nothing written then.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../src/cli';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { uniqueId } from '../support/databases';
import { connectionInput } from '../support/factories';
import { freshDatabaseUrl } from '../transfer/cli-run';

const BIN = path.join(__dirname, '../../bin/channel-keeper.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const base = { ...process.env, LOG_LEVEL: '', LOG_FORMAT: '', SLACK_BOT_TOKEN: '', NO_COLOR: '' };
    execFile(process.execPath, [BIN, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function oneLine(result: Result): string {
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

// Each case starts the compiled command as a process several times, on a machine that may be busy.
jest.setTimeout(180_000);

const scratch = () => path.join(process.env.CK_TEST_DIR!, uniqueId('p'));

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('the top-level help lists every command users see, and no developer command', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) {
      if (command.hidden) expect(stdout).not.toContain(command.name);
      else expect(stdout).toMatch(new RegExp(`^  ${command.name}\\b`, 'm'));
    }
  });

  it('with no command, prints the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: channel-keeper');
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help shows its usage, options and an example, exit 0', async (name) => {
    const { code, stdout, stderr } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Usage: channel-keeper ${name}`);
    expect(stdout).toContain('Options:');
    expect(stdout).toMatch(new RegExp(`Examples?:\\n  \\$ channel-keeper ${name}`));
  });

  it('help <command> is <command> --help', async () => {
    expect((await run(['help', 'check'])).stdout).toBe((await run(['check', '--help'])).stdout);
  });

  it('answers a typo with the closest command or option, one line, exit 2', async () => {
    expect(oneLine(await run(['chek']))).toBe("channel-keeper: unknown command 'chek' (did you mean check?) (see channel-keeper --help)");
    expect(oneLine(await run(['settings', '--workspace', 'T0A', '--reset-polcy']))).toBe(
      "channel-keeper settings: unknown option '--reset-polcy' (did you mean --reset-policy?) (see channel-keeper settings --help)",
    );
    expect((await run(['export', '--workspace', 'T0A', '--format', 'xml'])).code).toBe(2);
  });
});

describe('errors: one line, exit 2, nothing written', () => {
  it('check, workspaces, settings, export and import before migrate: no file is created', async () => {
    const file = `${scratch()}.db`;
    const csv = `${scratch()}.csv`;
    fs.writeFileSync(csv, 'network,kind,name,url,owner,connected_at\n');
    for (const args of [
      ['check'],
      ['check', '--dry-run'],
      ['workspaces'],
      ['settings', '--workspace', 'T0A'],
      ['export', '--workspace', 'T0A'],
      ['import', csv, '--workspace', 'T0A'],
    ]) {
      const result = await run(args, { DATABASE_URL: `file:${file}` });
      expect(result.code).toBe(2);
      expect(oneLine(result)).toMatch(/there is no database at file:.* yet: run "npx channel-keeper migrate" first/);
      expect(fs.existsSync(file)).toBe(false);
    }
  });

  it('a database file without tables: the fix in one line, for every command that reads it', async () => {
    const file = `${scratch()}.db`;
    fs.writeFileSync(file, '');
    const all = [['check'], ['workspaces'], ['settings', '--workspace', 'T0A'], ['export', '--workspace', 'T0A']];
    for (const result of await Promise.all(all.map((args) => run(args, { DATABASE_URL: `file:${file}` })))) {
      expect(result.code).toBe(2);
      expect(oneLine(result)).toMatch(/has no tables yet: run "npx channel-keeper migrate" first/);
    }
    expect(fs.statSync(file).size).toBe(0);
  });

  it('a path under a regular file, and file:/dev/null', async () => {
    const blocker = scratch();
    fs.writeFileSync(blocker, 'not a folder');
    const under = await run(['migrate'], { DATABASE_URL: `file:${blocker}/data/ck.db` });
    expect(under.code).toBe(2);
    expect(oneLine(under)).toMatch(/cannot create the database at .*: a part of the database path is a file, not a folder/);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('not a folder');
    for (const result of await Promise.all([['migrate'], ['check'], ['workspaces']].map((args) => run(args, { DATABASE_URL: 'file:/dev/null' })))) {
      expect(result.code).toBe(2);
      oneLine(result);
    }
  });

  it('a variable a command does not use never stops it; a fixed-value variable refuses others with the list', async () => {
    const url = freshDatabaseUrl();
    const ok = await run(['migrate'], { DATABASE_URL: url, PORT: 'abc', SLACK_SOCKET_MODE: 'maybe', SLACK_ALERT_CHANNEL: '#general' });
    expect(ok.code).toBe(0);
    expect(oneLine(await run(['migrate'], { DATABASE_URL: url, LOG_FORMAT: 'xml' }))).toBe('channel-keeper: LOG_FORMAT must be one of json, pretty; got "xml"');
    expect(oneLine(await run(['workspaces'], { DATABASE_URL: url, LOG_LEVEL: 'loud' }))).toMatch(
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"/,
    );
    expect(oneLine(await run(['check', '--dry-run'], { DATABASE_URL: url, SLACK_ALERT_CHANNEL: '#general' }))).toMatch(
      /SLACK_ALERT_CHANNEL must be a channel id/,
    );
  });

  it('check --at far from today without --dry-run changes nothing', async () => {
    const url = freshDatabaseUrl();
    const file = parseDatabaseUrl(url).filePath!;
    const before = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const result = await run(['check', '--at', '9999-12-31'], { DATABASE_URL: url });
    expect(result.code).toBe(2);
    expect(oneLine(result)).toMatch(/--at 9999-12-31 is more than 31 days back or 1 day ahead.*add --dry-run/);
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(before);
  });
});

describe('workspaces, and check --json with every log level', () => {
  let url: string;
  let ws: string;
  beforeAll(async () => {
    url = freshDatabaseUrl();
    ws = uniqueId('TW');
    const store = openStore(parseDatabaseUrl(url));
    // Dates relative to today: the command judges channels as of now.
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const connectedAt = daysAgo(10);
    const ownerLastActiveAt = daysAgo(5);
    try {
      await store.workspaces.ensure(ws, 'Acme Social');
      await store.workspaces.updateSettings(ws, { timeZone: 'Europe/Berlin', alertChannel: 'C0ALERTS' });
      await store.connections.create(ws, connectionInput({ name: 'Fine', connectedAt, ownerLastActiveAt, backups: ['UB'] }), 'U1');
      await store.connections.create(ws, connectionInput({ name: 'No backup', connectedAt, ownerLastActiveAt }), 'U1');
      await store.connections.create(ws, connectionInput({ name: 'Gone', connectedAt, ownerLastActiveAt, ownerId: null, backups: ['UB'] }), 'U1');
    } finally {
      await store.close();
    }
  });

  it('lists each workspace with its id, name, zone, alert channel and channels by health (text and --json)', async () => {
    const json = await run(['workspaces', '--json'], { DATABASE_URL: url });
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        workspace: ws,
        name: 'Acme Social',
        state: 'none',
        uninstalledAt: null,
        timeZone: 'Europe/Berlin',
        checkTime: '09:00',
        alertChannel: 'C0ALERTS',
        channels: 3,
        health: { ok: 1, attention: 1, at_risk: 0, critical: 1, disconnected: 0 },
      },
    ]);
    const text = await run(['workspaces'], { DATABASE_URL: url });
    expect(text.code).toBe(0);
    const [header, row] = text.stdout.trim().split('\n');
    expect(header).toMatch(/^id\s+name\s+state\s+time zone\s+check\s+alert channel\s+channels\s+ok\s+attention\s+at risk\s+critical\s+disconnected$/);
    expect(row!.split(/\s{2,}/)).toEqual([ws, 'Acme Social', '—', 'Europe/Berlin', '09:00', 'C0ALERTS', '3', '1', '1', '0', '1', '0']);
  });

  it.each(['trace', 'info', 'error', 'silent', ''])('check --json stdout is JSON lines only with LOG_LEVEL=%j', async (level) => {
    const result = await run(['check', '--dry-run', '--json'], { DATABASE_URL: url, LOG_LEVEL: level, LOG_FORMAT: 'pretty' });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBe(2);
    for (const line of lines)
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['workspace', 'connectionId', 'connection', 'network', 'kind', 'stage', 'severity', 'dueAt']);
    if (level === 'trace' || level === 'info') expect(result.stderr).toContain('check run finished');
  });
});
