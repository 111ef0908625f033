/**
 * Errors a command meets before it can do anything useful, said as one line (exit 2) instead of a
 * stack trace: a database path that cannot be created (a folder that is a file), a read-only or
 * unusable database file (`file:/dev/null`), a database without tables.
 */
import { isMissingTable } from '../store/unmigrated';

const FILE_ERRORS: Record<string, string> = {
  EEXIST: 'a file is in the way of a folder the database path needs',
  ENOTDIR: 'a part of the database path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

const SQLITE_PATTERNS: [RegExp, string][] = [
  [/readonly database|SQLITE_READONLY/i, 'the database file is read-only: give the process write access to it and its folder'],
  [/file is not a database|SQLITE_NOTADB/i, 'the file is not a SQLite database'],
  [/unable to open database|SQLITE_CANTOPEN/i, 'the database file cannot be opened'],
  [/disk I\/O error|SQLITE_IOERR/i, 'the database file cannot be read or written (disk I/O error); is DATABASE_URL a regular file?'],
];

export function describeStartupError(error: unknown): string | null {
  if (isMissingTable(error)) return 'the database has no tables yet: run "npx channel-keeper migrate" first';
  const e = (error ?? {}) as { code?: unknown; path?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  if (typeof e.code === 'string' && FILE_ERRORS[e.code]) {
    return `cannot create the database${typeof e.path === 'string' ? ` at ${e.path}` : ''}: ${FILE_ERRORS[e.code]} (${e.code})`;
  }
  for (const [pattern, said] of SQLITE_PATTERNS) if (pattern.test(message) || pattern.test(String(e.code ?? ''))) return `cannot use the database: ${said}`;
  return null;
}

/** An error's message as one line (Prisma's run over several: the last non-empty one says why). */
export function firstLine(error: unknown): string {
  const lines = String((error as Error)?.message ?? error)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length > 1 && /^Invalid `prisma/.test(lines[0]!) ? lines.at(-1)! : (lines[0] ?? 'unknown error');
}
