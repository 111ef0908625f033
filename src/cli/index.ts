/**
 * `channel-keeper <command>`: one file per command, put together on commander (src/cli/command.ts).
 * Errors the user can fix (usage, configuration, a database that cannot be used) print one line
 * and exit with code 2.
 */
import { checkCommand } from './check';
import { CliCommand, CliIo, processIo, runProgram } from './command';
import { demoCommand } from './demo';
import { exportCommand } from './export';
import { importCommand } from './import';
import { makeMigrationCommand } from './make-migration';
import { migrateCommand } from './migrate';
import { reportCommand } from './report';
import { rolesCommand } from './roles';
import { serveCommand } from './serve';
import { settingsCommand } from './settings';
import { sourcesCommand } from './sources';
import { syncCommand } from './sync';
import { tokensCommand } from './tokens';
import { workspacesCommand } from './workspaces';

/** In the order the help lists them; hidden ones (developer commands) are left out of it. */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  checkCommand,
  workspacesCommand,
  importCommand,
  exportCommand,
  reportCommand,
  settingsCommand,
  rolesCommand,
  sourcesCommand,
  tokensCommand,
  syncCommand,
  migrateCommand,
  demoCommand,
  makeMigrationCommand,
];

export function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(COMMANDS, argv, io);
}
