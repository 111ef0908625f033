/**
 * Runs a suite against every enabled database: SQLite (a fresh copy of the migrated template per
 * test file) and PostgreSQL (the run's own database). Tests make their own uniquely named
 * workspaces, so files sharing the PostgreSQL database never see each other's rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseDatabaseUrl, DatabaseTarget } from '../../src/store/database-url';
import { openStore, Store } from '../../src/store/store';
import { enabledDatabases } from './global-setup';

export type Provider = 'sqlite' | 'postgresql';

export interface TestDatabase {
  provider: Provider;
  target: DatabaseTarget;
  store: Store;
}

export function freshTarget(provider: Provider): DatabaseTarget {
  if (provider === 'postgresql') {
    const url = process.env.CK_POSTGRES_URL;
    if (!url) throw new Error('CK_POSTGRES_URL is not set: test/support/global-setup.ts did not run');
    return parseDatabaseUrl(url);
  }
  const file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('db')}.db`);
  fs.copyFileSync(process.env.CK_SQLITE_TEMPLATE!, file);
  return parseDatabaseUrl(`file:${file}`);
}

/** `describe` once per database; `db()` is ready inside tests. */
export function describeEachDatabase(title: string, body: (db: () => TestDatabase) => void): void {
  describe.each(enabledDatabases())(`${title} [%s]`, (provider) => {
    let current: TestDatabase | undefined;
    beforeAll(() => {
      const target = freshTarget(provider);
      current = { provider, target, store: openStore(target) };
    });
    afterAll(async () => {
      await current?.store.close();
      if (current?.target.filePath) fs.rmSync(current.target.filePath, { force: true });
    });
    body(() => {
      if (!current) throw new Error('database not ready');
      return current;
    });
  });
}

export function uniqueId(prefix = 'T'): string {
  return `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;
}
