/** Shared test factories for the pure rules: a quiet connection by default, tests change what they need. */
import type { Connection, FindingKind, IsoDate, NetworkPolicy } from '../../src/domain';
import { evaluateConnection } from '../../src/rules/evaluate';
import { resolvePolicy } from '../../src/rules/policy';
import type { Finding } from '../../src/rules/finding';

export const LINKEDIN: NetworkPolicy = resolvePolicy('linkedin');

/** A LinkedIn page with an owner, one backup and unknown security: nothing but the dates can trigger. */
export function makeConnection(overrides: Partial<Connection> = {}): Connection {
  const id = overrides.id ?? 1;
  return {
    id,
    workspaceId: 'T1',
    network: 'linkedin',
    kind: 'company_page',
    name: 'Acme',
    url: null,
    ownerId: 'U_OWNER',
    connectedAt: '2025-07-31',
    lastRefreshedAt: null,
    ownerLastActiveAt: null,
    status: 'connected',
    disconnectReason: null,
    disconnectedAt: null,
    security: { sharedLogin: null, twoFactor: null, ownerSuperAdmin: null, permissionsGranted: null },
    notes: null,
    tool: null,
    archivedAt: null,
    retiredAt: null,
    backups: [{ connectionId: id, userId: 'U_BACKUP', addedBy: 'U_OWNER', addedAt: new Date('2025-07-31T00:00:00Z') }],
    createdAt: new Date('2025-07-31T00:00:00Z'),
    updatedAt: new Date('2025-07-31T00:00:00Z'),
    ...overrides,
  };
}

export function evaluate(connection: Connection, today: IsoDate, policy?: NetworkPolicy, ownerGone = false): Finding[] {
  return evaluateConnection(connection, { today, policy: policy ?? resolvePolicy(connection.network), ownerGone });
}

export function ofKind(findings: readonly Finding[], kind: FindingKind): Finding[] {
  return findings.filter((f) => f.kind === kind);
}

/** The single finding of a kind, or null; fails the test if there are several. */
export function oneOf(findings: readonly Finding[], kind: FindingKind): Finding | null {
  const matching = ofKind(findings, kind);
  expect(matching.length).toBeLessThanOrEqual(1);
  return matching[0] ?? null;
}
