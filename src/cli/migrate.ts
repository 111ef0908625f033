import { DATABASE_VARIABLES } from '../config';
import { redactUrl } from '../store/database-url';
import { defineCommand } from './command';
import { commandConfig } from './context';
import { count } from '../words';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'apply pending database migrations',
  description: 'Apply pending database migrations (idempotent; serve does this too). Creates the SQLite file and its folder when missing.',
  examples: ['migrate', 'migrate   # with DATABASE_URL=postgresql://ck@db.internal:5432/ck'],
  async action({ io }) {
    const { database } = commandConfig(DATABASE_VARIABLES);
    const { migrate } = await import('../store/migrate');
    const applied = await migrate(database);
    io.err(
      applied.length
        ? `applied ${count(applied.length, 'migration')} to ${redactUrl(database.url)}: ${applied.join(', ')}`
        : `${redactUrl(database.url)} is up to date: no migration to apply`,
    );
    return 0;
  },
});
