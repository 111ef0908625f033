import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { redactUrl } from '../store/database-url';
import { migrate } from '../store/migrate';
import { CliCommand } from './command';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'apply pending database migrations (serve does this too)',
  async run(args, io) {
    parseArgs({ args, options: {}, strict: true });
    const { database } = loadConfig();
    const applied = await migrate(database);
    io.err(
      applied.length
        ? `applied ${applied.length} migration(s) to ${redactUrl(database.url)}: ${applied.join(', ')}`
        : `${redactUrl(database.url)} is up to date: no migration to apply`,
    );
    return 0;
  },
};
