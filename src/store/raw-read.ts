/**
 * Bulk reads on SQLite straight through the connection Prisma's adapter opened, for the reads a
 * check pass makes per workspace (connections, backups, members, warnings). Through
 * `$queryRawUnsafe` each of them cost about twice the driver's own time (the query prepared again
 * every call, every value passed through the ORM's row mapping); here a statement is prepared once
 * and the rows keep the driver's values, turned into what Prisma returns for the same query
 * (DateTime → Date, Boolean → boolean, integers → number). Same connection, so the same data and
 * the same locks as the ORM's own reads. PostgreSQL and reads inside a transaction go through Prisma.
 * Rows are turned into records in slices that let the event loop in (`TimeSlice`): tens of
 * thousands of rows are otherwise hundreds of milliseconds in one go.
 */
import { TimeSlice } from '../yield';

/** What a Prisma client (or transaction) offers for plain reads. */
interface RawQueryable {
  $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T>;
}

/** The little of better-sqlite3's Database and Statement used here. */
export interface SqliteConnection {
  readonly open: boolean;
  prepare(sql: string): SqliteStatement;
}

interface SqliteStatement {
  readonly reader: boolean;
  safeIntegers(on: boolean): SqliteStatement;
  columns(): { name: string; type: string | null }[];
  raw(on: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[][];
}

/** A prepared read and how to turn each of its columns into Prisma's value. */
interface PreparedRead {
  statement: SqliteStatement;
  names: string[];
  convert: (((value: unknown) => unknown) | null)[];
}

/** The adapter's connection once Prisma opened it, and the reads prepared on it. */
export interface SqliteReads {
  connection: SqliteConnection | null;
  prepared: Map<string, PreparedRead>;
}

/** The key under which a SQLite client keeps its `SqliteReads` (on the client itself: no registry). */
export const SQLITE_READS = Symbol('sqlite-reads');

/** Statements kept per connection; `IN (…)` lists of every length would otherwise keep adding some. */
const MAX_PREPARED = 256;

export function newSqliteReads(): SqliteReads {
  return { connection: null, prepared: new Map() };
}

/** The connection was (re)opened: statements prepared on the old one are dropped. */
export function useConnection(reads: SqliteReads, connection: SqliteConnection): void {
  reads.connection = connection;
  reads.prepared.clear();
}

/** Prisma writes `2026-01-01T09:00:00.000+00:00`; a column default writes `2026-01-01 09:00:00` (UTC). */
function toDate(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value !== 'string') return new Date(Number(value));
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

const toBoolean = (value: unknown): unknown => (value === null ? null : Boolean(value));

function converterFor(declared: string | null): ((value: unknown) => unknown) | null {
  const type = (declared ?? '').toUpperCase();
  if (type === 'DATETIME') return toDate;
  if (type === 'BOOLEAN') return toBoolean;
  return null;
}

function prepare(reads: SqliteReads, connection: SqliteConnection, sql: string): PreparedRead {
  let read = reads.prepared.get(sql);
  if (!read) {
    const statement = connection.prepare(sql).safeIntegers(false);
    const columns = statement.columns();
    read = { statement: statement.raw(true), names: columns.map((c) => c.name), convert: columns.map((c) => converterFor(c.type)) };
    if (reads.prepared.size >= MAX_PREPARED) reads.prepared.clear();
    reads.prepared.set(sql, read);
  }
  return read;
}

/** Rows converted between two looks at the clock. */
const ROWS_PER_CHECK = 500;

function bindable(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * The rows of a read, as `$queryRawUnsafe<T>(sql, ...values)` would return them; straight through the
 * SQLite connection when `db` is a SQLite client (not a transaction) whose connection is open.
 */
export async function readRows<T>(db: RawQueryable, sql: string, values: readonly unknown[]): Promise<T[]> {
  const reads = (db as unknown as Record<symbol, SqliteReads | undefined>)[SQLITE_READS];
  const connection = reads?.connection;
  if (!reads || !connection?.open) return db.$queryRawUnsafe<T[]>(sql, ...values);
  const { statement, names, convert } = prepare(reads, connection, sql);
  const rows = statement.all(...values.map(bindable));
  const out: T[] = new Array(rows.length);
  const slice = new TimeSlice();
  for (let r = 0; r < rows.length; r++) {
    if (r % ROWS_PER_CHECK === 0) await slice.pause();
    const row = rows[r]!;
    const record: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = row[i];
      const to = convert[i];
      record[names[i]!] = to ? to(value) : value;
    }
    out[r] = record as T;
  }
  return out;
}
