import { DatabaseUnavailableError } from '../errors';
import { redactUrl, type DatabaseTarget } from './database-url';

/**
 * A database without tables (a fresh SQLite file, a new PostgreSQL database) fails on the first
 * query: Prisma's "table does not exist" (P2021) for its own queries, the driver's own words for plain
 * SQL (SQLite "no such table", PostgreSQL 42P01 "relation … does not exist"). Said as one line with the
 * fix, exit 2.
 */
export async function withMigratedDatabase<T>(target: DatabaseTarget, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isMissingTable(error)) {
      throw new DatabaseUnavailableError(`the database at ${redactUrl(target.url)} has no tables yet: run "npx channel-keeper migrate" first`);
    }
    throw error;
  }
}

export function isMissingTable(error: unknown): boolean {
  const { code, message, meta } = (error ?? {}) as { code?: string; message?: string; meta?: { code?: string } };
  if (code === 'P2021') return true;
  if (code !== 'P2010') return false;
  return meta?.code === '42P01' || /no such table|relation "[^"]+" does not exist/.test(message ?? '');
}
