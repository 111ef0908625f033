/** Which database a DATABASE_URL selects, checked up front so a typo is one clear line, not a stack trace. */
import path from 'node:path';
import { ConfigError } from '../errors';

export type DatabaseProvider = 'sqlite' | 'postgresql';

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** For SQLite: the `file:` URL with an absolute path; for PostgreSQL: the URL as given. */
  url: string;
  /** SQLite only: the database file's absolute path. */
  filePath?: string;
}

export const DEFAULT_DATABASE_URL = 'file:./data/channel-keeper.db';

export function parseDatabaseUrl(raw: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = (raw ?? '').trim() || DEFAULT_DATABASE_URL;
  if (value.startsWith('file:')) {
    const file = value.slice('file:'.length).split('?')[0] ?? '';
    if (!file) throw new ConfigError(`DATABASE_URL "${value}" names no file: use file:./data/channel-keeper.db`);
    const filePath = path.resolve(cwd, file);
    return { provider: 'sqlite', url: `file:${filePath}`, filePath };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid PostgreSQL URL: expected postgresql://user@host:5432/database`);
    }
    if (!parsed.hostname || parsed.pathname.length <= 1) {
      throw new ConfigError(`DATABASE_URL must name a host and a database: postgresql://user@host:5432/database`);
    }
    return { provider: 'postgresql', url: value };
  }
  throw new ConfigError(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${redactUrl(value)}"`);
}

/** A URL safe to print: any password is replaced. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
