import { DatabaseUnavailableError } from '../errors';
import { redactUrl, type DatabaseTarget } from './database-url';

/**
 * A database without tables (a fresh SQLite file, a new PostgreSQL database) fails on the first
 * query with Prisma's "table does not exist" (P2021). Said as one line with the fix, exit 2.
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

/** The ORM says P2021; a plain SQL read says P2010 with the database's own words. */
function isMissingTable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'P2021') return true;
  return e?.code === 'P2010' && /no such table|relation "[^"]+" does not exist/.test(e.message ?? '');
}
