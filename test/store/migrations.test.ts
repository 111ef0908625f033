/**
 * Migrations through the WebAssembly schema engine, and the CLI's one-line failures.
 * Runs the real `channel-keeper` binary, as a user would.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { isEmptyMigration } from '../../src/cli/make-migration';
import { withScratchDatabase } from '../../src/store/migrations/scratch';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { applyMigrations, diffSinceLastMigration, schemaPathFor } from '../../src/store/migrations/migrations';
import { openSchemaEngine, schemaEngineVersion } from '../../src/store/migrations/schema-engine';
import { enabledDatabases } from '../support/global-setup';
import { uniqueId } from '../support/databases';

const run = promisify(execFile);
const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'channel-keeper.js');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Every migration folder of a provider: a new database gets them all. */
function migrationsOf(provider: 'sqlite' | 'postgresql'): string[] {
  const dir = path.join(root, 'prisma', 'migrations', provider);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

const TABLES = [
  'AuditEvent',
  'BackupAdmin',
  'Connection',
  'ConnectionHealth',
  'ConnectionObservation',
  'EscalationMessage',
  'ImportStage',
  'Installation',
  'Member',
  'OAuthState',
  'PostedMessage',
  'PostedMessageWarning',
  'ProcessedEvent',
  'SchedulerRun',
  'Source',
  'SourceOAuthState',
  'StatusCanvas',
  'Warning',
  'Workspace',
  '_prisma_migrations',
];

describe('channel-keeper migrate', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-migrate-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates every table on a new SQLite file, then applies nothing the second time', async () => {
    const url = `file:${path.join(dir, 'nested', 'new.db')}`;
    const first = await cli(['migrate'], { DATABASE_URL: url });
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toContain(`applied ${migrationsOf('sqlite').length} migrations`);
    const second = await cli(['migrate'], { DATABASE_URL: url });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/up to date: no migration to apply/);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const sqlite = new Database(path.join(dir, 'nested', 'new.db'), { readonly: true });
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r: { name: string }) => r.name);
    const recorded = sqlite.prepare('SELECT migration_name, finished_at FROM _prisma_migrations').all();
    const journal = sqlite.pragma('journal_mode', { simple: true });
    sqlite.close();
    expect(tables).toEqual(TABLES);
    expect(recorded.map((r: { migration_name: string }) => r.migration_name).sort()).toEqual(migrationsOf('sqlite'));
    expect(recorded.every((r: { finished_at: unknown }) => r.finished_at !== null)).toBe(true);
    expect(journal).toBe('wal');
  });

  (enabledDatabases().includes('postgresql') ? it : it.skip)(
    'creates every table on a new PostgreSQL database, then applies nothing the second time',
    async () => {
      const name = `ck_migrate_${uniqueId('').toLowerCase()}`;
      const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
      const admin = new Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      try {
        const first = await cli(['migrate'], { DATABASE_URL: url.toString() });
        expect(first.code).toBe(0);
        expect(first.stderr).toContain(`applied ${migrationsOf('postgresql').length} migrations`);
        const second = await cli(['migrate'], { DATABASE_URL: url.toString() });
        expect(second.stderr).toMatch(/no migration to apply/);
        const client = new Client({ connectionString: url.toString() });
        await client.connect();
        const { rows } = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
        await client.end();
        expect(rows.map((r) => r.table_name)).toEqual(TABLES);
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    },
  );

  it.each([
    ['mysql://root@localhost/x', /DATABASE_URL must start with file: \(SQLite\) or postgresql:\/\//],
    ['postgresql://', /DATABASE_URL/],
    ['postgresql://postgres@127.0.0.1:1/nowhere', /cannot reach the database at postgresql:\/\/postgres@127\.0\.0\.1:1\/nowhere: .*127\.0\.0\.1:1/],
    ['postgresql://postgres:s3cret@127.0.0.1:5432/ck_no_such_db', /cannot reach the database .*\*\*\*.*does not exist/],
  ])('DATABASE_URL=%s: one clear line, exit code 2, no stack trace, no password', async (url, message) => {
    const result = await cli(['migrate'], { DATABASE_URL: url });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/s3cret|\bat \S+ \(/);
  });

  it('answers an unknown command with the closest one, exit code 2', async () => {
    const result = await cli(['migrat'], {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe("channel-keeper: unknown command 'migrat' (did you mean migrate?) (see channel-keeper --help)");
  });
});

describe('the schema engine', () => {
  it('is the exact version pinned in package.json', () => {
    const pinned = pkg.dependencies['@prisma/schema-engine-wasm'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+-/); // exact, no ^ or ~
    const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@prisma', 'schema-engine-wasm', 'package.json'), 'utf8')).version;
    expect(installed).toBe(pinned);
    expect(schemaEngineVersion()).toEqual(expect.any(String));
  });

  it.each(enabledDatabases())('finds nothing to add on %s: the latest migration produced the current schema', async (provider) => {
    const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const sql = await withScratchDatabase(provider, adminUrl, diffSinceLastMigration);
    expect(isEmptyMigration(sql)).toBe(true);
  });

  it('writes the SQL of a schema change (a new column) as the next migration would', async () => {
    const file = path.join(os.tmpdir(), `${uniqueId('diff')}.db`);
    const original = fs.readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    // The changed schema is handed over as text: the real file is never touched (other suites read it).
    const changed = original.replace('  notes              String?', '  notes              String?\n  nickname           String?');
    expect(changed).not.toBe(original);
    try {
      const sql = await diffSinceLastMigration(parseDatabaseUrl(`file:${file}`), changed);
      expect(sql).toMatch(/ALTER TABLE "Connection" ADD COLUMN "nickname" TEXT/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('applies the committed migrations to a database the engine then finds identical to the schema (SQLite)', async () => {
    const adminUrl = 'unused';
    await withScratchDatabase('sqlite', adminUrl, async (target) => {
      await applyMigrations(target);
      const schemaPath = schemaPathFor('sqlite');
      const files = [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }];
      const { engine, close } = await openSchemaEngine(target, schemaPath);
      try {
        const result = await engine.diff({
          from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
          to: { tag: 'schemaDatamodel', files },
          script: true,
          exitCode: null,
          filters: { externalTables: [], externalEnums: [] },
        });
        expect(isEmptyMigration(result.stdout ?? '')).toBe(true);
      } finally {
        await close();
      }
    });
  });
});
