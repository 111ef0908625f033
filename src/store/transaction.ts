import type { Db, Tx } from './client';

/** Runs `work` in a transaction, joining the caller's when `db` already is one (Prisma cannot nest them). */
export async function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  if ('$transaction' in db && typeof db.$transaction === 'function') {
    return (db as Db).$transaction(work, { timeout: options.timeoutMs ?? 30_000, maxWait: 10_000 });
  }
  return work(db as Tx);
}

export interface TransactionOptions {
  /** How long the transaction may stay open before the database rolls it back (default 30 s). */
  timeoutMs?: number;
}
