import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { importConnections } from '../services/import-connections';
import { openStore } from '../store';
import { withMigratedDatabase } from '../store/unmigrated';
import { checkWorkspaceId, csvImportSource, openCsvFile } from '../transfer';
import { CliCommand } from './command';
import { importReport, importResultJson, problemsReport, ProgressLine } from './import-report';

const USAGE = 'import <file.csv> --workspace <id> [--dry-run] [--verbose]';

export const importCommand: CliCommand = {
  name: 'import',
  usage: USAGE,
  summary: 'import channels from a CSV file: every row is checked, all or nothing',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        workspace: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
    const [file, ...extra] = positionals;
    if (!file || extra.length) throw new ValidationError(`import takes one CSV file (usage: channel-keeper ${USAGE})`);
    if (!values.workspace) throw new ValidationError(`--workspace <id> is required (usage: channel-keeper ${USAGE})`);
    const workspaceId = checkWorkspaceId(values.workspace);
    // The file before the database: a typo in its name should not wait on a connection.
    const csv = openCsvFile(file);
    const progress = new ProgressLine(process.stderr);
    const listLimit = values.verbose ? Infinity : undefined;
    const source = csvImportSource(csv, {
      keepProblems: listLimit ?? 20,
      onCheckProgress: (p) => progress.update('checking', p.rows, p.totalBytes ? p.bytesRead / p.totalBytes : null),
    });
    const { database } = loadConfig();
    const store = openStore(database);
    try {
      await store.ping();
      const options = {
        workspaceId,
        source,
        dryRun: values['dry-run'],
        listLimit,
        onProgress: (done: number, total: number) => progress.update(values['dry-run'] ? 'planning' : 'writing', done, total ? done / total : null, total),
      };
      const result = await withMigratedDatabase(database, () => importConnections({ store, now: () => new Date() }, options)).finally(() => progress.clear());
      if (!result.ok) {
        io.err(problemsReport(file, result.problemCount, result.problems));
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
