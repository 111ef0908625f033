import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { openStore } from '../store';
import { importConnections, importReport, importResultJson, problemsReport, readCsvFile, checkWorkspaceId } from '../transfer';
import { withMigratedDatabase } from '../store/unmigrated';
import { CliCommand } from './command';

const USAGE = 'import <file.csv> --workspace <id> [--dry-run]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  summary: 'import channels from a CSV file: every row is checked, all or nothing',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { workspace: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new ValidationError(`import takes one CSV file (usage: channel-keeper ${USAGE})`);
    if (!values.workspace) throw new ValidationError(`--workspace <id> is required (usage: channel-keeper ${USAGE})`);
    checkWorkspaceId(values.workspace);
    // The file before the database: a typo in its name should not wait on a connection.
    const csv = readCsvFile(file);
    const { database } = loadConfig();
    const store = openStore(database);
    try {
      await store.ping();
      const options = { workspaceId: values.workspace, csv, now: new Date(), dryRun: values['dry-run'] };
      const result = await withMigratedDatabase(database, () => importConnections(store, options));
      if (!result.ok) {
        io.err(problemsReport(file, result.problems));
        return 1;
      }
      io.out(importResultJson(result.summary));
      io.err(importReport(file, result.summary));
      return 0;
    } finally {
      await store.close();
    }
  },
};
