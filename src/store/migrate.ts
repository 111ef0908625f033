/** Apply pending migrations, reporting an unreachable database as one clear line. */
import { DatabaseUnavailableError } from '../errors';
import { assertReachable, createDb } from './client';
import { DatabaseTarget } from './database-url';
import { applyMigrations, readMigrationsList } from './migrations/migrations';
import { recomputeNameKeys } from './name-keys';

/** `now` stamps the one-time data steps (see name-keys.ts). */
export async function migrate(target: DatabaseTarget, now: Date = new Date()): Promise<string[]> {
  const db = createDb(target);
  let upToDate: boolean;
  try {
    await assertReachable(db, target);
    // Write-ahead logging: readers do not block the writer (a `check` beside a running `serve`) and
    // commits are cheaper. The mode is stored in the database file, so setting it here lasts.
    if (target.provider === 'sqlite') await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    upToDate = await allApplied(db, target);
  } finally {
    await db.$disconnect();
  }
  // The schema engine (WebAssembly, about 150 MB resident for the life of the process) is loaded
  // only when a migration is pending: a `serve` restarted on an up-to-date database stays small.
  let applied: string[] = [];
  try {
    if (!upToDate) applied = await applyMigrations(target);
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

/** Every migration of this build is recorded as applied (false when the table is not there yet). */
async function allApplied(db: ReturnType<typeof createDb>, target: DatabaseTarget): Promise<boolean> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    return false;
  }
  return readMigrationsList(target.provider).migrationDirectories.every((dir) => applied.has(dir.path));
}
