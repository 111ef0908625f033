/**
 * A deterministic synthetic estate: workspaces with connections spread over every stage (fresh,
 * expiring, expired, inactive, disconnected, no backup, owner gone, a few with bad dates).
 */
import fs from 'node:fs';
import { addDays } from '../src/rules/calendar';
import type { Connection, Network } from '../src/domain';

export const BENCH_TODAY = '2026-11-28';
export const BENCH_NOW = new Date('2026-11-28T09:00:00Z');

/** mulberry32: small, fast and the same on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NETWORK_MIX: Network[] = ['linkedin', 'linkedin', 'linkedin', 'linkedin', 'linkedin', 'linkedin', 'facebook', 'instagram', 'x', 'youtube'];

export interface EstateWorkspace {
  id: string;
  timeZone: string;
  inactiveUsers: string[];
  connections: Connection[];
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];

export function makeEstate(workspaces: number, perWorkspace: number, seed = 42): EstateWorkspace[] {
  return [...estateWorkspaces(workspaces, perWorkspace, seed)];
}

/** The estate one workspace at a time, so a million connections never sit in memory at once. */
export function* estateWorkspaces(workspaces: number, perWorkspace: number, seed = 42): Generator<EstateWorkspace> {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const daysAgo = (max: number) => addDays(BENCH_TODAY, -Math.floor(rnd() * max));
  const created = new Date('2025-01-01T00:00:00Z');
  let id = 0;
  for (let w = 0; w < workspaces; w++) {
    const wsId = `TBENCH${String(w).padStart(5, '0')}`;
    const connections = Array.from({ length: perWorkspace }, (_, c): Connection => {
      id += 1;
      const connectedAt = daysAgo(420);
      const refreshed = rnd() < 0.5 ? addDays(connectedAt, Math.floor(rnd() * 30)) : null;
      const lastRefreshedAt = refreshed !== null && refreshed <= BENCH_TODAY ? refreshed : null;
      const bad = rnd() < 0.001;
      const disconnected = rnd() < 0.03;
      const ownerId = rnd() < 0.02 ? null : `U${w}X${Math.floor(rnd() * 20)}`;
      return {
        id,
        workspaceId: wsId,
        network: pick(NETWORK_MIX),
        kind: 'company_page',
        name: `Page ${w}-${c}`,
        url: null,
        ownerId,
        connectedAt,
        // A refresh "tomorrow" is bad data the run must report and skip.
        lastRefreshedAt: bad ? addDays(BENCH_TODAY, 1) : lastRefreshedAt,
        ownerLastActiveAt: rnd() < 0.7 ? daysAgo(80) : null,
        status: disconnected ? 'disconnected' : 'connected',
        disconnectReason: disconnected ? 'password_change' : null,
        disconnectedAt: disconnected ? daysAgo(10) : null,
        security: { sharedLogin: rnd() < 0.05 ? true : null, twoFactor: null, ownerSuperAdmin: null, permissionsGranted: null },
        notes: null,
        tool: null,
        archivedAt: null,
        retiredAt: null,
        backups: rnd() < 0.8 ? [{ connectionId: id, userId: `U${w}XB`, addedBy: 'UADMIN', addedAt: created }] : [],
        createdAt: created,
        updatedAt: created,
      };
    });
    yield { id: wsId, timeZone: pick(ZONES), inactiveUsers: [`U${w}X0`], connections };
  }
}

/**
 * An import file of `rows` valid lines for one workspace, written in pieces (a million rows is
 * about 120 MB). The same estate, with its bad dates left out: an import refuses those.
 */
export function writeImportCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status\n');
    let written = 0;
    for (const ws of estateWorkspaces(Math.ceil(rows / 100), 100, 7)) {
      const lines: string[] = [];
      for (const c of ws.connections) {
        if (written++ >= rows) break;
        const refreshed = c.lastRefreshedAt !== null && c.lastRefreshedAt > BENCH_TODAY ? '' : (c.lastRefreshedAt ?? '');
        lines.push(
          [
            c.network,
            c.kind,
            c.name,
            `https://www.linkedin.com/company/${c.id}`,
            c.ownerId ?? '',
            c.connectedAt,
            refreshed,
            c.ownerLastActiveAt ?? '',
            c.backups.map((b) => b.userId).join(';'),
            c.status,
          ].join(','),
        );
      }
      if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
}
