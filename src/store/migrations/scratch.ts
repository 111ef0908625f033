/** Throwaway databases for computing migrations: a temporary SQLite file, or a PostgreSQL database created and dropped. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseProvider, DatabaseTarget, parseDatabaseUrl } from '../database-url';

/** `serverUrl` (PostgreSQL only) is any database on the server; the scratch database is made beside it. */
export async function withScratchDatabase<T>(provider: DatabaseProvider, serverUrl: string, work: (target: DatabaseTarget) => Promise<T>): Promise<T> {
  if (provider === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-scratch-'));
    try {
      return await work(parseDatabaseUrl(`file:${path.join(dir, 'scratch.db')}`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `ck_scratch_${randomUUID().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(parseDatabaseUrl(url.toString()));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
