import { Option } from 'commander';
import { DATABASE_VARIABLES } from '../config';
import { EXPORT_FORMATS, type ExportFormat } from '../transfer/columns';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';

export const exportCommand = defineCommand({
  name: 'export',
  summary: "print a workspace's channels (CSV: the import format), or its upcoming deadlines as iCalendar",
  description:
    "Print a workspace's connections in the import columns, as CSV (the import format) or JSON; or, with --format ics, every upcoming deadline (expiry, refresh due, inactivity) as calendar events with a reminder.",
  examples: [
    'export --workspace T0123ABCD > channels.csv',
    'export --workspace T0123ABCD --format json',
    'export --workspace T0123ABCD --format ics > deadlines.ics',
  ],
  configure: (command) =>
    command
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('csv')),
  async action({ opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const format = opts.format as ExportFormat;
    const config = commandConfig(DATABASE_VARIABLES);
    const [{ exportCalendar }, { exportConnections }] = await Promise.all([import('../services/calendar'), import('../services/export-connections')]);
    // The text ends with a newline, so io.out adds none: stdout is the file, byte for byte.
    io.out(
      await withStore(config, (store) => (format === 'ics' ? exportCalendar(store, workspaceId, new Date()) : exportConnections(store, workspaceId, format))),
    );
    return 0;
  },
});
