/** `channel-keeper check`, run as the real binary against a SQLite file seeded through the Store. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Outgoing, PortResult, SlackPort } from '../../src/outbox/slack-port';
import { createCheckCommand } from '../../src/cli/check';
import type { CliIo } from '../../src/cli/command';
import { loadConfig } from '../../src/config';
import { WARNING_STATES } from '../../src/domain';
import { silentLogger } from '../../src/logger';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore, type Store } from '../../src/store/store';
import { uniqueId } from '../support/databases';
import { connectionInput } from '../support/factories';

const BIN = path.resolve(__dirname, '../../bin/channel-keeper.js');
const CONTRACT_KEYS = ['workspace', 'connectionId', 'connection', 'network', 'kind', 'stage', 'severity', 'dueAt'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let file: string;
let store: Store;
let wsA: string;
let wsB: string;

function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'check', ...args],
      { env: { ...process.env, DATABASE_URL: `file:${file}`, LOG_LEVEL: 'info', LOG_FORMAT: 'json', SLACK_BOT_TOKEN: '' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function sha(): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function warningCount(ws: string): Promise<number> {
  const byState = await store.warnings.countByState(ws);
  return WARNING_STATES.reduce((sum, state) => sum + (byState[state] ?? 0), 0);
}

beforeAll(async () => {
  file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('cli')}.db`);
  fs.copyFileSync(process.env.CK_SQLITE_TEMPLATE!, file);
  store = openStore(parseDatabaseUrl(`file:${file}`));
  wsA = uniqueId('TA');
  wsB = uniqueId('TB');
  await store.workspaces.ensure(wsA, 'Acme');
  await store.workspaces.ensure(wsB, 'Beta');
  await store.workspaces.updateSettings(wsB, { timeZone: 'America/New_York', checkTime: '08:00' });
  const quiet = { ownerLastActiveAt: '2026-11-20', backups: ['UB'] };
  await store.connections.create(wsA, connectionInput({ name: 'Acme Corp', connectedAt: '2025-12-10', ...quiet }), 'U1');
  await store.connections.create(wsA, connectionInput({ name: 'Acme Labs', connectedAt: '2025-11-01', ...quiet }), 'U1');
  await store.connections.create(wsA, connectionInput({ name: 'Broken', connectedAt: '2026-10-01', lastRefreshedAt: '2026-09-01', ...quiet }), 'U1');
  await store.connections.create(wsB, connectionInput({ name: 'Beta Page', connectedAt: '2026-10-01', ownerId: null, ...quiet }), 'U1');
});

afterAll(async () => {
  await store?.close();
  fs.rmSync(file, { force: true });
});

describe('channel-keeper check', () => {
  it('prints only contract JSON lines on stdout with --json, for every workspace, logs on stderr', async () => {
    const { code, stdout, stderr } = await cli('--json', '--dry-run', '--at', '2026-11-28');
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(stdout.endsWith('\n')).toBe(true);
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const o of objects) expect(Object.keys(o)).toEqual(CONTRACT_KEYS);
    for (const o of objects) expect(o.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(objects.map((o) => `${o.workspace} ${o.connection} ${o.kind} ${o.stage} ${o.severity}`).sort()).toEqual(
      [
        `${wsA} Acme Corp expiry 14d attention`,
        `${wsA} Acme Corp refresh_due overdue at_risk`,
        `${wsA} Acme Labs expiry expired critical`,
        `${wsA} Acme Labs refresh_due overdue at_risk`,
        `${wsB} Beta Page owner_gone gone critical`,
      ].sort(),
    );
    expect(stderr).toContain('check run finished');
  });

  it('changes nothing in the database with --dry-run, and prints what it would post', async () => {
    const before = sha();
    const { code, stdout } = await cli('--dry-run', '--workspace', wsA, '--at', '2026-11-28');
    expect(code).toBe(0);
    expect(stdout).toContain('dry run');
    expect(stdout).toMatch(/CRITICAL\s+Acme Labs \(LinkedIn, due 2026-11-01\)/);
    expect(stdout).toContain('What to do:');
    expect(stdout).toContain('Broken (id');
    expect(stdout).toContain('lastRefreshedAt 2026-09-01 is before connectedAt 2026-10-01');
    expect(stdout).not.toContain('Beta Page');
    expect(sha()).toBe(before);
    expect(await warningCount(wsA)).toBe(0);
  });

  it('records and delivers like a scheduled run without --dry-run; a second run the same day adds nothing', async () => {
    // In-process with a fixed clock: a real run only takes --at near today.
    const command = createCheckCommand({
      now: () => new Date('2026-11-28T12:00:00Z'),
      config: () => loadConfig({ DATABASE_URL: `file:${file}` }),
      logger: () => silentLogger,
    });
    const first = capture();
    expect(await command.run(['--workspace', wsA, '--at', '2026-11-28', '--json'], first.sink)).toBe(0);
    expect(first.out).toHaveLength(4);
    expect(await store.warnings.countByState(wsA)).toEqual({ pending: 4 });

    const second = capture();
    expect(await command.run(['--workspace', wsA, '--at', '2026-11-28T17:30'], second.sink)).toBe(0);
    expect(second.out.join('')).toContain('0 new, 0 reopened, 0 resolved, 4 still open');
    expect(second.out.join('')).toContain('Delivery: 0 posted, 0 failed, 4 pending (Slack is not configured)');
    expect(await warningCount(wsA)).toBe(4);
  });

  it('refuses --at far from today without --dry-run, and writes nothing', async () => {
    const before = sha();
    const { code, stdout, stderr } = await cli('--at', '9999-12-31');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('add --dry-run');
    expect(sha()).toBe(before);
    expect((await cli('--at', '9999-12-31', '--dry-run', '--json')).code).toBe(0);
  });

  it('refuses a bad --at with exit code 2, naming the value and the format', async () => {
    const { code, stdout, stderr } = await cli('--at', '2026-02-30');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('"2026-02-30"');
    expect(stderr).toContain('YYYY-MM-DD');
  });

  it('refuses an unknown option and an unknown workspace', async () => {
    const option = await cli('--dry-rn');
    expect(option.code).toBe(2);
    expect(option.stderr.trim()).toBe("channel-keeper check: unknown option '--dry-rn' (did you mean --dry-run?) (see channel-keeper check --help)");
    const workspace = await cli('--workspace', 'TNOSUCH', '--dry-run');
    expect(workspace.code).toBe(2);
    expect(workspace.stdout).toBe('');
    expect(workspace.stderr.trim()).toBe('channel-keeper: no workspace with id TNOSUCH');
  });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const sink: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  return { out, err, sink };
}

describe('the delivery seam (createCheckCommand)', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    const sink: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
    return { out, err, sink };
  }

  /** A Slack port answering each post with `answer` (by its position), recording where each went. */
  function fakePort(answer: (n: number, to: string) => PortResult) {
    const posts: { to: string; message: Outgoing }[] = [];
    const port: SlackPort = {
      window: () => ({ deadline: new Date('2100-01-01T00:00:00Z') }),
      post: async (to, message) => (posts.push({ to, message }), answer(posts.length, to)),
      update: async (channel, ts) => ({ ok: true, channel, ts }),
      findPosts: async () => new Map(),
    };
    return { posts, slack: { forWorkspace: () => port } };
  }

  it('delivers real runs through the factory given, and builds no delivery for a dry run', async () => {
    const fake = fakePort((n, to) => ({ ok: true, channel: to, ts: `1800000000.${String(n).padStart(6, '0')}` }));
    const factory = jest.fn(() => fake.slack);
    const command = createCheckCommand({
      deliveryFactory: factory,
      config: () => loadConfig({ DATABASE_URL: `file:${file}`, SLACK_ALERT_CHANNEL: 'C0ALERTS' }),
      logger: () => silentLogger,
    });
    const dry = io();
    expect(await command.run(['--dry-run', '--workspace', wsB, '--at', '2026-11-28'], dry.sink)).toBe(0);
    expect(factory).not.toHaveBeenCalled();

    const real = io();
    expect(await command.run(['--workspace', wsB, '--at', '2026-11-28'], real.sink)).toBe(0);
    expect(factory).toHaveBeenCalledTimes(1);
    const alerts = fake.posts.filter((p) => p.message.kind === 'alert' || p.message.kind === 'digest');
    expect(new Set(alerts.map((p) => p.to))).toEqual(new Set(['C0ALERTS']));
    const posted = await store.warnings.listByState(wsB, 'posted');
    expect(posted.length).toBeGreaterThan(0);
    // 08:00 in New York on the --at date.
    expect(posted.map((w) => w.postedAt?.toISOString())).toEqual(posted.map(() => '2026-11-28T13:00:00.000Z'));
    expect(real.out.join('')).toContain(`Delivery: ${posted.length} posted, 0 failed, 0 pending`);
  });

  it('exits 1 when every post failed (a revoked token), naming the workspace and why', async () => {
    // wsA's warnings wait (no Slack when they were recorded).
    const refused = fakePort(() => ({ ok: false, outcome: 'failed', reason: 'invalid_auth', code: 'invalid_auth', channelWide: true }));
    const config = () => loadConfig({ DATABASE_URL: `file:${file}`, SLACK_ALERT_CHANNEL: 'C0ALERTS' });
    const command = createCheckCommand({
      deliveryFactory: () => refused.slack,
      now: () => new Date('2026-11-28T12:00:00Z'),
      config,
      logger: () => silentLogger,
    });
    const failed = capture();
    expect(await command.run(['--workspace', wsA], failed.sink)).toBe(1);
    expect(failed.err).toEqual([`channel-keeper check: workspace Acme (${wsA}): 4 warnings could not be posted: invalid_auth`]);
    expect(failed.out.join('')).toContain('Delivery: 0 posted, 4 failed, 0 pending');

    // The token fixed and the rows retried: one post through, the others refused, is still a failed run.
    await store.warnings.retryFailed(wsA);
    const partlyPort = fakePort((n, to) =>
      n === 1
        ? { ok: true, channel: to, ts: '1800000001.000001' }
        : { ok: false, outcome: 'failed', reason: 'is_archived', code: 'is_archived', channelWide: false },
    );
    const partly = createCheckCommand({
      deliveryFactory: () => partlyPort.slack,
      now: () => new Date('2026-11-28T12:00:00Z'),
      config,
      logger: () => silentLogger,
    });
    const partial = capture();
    expect(await partly.run(['--workspace', wsA], partial.sink)).toBe(1);
    expect(partial.err).toEqual([expect.stringMatching(/^channel-keeper check: workspace Acme \(.*\): \d+ warnings? could not be posted: is_archived$/)]);
    expect(partial.out.join('')).toMatch(/Delivery: [1-9]\d* posted, [1-9]\d* failed, 0 pending/);
  });

  it('without Slack it records and says so (exit 0); rows a declared outage holds back are not a failure either', async () => {
    const wsC = uniqueId('TC');
    await store.workspaces.ensure(wsC, 'Gamma');
    // Expired on 2026-11-01: "expired" (held back by a LinkedIn outage) and "refresh overdue" (not held).
    await store.connections.create(
      wsC,
      connectionInput({ name: 'Gamma Labs', connectedAt: '2025-11-01', ownerLastActiveAt: '2026-11-20', backups: ['UB'] }),
      'U1',
    );
    const config = () => loadConfig({ DATABASE_URL: `file:${file}`, SLACK_ALERT_CHANNEL: 'C0ALERTS' });
    const now = () => new Date('2026-11-28T12:00:00Z');
    const unconfigured = capture();
    const recordOnly = createCheckCommand({ deliveryFactory: () => null, now, config, logger: () => silentLogger });
    expect(await recordOnly.run(['--workspace', wsC], unconfigured.sink)).toBe(0);
    expect(unconfigured.err).toEqual([
      `channel-keeper check: workspace Gamma (${wsC}): 2 warnings recorded, not posted: Slack is not configured (no SLACK_BOT_TOKEN); serve posts them once it is`,
    ]);

    await store.workspaces.setOutage(wsC, 'linkedin', now());
    const port = fakePort((n, to) => ({ ok: true, channel: to, ts: `1800000002.${String(n).padStart(6, '0')}` }));
    const held = capture();
    const delivering = createCheckCommand({ deliveryFactory: () => port.slack, now, config, logger: () => silentLogger });
    expect(await delivering.run(['--workspace', wsC], held.sink)).toBe(0);
    expect(held.err).toEqual([]);
    expect(held.out.join('')).toContain('Delivery: 1 posted, 0 failed, 1 pending');
    expect((await store.warnings.listByState(wsC, 'pending')).map((w) => w.stage)).toEqual(['expired']);
  });
});
