/** Helpers of the raw statements the repositories write for both databases. */
import { randomUUID } from 'node:crypto';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';

/** Parameters of one raw statement, with the placeholders each database expects (`?` or `$n`). */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly provider: DatabaseProvider) {}

  /** The placeholder of a new parameter; `integer` casts it on PostgreSQL, which types parameters as text otherwise. */
  add(value: unknown, type?: 'integer'): string {
    this.values.push(value);
    if (this.provider !== 'postgresql') return '?';
    return type ? `$${this.values.length}::${type}` : `$${this.values.length}`;
  }

  /** Placeholders for the items of an `IN (…)` list (never empty: callers check). */
  list(items: readonly unknown[], type?: 'integer'): string {
    return items.map((item) => this.add(item, type)).join(', ');
  }
}

/** How Prisma's SQLite adapter writes DateTime columns, so raw inserts read back like ORM ones. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which due rows a claim may take: a workspace, some, or every one (undefined). */
export interface ClaimOptions {
  limit: number;
  holder: string;
  now: Date;
  workspaceId?: string;
  workspaceIds?: string[];
}

/** The placeholders a claim's candidate query is written with, in the order it must use them. */
export interface ClaimParts {
  /** `"nextAttemptAt" IS NULL OR "nextAttemptAt" <= …`: due by the claim's `now`. */
  due: string;
  /** ` AND "workspaceId" IN (…)`, or empty for every workspace. */
  scope: string;
  /** The most rows to take. */
  limit: string;
  /** ` FOR UPDATE … SKIP LOCKED` on PostgreSQL (replicas take different rows), empty on SQLite. */
  lock: (alias?: string) => string;
}

/** Rows of an uninstalled workspace are never claimed (they wait for a reinstall, or its purge). */
export const INSTALLED_ONLY = `"workspaceId" NOT IN (SELECT "id" FROM "Workspace" WHERE "uninstalledAt" IS NOT NULL)`;

/**
 * The outbox's claim, for warnings and escalation messages alike: one statement marks the rows the
 * candidate query picks `sending` with a fresh token and counts one attempt; the caller reads them
 * back by the token it returns. The candidates are a CTE, evaluated once: `IN (SELECT … LIMIT n FOR
 * UPDATE SKIP LOCKED)` may be evaluated again per row by PostgreSQL and then claim more than n.
 */
export async function claimPicked(
  db: Db | Tx,
  provider: DatabaseProvider,
  table: string,
  options: ClaimOptions,
  candidates: (parts: ClaimParts) => string,
): Promise<string> {
  const token = `${options.holder}:${randomUUID()}`;
  const postgres = provider === 'postgresql';
  const sql = new SqlParams(provider);
  // Placeholders are added in the order they appear in the statement (SQLite's `?` are positional).
  const stamp = () => (postgres ? `${sql.add(options.now.toISOString())}::timestamp` : sql.add(sqliteTimestamp(options.now)));
  const due = `"nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${stamp()}`;
  const scopeIds = options.workspaceIds ?? (options.workspaceId ? [options.workspaceId] : null);
  const scope = scopeIds ? ` AND "workspaceId" IN (${scopeIds.length ? sql.list(scopeIds) : 'NULL'})` : '';
  const limit = sql.add(options.limit, 'integer');
  const lock = (alias?: string) => (postgres ? ` FOR UPDATE${alias ? ` OF ${alias}` : ''} SKIP LOCKED` : '');
  const picked = candidates({ due, scope, limit, lock });
  const at = stamp();
  const by = sql.add(token);
  const updatedAt = stamp();
  await db.$executeRawUnsafe(
    `WITH picked AS (${picked})
     UPDATE "${table}" SET "state" = 'sending', "claimedAt" = ${at}, "claimedBy" = ${by}, "attempts" = "attempts" + 1, "updatedAt" = ${updatedAt}
     WHERE "state" = 'pending' AND "id" IN (SELECT "id" FROM picked)`,
    ...sql.values,
  );
  return token;
}

/**
 * The filters both outbox tables (warnings and escalation messages) count and wake their pending
 * rows by: due now, waiting out a backoff, and waiting out a backoff for one of `codes`.
 */
export const pendingWhere = {
  due: (now: Date, workspaceId?: string) => ({
    state: 'pending',
    ...(workspaceId ? { workspaceId } : {}),
    OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
  }),
  later: (now: Date, workspaceId?: string) => ({ state: 'pending', ...(workspaceId ? { workspaceId } : {}), nextAttemptAt: { gt: now } }),
  backingOff: (workspaceId: string, codes: readonly string[], now: Date) => ({
    workspaceId,
    state: 'pending',
    lastErrorCode: { in: [...codes] },
    nextAttemptAt: { gt: now },
  }),
};
