/**
 * A deterministic synthetic estate: workspaces with connections spread over every stage (fresh,
 * expiring, expired, inactive, disconnected, no backup, owner gone, a few with bad dates).
 */
import { addDays } from '../src/checks';
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
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const daysAgo = (max: number) => addDays(BENCH_TODAY, -Math.floor(rnd() * max));
  const created = new Date('2025-01-01T00:00:00Z');
  let id = 0;
  return Array.from({ length: workspaces }, (_, w) => {
    const wsId = `TBENCH${String(w).padStart(5, '0')}`;
    const connections = Array.from({ length: perWorkspace }, (_, c): Connection => {
      id += 1;
      const connectedAt = daysAgo(420);
      const refreshed = rnd() < 0.5 ? addDays(connectedAt, Math.floor(rnd() * 30)) : null;
      const lastRefreshedAt = refreshed !== null && refreshed <= BENCH_TODAY ? refreshed : null;
      const bad = rnd() < 0.001;
      const disconnected = rnd() < 0.03;
      const ownerId = rnd() < 0.02 ? null : `U${w}_${Math.floor(rnd() * 20)}`;
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
        archivedAt: null,
        backups: rnd() < 0.8 ? [{ connectionId: id, userId: `U${w}_b`, addedBy: 'UADMIN', addedAt: created }] : [],
        createdAt: created,
        updatedAt: created,
      };
    });
    return { id: wsId, timeZone: pick(ZONES), inactiveUsers: [`U${w}_0`], connections };
  });
}
