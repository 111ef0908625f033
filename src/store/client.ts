/**
 * Opens Prisma for a DATABASE_URL with the matching driver adapter (Prisma 7 needs no native
 * engine at run time). Both generated clients come from one schema, so they share one shape:
 * the rest of src/store is written against the SQLite client's type. Also here: transactions
 * (joined when already inside one) and the translation of Prisma's errors into the project's own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client';
import { ConflictError, DatabaseUnavailableError, NotFoundError } from '../errors';
import { DatabaseTarget, redactUrl } from './database-url';
import { newSqliteReads, SQLITE_READS, useConnection, type SqliteConnection } from './raw-read';

export type Db = SqliteClient;

/** How long a SQLite statement waits for another connection's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/** Marks a SQLite client (a constant key on the client itself: no registry). */
const SQLITE = Symbol('sqlite');
/** The client inside an interactive transaction. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export function adapterFactoryFor(target: DatabaseTarget) {
  if (target.provider === 'sqlite') {
    fs.mkdirSync(path.dirname(target.filePath!), { recursive: true });
    // Wait for another process's write lock (an import, a `check` beside `serve`) instead of failing
    // at once; better-sqlite3's busy wait blocks the thread, so not for long.
    return new PrismaBetterSqlite3({ url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  // Parsed into fields rather than passed as a connection string: the migration engine's shadow
  // database overrides `database`, which a connection string would silently win over.
  return new PrismaPg(parseIntoClientConfig(target.url));
}

/** `watch`: refuse every statement once the SQLite file was deleted or replaced (see SqliteFileWatch). */
export function createDb(target: DatabaseTarget, watch?: SqliteFileWatch | null): Db {
  const base = adapterFactoryFor(target);
  if (base instanceof PrismaBetterSqlite3) {
    // The check's bulk reads use the adapter's own connection (src/store/raw-read.ts): kept when Prisma opens it.
    const reads = newSqliteReads();
    const connect = base.connect.bind(base);
    base.connect = async () => {
      const opened = await connect();
      useConnection(reads, (opened as unknown as { client: SqliteConnection }).client);
      return opened;
    };
    // The file watch wraps the connection last, so every statement Prisma sends passes it.
    const client = new SqliteClient({ adapter: watch ? watchedFactory(base, watch) : base });
    Object.defineProperty(client, SQLITE, { value: true });
    Object.defineProperty(client, SQLITE_READS, { value: reads });
    // In write-ahead-log mode (set at migrate) NORMAL syncs at checkpoints, not at every commit: a
    // crash cannot corrupt the file, at worst the last commits before a power loss are lost.
    client.$queryRawUnsafe('PRAGMA synchronous = NORMAL').catch(() => undefined);
    return client;
  }
  return new PostgresClient({ adapter: base }) as unknown as Db;
}

/** Fails fast with one line naming the database when it cannot be reached. */
export async function assertReachable(db: Db, target: DatabaseTarget): Promise<void> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot reach the database at ${redactUrl(target.url)}: ${describeDbError(error)}`);
  }
}

export function describeDbError(error: unknown): string {
  const e = error as { message?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  const lines = (e?.message ?? String(error))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  // Prisma puts the driver's own words last ("Message: `Can't reach database server at …`").
  const driverMessage = lines.at(-1)?.match(/Message: `(.*)`/)?.[1];
  const kind = e?.meta?.driverAdapterError?.cause?.kind;
  return driverMessage ?? kind ?? lines.at(-1) ?? 'unknown error';
}

/** Runs `work` in a transaction, joining the caller's when `db` already is one (Prisma cannot nest them). */
export async function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if ('$transaction' in db && typeof db.$transaction === 'function') {
    const sqlite = (db as unknown as Record<symbol, unknown>)[SQLITE] === true;
    return (db as Db).$transaction(
      async (tx) => {
        // SQLite: take the write lock first (a write statement matching no row), so the busy timeout
        // covers it. A transaction that read first and then waited for the lock would fail at
        // once when the other writer commits: its snapshot is stale (SQLITE_BUSY_SNAPSHOT).
        if (sqlite) await tx.$executeRawUnsafe('UPDATE "SchedulerRun" SET "key" = "key" WHERE 0 = 1');
        return work(tx);
      },
      { timeout: options.timeoutMs ?? 30_000, maxWait: 10_000 },
    );
  }
  return work(db as Tx);
}

// Prisma's errors become the project's own, so no raw Prisma error leaves src/store.

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'P2002';
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: string })?.code === 'P2025';
}

/** Runs `work`; a unique violation becomes ConflictError(conflict), a missing row NotFoundError(missing). */
export async function translate<T>(work: () => Promise<T>, messages: { conflict?: string; missing?: string; mentions?: readonly string[] }): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const options = { mentions: messages.mentions ?? [] };
    if (messages.conflict && isUniqueViolation(error)) throw new ConflictError(messages.conflict, options);
    if (messages.missing && isNotFound(error)) throw new NotFoundError(messages.missing, options);
    throw error;
  }
}

export interface TransactionOptions {
  /** How long the transaction may stay open before the database rolls it back (default 30 s). */
  timeoutMs?: number;
}

/**
 * Notices a SQLite file deleted or replaced under a running process (the process would otherwise
 * keep writing into the unlinked file, and the next start would begin empty): the file's device
 * and inode when first seen, compared before every statement (one stat, a few microseconds) and on
 * every health check. `serve` exits when it trips (docs/operations.md, "Deploy").
 */
export class SqliteFileWatch {
  private seen: { dev: number; ino: number } | null;

  constructor(private readonly filePath: string) {
    this.seen = identityOf(filePath);
  }

  /** Throws DatabaseUnavailableError when the file is gone or is another file now. */
  check(): void {
    const now = identityOf(this.filePath);
    if (this.seen === null) {
      this.seen = now;
      return;
    }
    if (now === null) throw new DatabaseUnavailableError(`the database file ${this.filePath} was deleted; restore it and restart`);
    if (now.dev !== this.seen.dev || now.ino !== this.seen.ino) {
      throw new DatabaseUnavailableError(`the database file ${this.filePath} was replaced by another file; restart to use it`);
    }
  }
}

type SqliteFactory = PrismaBetterSqlite3;
type SqliteAdapter = Awaited<ReturnType<SqliteFactory['connect']>>;
const STATEMENTS: ReadonlySet<PropertyKey> = new Set(['queryRaw', 'executeRaw', 'executeScript', 'startTransaction']);

/** The driver adapter with the file checked before each statement and transaction. */
function watchedFactory(factory: SqliteFactory, watch: SqliteFileWatch): SqliteFactory {
  const guard = (adapter: SqliteAdapter): SqliteAdapter =>
    new Proxy(adapter, {
      get(target, property) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        if (!STATEMENTS.has(property)) return value.bind(target);
        return (...args: unknown[]) => {
          watch.check();
          return value.apply(target, args);
        };
      },
    });
  return new Proxy(factory, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'connect') return async () => guard(await target.connect());
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function identityOf(file: string): { dev: number; ino: number } | null {
  try {
    const stat = fs.statSync(file);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return null;
  }
}
