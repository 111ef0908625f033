import { DATABASE_VARIABLES } from '../config';
import { ValidationError } from '../errors';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'import channels from a CSV file (all or nothing)',
  description:
    'Import connections from a CSV file: every row is checked first and nothing is written if any is bad; importing the same file twice changes nothing. stdout gets one JSON line of counts; stderr what a person reads.',
  examples: ['import channels.csv --workspace T0123ABCD --dry-run', 'import channels.csv --workspace T0123ABCD'],
  configure: (command) =>
    command
      .argument('<file.csv>', 'the CSV file (header required; columns in docs/command-line.md, "CSV columns")')
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--dry-run', 'check every row and say what would change; write nothing')
      .option('--verbose', 'list every bad, updated (and in a dry run, created) row, not the first 20'),
  async action({ args, opts, io }) {
    const file = args[0];
    if (!file) throw new ValidationError('import takes one CSV file');
    const values = { 'dry-run': opts.dryRun === true, verbose: opts.verbose === true };
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    // The parser and the import are loaded here, not for `--help` (start-up).
    const [{ importConnections }, { csvImportSource }, { openCsvFile }, { importReport, importResultJson, problemsReport, ProgressLine }] = await Promise.all([
      import('../services/import-connections'),
      import('../transfer/import-source'),
      import('../transfer/read-file'),
      import('./import-report'),
    ]);
    // The file before the database: a typo in its name should not wait on a connection.
    const csv = openCsvFile(file);
    const progress = new ProgressLine(process.stderr);
    const listLimit = values.verbose ? Infinity : undefined;
    const source = csvImportSource(csv, {
      keepProblems: listLimit ?? 20,
      onCheckProgress: (p) => progress.update('checking', p.rows, p.totalBytes ? p.bytesRead / p.totalBytes : null),
    });
    const config = commandConfig(DATABASE_VARIABLES);
    return withStore(config, async (store) => {
      const options = {
        workspaceId,
        source,
        dryRun: values['dry-run'],
        listLimit,
        onProgress: (done: number, total: number) => progress.update(values['dry-run'] ? 'planning' : 'writing', done, total ? done / total : null, total),
      };
      const result = await importConnections({ store, now: () => new Date() }, options).finally(() => progress.clear());
      if (!result.ok) {
        io.err(problemsReport(file, result.problemCount, result.problems));
        return 1;
      }
      io.out(importResultJson(result.summary));
      io.err(importReport(file, result.summary));
      return 0;
    });
  },
});
