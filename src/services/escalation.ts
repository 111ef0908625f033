/**
 * "I'm on it" (docs/rules.md "Escalation"): `acknowledgeWarnings` is the button; it ends the
 * climb, records who took the warning, and leaves the warning open. The steps themselves are the
 * outbox's (src/outbox/escalate.ts).
 */
import type { Connection, Warning } from '../domain';
import type { Acting, ServiceDeps } from './deps';
import { assertMay } from './permissions';

export interface Acknowledged {
  connection: Connection;
  /** Warnings this press acknowledged. */
  acknowledged: Warning[];
  /** Warnings someone had acknowledged already (their `acknowledgedBy` says who). */
  already: Warning[];
  at: Date;
}

/** "I'm on it": stops the climb of the chosen open warnings (all of the channel's when none given) without resolving them. */
export async function acknowledgeWarnings(
  deps: ServiceDeps,
  { workspace, actor }: Acting,
  c: Connection,
  warningIds?: readonly number[],
): Promise<Acknowledged> {
  assertMay(actor, 'care', "take a channel's warnings", c);
  const at = deps.now();
  const open = await deps.store.warnings.listOpen(workspace.id, { connectionIds: [c.id] });
  const chosen = open.filter((w) => !warningIds?.length || warningIds.includes(w.id));
  const taken = await deps.store.transaction(async (tx) => {
    const ids = await tx.escalations.acknowledge(
      workspace.id,
      chosen.map((w) => w.id),
      actor.userId,
      at,
    );
    if (ids.length) {
      await tx.audit.append({
        workspaceId: workspace.id,
        connectionId: c.id,
        actorId: actor.userId,
        action: 'warning.acknowledge',
        details: { warnings: ids },
        at,
      });
    }
    return new Set(ids);
  });
  return {
    connection: c,
    acknowledged: chosen
      .filter((w) => taken.has(w.id))
      .map((w) => ({ ...w, acknowledgedBy: actor.userId, acknowledgedAt: at, escalationEnded: 'acknowledged', escalateAt: null })),
    already: chosen.filter((w) => !taken.has(w.id)),
    at,
  };
}
