/** Runs the real `channel-keeper` binary against a fresh SQLite copy of the migrated template. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { uniqueId } from '../support/databases';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = path.join(__dirname, '../../bin/channel-keeper.js');

export function freshDatabaseUrl(): string {
  const file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('cli')}.db`);
  fs.copyFileSync(process.env.CK_SQLITE_TEMPLATE!, file);
  return `file:${file}`;
}

export function writeTempFile(name: string, content: string | Buffer): string {
  const file = path.join(process.env.CK_TEST_DIR!, `${uniqueId('f')}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

export function runCli(args: string[], databaseUrl: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
    execFile(process.execPath, [BIN, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
