/**
 * Stored name keys follow `nameKeyOf`. When that function changes (version 2: Unicode NFKC,
 * invisible characters removed, white space collapsed, case folded; version 3: the Unicode TR39
 * confusable skeleton of that, so Cyrillic `Асме` is `Acme`), the keys already stored are
 * recomputed once, after the schema migrations: SQL cannot compute NFKC or skeletons, so this is
 * code, run by `migrate` (and so by `serve` on start). A `SchedulerRun` row keyed `maintenance:name-key:3`,
 * written in the same transaction, records that it ran, so it runs once per database, on one
 * replica. Two channels whose names now collide keep both rows: the later one's key gets
 * `#duplicate-<id>` (listed, still usable by its buttons, found by name once renamed).
 */
import { nameKeyOf } from '../domain';
import { isUniqueViolation, type Db } from './client';

export const NAME_KEY_MARKER = 'maintenance:name-key:3';
const PAGE = 5_000;

export interface NameKeyUpdate {
  /** Keys rewritten. */
  updated: number;
  /** Channels whose name now collides with an older one's (their key got a `#duplicate-` suffix). */
  collisions: { id: number; name: string }[];
}

/** Recomputes stored keys once; null when it already ran on this database. */
export async function recomputeNameKeys(db: Db, now: Date): Promise<NameKeyUpdate | null> {
  if (await db.schedulerRun.findUnique({ where: { key: NAME_KEY_MARKER } })) return null;
  try {
    return await db.$transaction(
      async (tx) => {
        await tx.schedulerRun.create({ data: { key: NAME_KEY_MARKER, holder: 'migrate', startedAt: now, finishedAt: now, outcome: 'done' } });
        const result: NameKeyUpdate = { updated: 0, collisions: [] };
        for (let after = 0; ;) {
          const rows = await tx.connection.findMany({
            where: { id: { gt: after }, archivedAt: null },
            select: { id: true, workspaceId: true, network: true, name: true, nameKey: true },
            orderBy: { id: 'asc' },
            take: PAGE,
          });
          if (!rows.length) break;
          after = rows.at(-1)!.id;
          for (const row of rows) {
            let key = nameKeyOf(row.name);
            if (key === row.nameKey) continue;
            const taken = await tx.connection.findFirst({
              where: { workspaceId: row.workspaceId, network: row.network, nameKey: key, id: { not: row.id } },
              select: { id: true, name: true },
            });
            if (taken && taken.id > row.id && nameKeyOf(taken.name) === key) {
              // A later channel holds the key already (its name's key did not change): it is the duplicate.
              await tx.connection.update({ where: { id: taken.id }, data: { nameKey: `${key}#duplicate-${taken.id}` } });
              result.collisions.push({ id: taken.id, name: taken.name });
            } else if (taken) {
              key = `${key}#duplicate-${row.id}`;
              if (key === row.nameKey) continue;
              result.collisions.push({ id: row.id, name: row.name });
            }
            await tx.connection.update({ where: { id: row.id }, data: { nameKey: key } });
            result.updated++;
          }
        }
        return result;
      },
      { timeout: 600_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) return null; // another replica did it at the same moment
    throw error;
  }
}
