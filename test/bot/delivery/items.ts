/** Builders' inputs for the pure tests: a stored warning made from a rule's finding, and items. */
import type { Connection, Warning } from '../../../src/domain';
import type { Finding } from '../../../src/rules/finding';
import { toWarningItem, type WarningItem } from '../../../src/outbox/warning-item';
import { LINKEDIN, makeConnection } from '../../rules/factories';

let nextId = 1000;

export function warningFrom(finding: Finding, overrides: Partial<Warning> = {}): Warning {
  const at = new Date('2026-11-28T09:00:00Z');
  return {
    id: nextId++,
    workspaceId: 'T1',
    connectionId: finding.connectionId,
    kind: finding.kind,
    stage: finding.stage,
    severity: finding.severity,
    cycle: finding.cycle,
    dedupKey: finding.dedupKey,
    dueAt: finding.dueAt,
    state: 'sending',
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    claimedAt: at,
    claimedBy: null,
    slackChannel: null,
    slackTs: null,
    postedAt: null,
    snoozedUntil: null,
    resolvedBy: null,
    escalationStep: 0,
    escalatedAt: null,
    escalateAt: null,
    escalationEnded: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** An item for a plain stored warning (no rule needed), e.g. for digests of many rows. */
export function makeItem(overrides: Partial<Warning> = {}, connection: Partial<Connection> = {}): WarningItem {
  const c = makeConnection({ id: overrides.connectionId ?? 1, ...connection });
  const w = warningFrom(
    {
      connectionId: c.id,
      kind: 'expiry',
      stage: '30d',
      severity: 'attention',
      dueAt: '2026-12-20',
      cycle: '2025-12-20',
      dedupKey: 'k',
      message: '',
      advice: '',
    },
    overrides,
  );
  return toWarningItem(w, c, { today: '2026-11-28', policy: LINKEDIN });
}
