/** Apply pending migrations, reporting an unreachable database as one clear line. */
import { DatabaseUnavailableError } from '../errors';
import { assertReachable, createDb } from './client';
import { DatabaseTarget } from './database-url';
import { applyMigrations } from './migrations/migrations';

export async function migrate(target: DatabaseTarget): Promise<string[]> {
  const db = createDb(target);
  try {
    await assertReachable(db, target);
  } finally {
    await db.$disconnect();
  }
  try {
    return await applyMigrations(target);
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) throw error;
    throw new DatabaseUnavailableError(`migration failed: ${(error as Error).message}`);
  }
}
