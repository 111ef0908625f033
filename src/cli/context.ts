/**
 * What commands share: the configuration they read (only the variables they use), a logger for
 * people on a terminal, and the store, opened only when the database is there to be used.
 * The logger and the store (pino, Prisma) are loaded when a command runs, not for `--help`.
 */
import fs from 'node:fs';
import { loadConfig, type Config, type ConfigVariableName } from '../config';
import { DatabaseUnavailableError } from '../errors';
import type { Logger } from '../logger';
import { redactUrl, type DatabaseTarget } from '../store/database-url';
import type { Store } from '../store/store';
import { withMigratedDatabase } from '../store/unmigrated';

export function commandConfig(uses: readonly ConfigVariableName[]): Config {
  return loadConfig(process.env, process.cwd(), uses);
}

/**
 * On a terminal a command's report is what a person reads: only warnings and errors from the logs
 * join it, unless LOG_LEVEL asks for more. Off a terminal (a pipe, a service's log) logs are as
 * LOG_LEVEL says (default info).
 */
export function cliLogLevel(config: Pick<Config, 'logLevel' | 'logLevelSet'>, terminal = process.stderr.isTTY === true): string {
  if (config.logLevelSet) return config.logLevel;
  return terminal ? 'warn' : config.logLevel;
}

export async function cliLogger(config: Config): Promise<Logger> {
  const { createLogger } = await import('../logger');
  return createLogger({ level: cliLogLevel(config), format: config.logFormat });
}

/**
 * A SQLite file that is not there yet is not created by a command that only reads or adds rows:
 * `migrate` (or `serve`) makes it, so a typo in DATABASE_URL leaves no empty file behind.
 */
export function assertDatabaseExists(target: DatabaseTarget): void {
  if (target.provider !== 'sqlite' || !target.filePath) return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target.filePath);
  } catch {
    throw new DatabaseUnavailableError(`there is no database at ${redactUrl(target.url)} yet: run "npx channel-keeper migrate" first (or check DATABASE_URL)`);
  }
  if (stat.isDirectory()) throw new DatabaseUnavailableError(`DATABASE_URL names a folder, not a database file: ${target.filePath}`);
}

/** Opens the store, checks it answers, runs `work` and closes it; a database without tables is one line. */
export async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  assertDatabaseExists(config.database);
  const { openStore } = await import('../store/store');
  const store = openStore(config.database);
  try {
    await store.ping();
    return await withMigratedDatabase(config.database, () => work(store));
  } finally {
    await store.close();
  }
}

/** Colours for a person's terminal: never off a terminal, never with NO_COLOR. */
export function useColour(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}
