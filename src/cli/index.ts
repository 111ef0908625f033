/**
 * `channel-keeper <command>`: dispatches to one file per command. Errors the user can fix
 * (configuration, an unreachable database) print one line and exit with code 2.
 */
import { ChannelKeeperError, ConfigError, DatabaseUnavailableError, ValidationError } from '../errors';
import { CliCommand, CliIo, processIo } from './command';
import { migrateCommand } from './migrate';
import { makeMigrationCommand } from './make-migration';
import { checkCommand } from './check';
import { demoCommand } from './demo';
import { settingsCommand } from './settings';
import { importCommand } from './import';
import { exportCommand } from './export';
import { serveCommand } from './serve';

const commands: CliCommand[] = [migrateCommand, makeMigrationCommand, checkCommand, demoCommand, importCommand, exportCommand, settingsCommand, serveCommand];

export function usage(): string {
  const lines = commands.filter((c) => !c.hidden).map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`);
  return ['Usage: channel-keeper <command> [options]', '', 'Commands:', ...lines].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(usage());
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`channel-keeper: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
      io.err(`channel-keeper: ${error.message}`);
      return 2;
    }
    if (error instanceof ValidationError || error instanceof ChannelKeeperError) {
      io.err(`channel-keeper: ${error.message}`);
      return 1;
    }
    if (isArgError(error)) {
      io.err(`channel-keeper ${name}: ${(error as Error).message}\nusage: channel-keeper ${command.usage}`);
      return 1;
    }
    throw error;
  }
}

/** node:util parseArgs errors (unknown option, missing value). */
function isArgError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}
