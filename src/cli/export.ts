import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ValidationError } from '../errors';
import { openStore } from '../store';
import { exportCalendar } from '../services/calendar';
import { exportConnections } from '../services/export-connections';
import { EXPORT_FORMATS, ExportFormat, checkWorkspaceId } from '../transfer';
import { withMigratedDatabase } from '../store/unmigrated';
import { CliCommand } from './command';

const USAGE = 'export --workspace <id> [--format csv|json|ics]';

export const exportCommand: CliCommand = {
  name: 'export',
  usage: USAGE,
  summary: "print a workspace's channels as CSV (the import format) or JSON, or its upcoming deadlines as iCalendar (ics)",
  async run(args, io) {
    const { values } = parseArgs({ args, options: { workspace: { type: 'string' }, format: { type: 'string', default: 'csv' } }, strict: true });
    if (!values.workspace) throw new ValidationError(`--workspace <id> is required (usage: channel-keeper ${USAGE})`);
    const format = values.format;
    if (!isExportFormat(format)) throw new ValidationError(`--format must be ${EXPORT_FORMATS.join(' or ')}; got "${format}"`);
    const workspaceId = checkWorkspaceId(values.workspace);
    const { database } = loadConfig();
    const store = openStore(database);
    try {
      await store.ping();
      // The text ends with a newline, so io.out adds none: stdout is the file, byte for byte.
      const text = () => (format === 'ics' ? exportCalendar(store, workspaceId, new Date()) : exportConnections(store, workspaceId, format));
      io.out(await withMigratedDatabase(database, text));
      return 0;
    } finally {
      await store.close();
    }
  },
};

function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
