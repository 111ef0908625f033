/** How commands talk to people: log levels on a terminal, colours, and failures said in one line. */
import fs from 'node:fs';
import path from 'node:path';
import { formatSummary } from '../../src/cli/check';
import { defineCommand } from '../../src/cli/command';
import { cliLogLevel, useColour } from '../../src/cli/context';
import { describeStartupError } from '../../src/cli/failure';
import { Metrics, instrumentSlackClient } from '../../src/metrics';
import type { CheckSummary } from '../../src/runs/check-run';
import { uniqueId } from '../support/databases';

type SqliteDatabase = { exec(sql: string): void; close(): void };
// The driver the SQLite adapter runs on (it ships no types of its own).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => SqliteDatabase;

describe('log level of a command', () => {
  it('on a terminal shows only warnings and errors unless LOG_LEVEL is set; elsewhere as LOG_LEVEL says', () => {
    expect(cliLogLevel({ logLevel: 'info', logLevelSet: false }, true)).toBe('warn');
    expect(cliLogLevel({ logLevel: 'info', logLevelSet: false }, false)).toBe('info');
    expect(cliLogLevel({ logLevel: 'debug', logLevelSet: true }, true)).toBe('debug');
    expect(cliLogLevel({ logLevel: 'info', logLevelSet: true }, true)).toBe('info');
  });
});

describe('colours', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('only on a terminal, and never with NO_COLOR', () => {
    delete process.env.NO_COLOR;
    expect(useColour({ isTTY: true })).toBe(true);
    expect(useColour({ isTTY: false })).toBe(false);
    expect(useColour({})).toBe(false);
    process.env.NO_COLOR = '1';
    expect(useColour({ isTTY: true })).toBe(false);
  });

  it('the check report is plain text unless asked for colour', () => {
    const summary: CheckSummary = {
      workspaceId: 'T1',
      today: '2026-11-28',
      timeZone: 'UTC',
      now: new Date('2026-11-28T09:00:00Z'),
      dryRun: true,
      counts: { connections: 1, findings: 1, created: 1, reopened: 0, resolved: 0, stillOpen: 0, heldBack: 0, reclaimed: 0 },
      warnings: [
        {
          workspace: 'T1',
          connectionId: 1,
          connection: 'Acme',
          network: 'linkedin',
          kind: 'expiry',
          stage: '1d',
          severity: 'critical',
          dueAt: '2026-11-29',
          message: 'm',
          advice: 'a',
          reopened: false,
        },
      ],
      problems: [],
      outageNetworks: [],
      delivery: null,
    };
    expect(formatSummary(summary, 'Acme')).not.toContain('\x1b[');
    expect(formatSummary(summary, 'Acme', { colour: true })).toContain('\x1b[31mCRITICAL');
  });
});

describe('failures before a command can start', () => {
  it('a read-only SQLite file (the driver’s own error) is one sentence', () => {
    const file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('ro')}.db`);
    new Database(file).close();
    const readOnly = new Database(file, { readonly: true });
    let caught: unknown;
    try {
      readOnly.exec('CREATE TABLE t (x INTEGER)');
    } catch (error) {
      caught = error;
    } finally {
      readOnly.close();
      fs.rmSync(file, { force: true });
    }
    expect(describeStartupError(caught)).toBe('cannot use the database: the database file is read-only: give the process write access to it and its folder');
    // As Prisma's driver adapter reports it.
    expect(describeStartupError(new Error('Invalid `prisma.workspace.update()` invocation:\n\nattempt to write a readonly database'))).toMatch(/read-only/);
  });

  it('file-system errors name the path and the cause; other errors are not hidden', () => {
    const error = Object.assign(new Error('EEXIST: file already exists, mkdir'), { code: 'EEXIST', path: '/srv/ck/data' });
    expect(describeStartupError(error)).toBe('cannot create the database at /srv/ck/data: a file is in the way of a folder the database path needs (EEXIST)');
    expect(describeStartupError(new TypeError('x is not a function'))).toBeNull();
  });
});

describe('instrumentSlackClient', () => {
  it('counts calls through method namespaces and apiCall, with Slack’s error code as the outcome', async () => {
    const metrics = new Metrics({ processMetrics: false });
    let t = 0;
    const client = {
      chat: { postMessage: async () => ({ ok: true }) },
      users: { info: async () => Promise.reject(Object.assign(new Error('An API error occurred: user_not_found'), { data: { error: 'user_not_found' } })) },
      apiCall: async (method: string) => ({ ok: true, method }),
    };
    const counted = instrumentSlackClient(client, metrics, () => (t += 250));
    await counted.chat.postMessage();
    await expect(counted.users.info()).rejects.toThrow('user_not_found');
    await counted.apiCall('auth.test');
    const text = await metrics.text();
    expect(text).toContain('channel_keeper_slack_api_calls_total{method="chat.postMessage",outcome="ok"} 1');
    expect(text).toContain('channel_keeper_slack_api_calls_total{method="users.info",outcome="user_not_found"} 1');
    expect(text).toContain('channel_keeper_slack_api_calls_total{method="auth.test",outcome="ok"} 1');
    expect(text).toContain('channel_keeper_slack_api_call_duration_seconds_sum{method="chat.postMessage"} 0.25');
  });
});

describe('an unexpected error', () => {
  it('is one line with exit 2, and says how to see where it happened', async () => {
    const err: string[] = [];
    const broken = defineCommand({
      name: 'broken',
      summary: 'fails',
      examples: ['broken'],
      action: async () => {
        throw new Error('Invalid `prisma.workspace.findMany()` invocation:\n\n\nsomething deep went wrong');
      },
    });
    const saved = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    try {
      expect(await broken.run([], { out: () => undefined, err: (t) => void err.push(t) })).toBe(2);
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
    expect(err).toEqual(['channel-keeper broken: unexpected error: something deep went wrong (LOG_LEVEL=debug shows where)']);
  });
});
