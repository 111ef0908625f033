/** Helpers of the raw statements the repositories write for both databases. */
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
