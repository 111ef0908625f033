import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Option } from 'commander';
import { DATABASE_VARIABLES } from '../config';
import { EXPORT_FORMATS, type ExportFormat } from '../transfer/columns';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand, type CliIo } from './command';
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
    const [{ openCalendarExport }, { openConnectionsExport }] = await Promise.all([import('../services/calendar'), import('../services/export-connections')]);
    await withStore(config, async (store) => {
      const text = format === 'ics' ? await openCalendarExport(store, workspaceId, new Date()) : await openConnectionsExport(store, workspaceId, format);
      await writeOut(io, text);
    });
    return 0;
  },
});

/**
 * Writes the export as it is made, waiting whenever stdout is full, so memory stays flat however
 * large the workspace. The text ends with a newline: stdout is the file, byte for byte.
 */
async function writeOut(io: CliIo, text: AsyncIterable<string>): Promise<void> {
  if (io.stdout) {
    try {
      await pipeline(Readable.from(text), io.stdout, { end: false });
    } catch (error) {
      // The reader went away (`export | head`): nothing is left to write to, which is no error of the export.
      if ((error as { code?: unknown }).code !== 'EPIPE') throw error;
    }
    return;
  }
  let whole = '';
  for await (const chunk of text) whole += chunk;
  io.out(whole);
}
