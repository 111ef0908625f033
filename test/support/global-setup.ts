/**
 * Once per jest run: a migrated SQLite template (each test file copies it: a fresh file per file)
 * and, unless TEST_DATABASES=sqlite, a fresh PostgreSQL database for this run, dropped in teardown.
 * PostgreSQL being unreachable fails the run: it is never silently skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { applyMigrations } from '../../src/store/migrations/migrations';
import { buildIfStale } from './build-once';

export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function globalSetup(): Promise<void> {
  buildIfStale();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-test-'));
  const template = path.join(dir, 'template.db');
  await applyMigrations(parseDatabaseUrl(`file:${template}`));
  process.env.CK_TEST_DIR = dir;
  process.env.CK_SQLITE_TEMPLATE = template;

  if (enabledDatabases().includes('postgresql')) {
    const name = `ck_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: ADMIN_URL });
    try {
      await admin.connect();
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at ${ADMIN_URL} (${(error as Error).message}). Start it, point TEST_POSTGRES_URL at one, or run SQLite only with TEST_DATABASES=sqlite.`,
      );
    }
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    process.env.CK_POSTGRES_URL = url.toString();
    process.env.CK_POSTGRES_DB = name;
    await applyMigrations(parseDatabaseUrl(url.toString()));
  }
}

export function enabledDatabases(): ('sqlite' | 'postgresql')[] {
  const wanted = (process.env.TEST_DATABASES ?? 'sqlite,postgresql').split(',').map((s) => s.trim());
  return (['sqlite', 'postgresql'] as const).filter((p) => wanted.includes(p) || (p === 'postgresql' && wanted.includes('postgres')));
}
