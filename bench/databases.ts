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
  drop(): Promise<void>;
}

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function freshDatabase(provider: BenchProvider): Promise<BenchDatabase> {
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-'));
    const file = path.join(dir, 'bench.db');
    const url = `file:${file}`;
    await migrate(parseDatabaseUrl(url));
    return { provider, url, file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ck_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await migrate(parseDatabaseUrl(url.toString()));
  return { provider, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
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
