/** Apply pending migrations, reporting an unreachable database as one clear line. */
import { DatabaseUnavailableError } from '../errors';
import { assertReachable, createDb } from './client';
import { DatabaseTarget } from './database-url';
import { applyMigrations } from './migrations/migrations';
import { recomputeNameKeys } from './name-keys';

/** `now` stamps the one-time data steps (see name-keys.ts). */
export async function migrate(target: DatabaseTarget, now: Date = new Date()): Promise<string[]> {
  const db = createDb(target);
  try {
    await assertReachable(db, target);
    // Write-ahead logging: readers do not block the writer (a `check` beside a running `serve`) and
    // commits are cheaper. The mode is stored in the database file, so setting it here lasts.
    if (target.provider === 'sqlite') await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  } finally {
    await db.$disconnect();
  }
  let applied: string[];
  try {
    applied = await applyMigrations(target);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(`migration failed: ${(error as Error).message}`);
  }
  const keys = createDb(target);
  try {
    await recomputeNameKeys(keys, now);
  } finally {
    await keys.$disconnect();
  }
  return applied;
}
