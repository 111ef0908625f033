/** Throwaway databases for the benchmarks: a SQLite file, or a PostgreSQL database made and dropped here. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parseDatabaseUrl } from '../src/store/database-url';
import { migrate } from '../src/store/migrate';

export type BenchProvider = 'sqlite' | 'postgresql';

export interface BenchDatabase {
  provider: BenchProvider;
  url: string;
  /** The SQLite file (SQLite only). */
  file?: string;
  /** A copy of the database as it is now (a copied file; a PostgreSQL database made from it as a template). */
  clone(): Promise<BenchDatabase>;
  drop(): Promise<void>;
}

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(provider: BenchProvider): Promise<BenchDatabase> {
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-'));
    const file = path.join(dir, 'bench.db');
    const url = `file:${file}`;
    await migrate(parseDatabaseUrl(url));
    return sqliteDatabase(file);
  }
  const name = databaseName();
  await admin(`CREATE DATABASE "${name}"`);
  const db = postgresDatabase(name);
  await migrate(parseDatabaseUrl(db.url));
  return db;
}

function sqliteDatabase(file: string): BenchDatabase {
  const dir = path.dirname(file);
  return {
    provider: 'sqlite',
    url: `file:${file}`,
    file,
    async clone() {
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-')), 'bench.db');
      // The seed closed its connection, so the WAL was checkpointed into the file; copied too if not.
      for (const suffix of ['', '-wal']) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
      return sqliteDatabase(copy);
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function databaseName(): string {
  return `ck_bench_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

function postgresDatabase(name: string): BenchDatabase {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    provider: 'postgresql',
    url: url.toString(),
    async clone() {
      const copy = databaseName();
      await admin(`CREATE DATABASE "${copy}" TEMPLATE "${name}"`);
      return postgresDatabase(copy);
    },
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Whether PostgreSQL answers; the benchmarks on it are left out (and said so) when it does not. */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The databases a benchmark runs on: BENCH_DATABASES (default both), PostgreSQL left out, and
 * said so, when it does not answer.
 */
export async function benchProviders(log: (line: string) => void): Promise<BenchProvider[]> {
  const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgresql').split(',');
  const providers = (['sqlite', 'postgresql'] as const).filter((p) => wanted.includes(p));
  if (providers.includes('postgresql') && !(await postgresReachable())) {
    log('PostgreSQL is not reachable (BENCH_POSTGRES_URL): its figures are left out');
    return providers.filter((p) => p !== 'postgresql');
  }
  return providers;
}
