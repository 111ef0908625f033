import path from 'node:path';
import { ValidationError } from '../errors';
import { defineCommand } from './command';

/**
 * `npm run db:migration -- <name>` (a developer command, hidden from the help): writes the next
 * migration for SQLite and PostgreSQL from the schema, computed by the WebAssembly schema engine
 * against throwaway databases. PostgreSQL's is made on the server MIGRATION_POSTGRES_URL names
 * (default: the local one).
 */
export const makeMigrationCommand = defineCommand({
  name: 'make-migration',
  summary: 'write the next migration for both databases (developers: npm run db:migration -- <name>)',
  hidden: true,
  examples: ['make-migration add_notes'],
  configure: (command) => command.argument('<name>', 'the migration name, snake_case'),
  async action({ args, io }) {
    const name = args[0] ?? '';
    if (!/^[a-z0-9_]+$/.test(name)) throw new ValidationError('give the migration a snake_case name, e.g. npm run db:migration -- add_notes');
    const serverUrl = process.env.MIGRATION_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    const now = new Date();
    const [{ diffSinceLastMigration, writeMigration }, { withScratchDatabase }] = await Promise.all([
      import('../store/migrations/migrations'),
      import('../store/migrations/scratch'),
    ]);
    for (const provider of ['sqlite', 'postgresql'] as const) {
      const sql = await withScratchDatabase(provider, serverUrl, diffSinceLastMigration);
      if (isEmptyMigration(sql)) {
        io.err(`${provider}: the schema matches the migrations; nothing written`);
        continue;
      }
      io.err(`${provider}: wrote ${path.relative(process.cwd(), writeMigration(provider, name, sql, now))}`);
    }
    return 0;
  },
});

export function isEmptyMigration(sql: string): boolean {
  return !sql.trim() || sql.trim() === '-- This is an empty migration.';
}
