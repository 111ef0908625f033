/** One item per connection and fix (src/outbox/merge-items): pure, on items as the outbox makes them. */
import { mergeByAction, partsOf } from '../../src/outbox/merge-items';
import { toWarningItem, type WarningItem } from '../../src/outbox/warning-item';
import { itemActions } from '../../src/bot/blocks/warning-actions';
import { buildDigest } from '../../src/bot/blocks/digest';
import { buildDmMessage } from '../../src/bot/blocks/dm';
import { CODEC } from '../../src/bot/interactions';
import { ACTION } from '../../src/bot/interactions';
import { resolvePolicy } from '../../src/rules/policy';
import type { FindingKind, Severity, Warning } from '../../src/domain';
import { makeConnection } from '../rules/factories';
import { warningFrom } from '../bot/delivery/items';

const TODAY = '2026-06-15';
const acme = makeConnection({ id: 1, name: 'Acme', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
const globex = makeConnection({ id: 2, name: 'Globex', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });

/** A posted row of a connection's finding (the shared builder, posted this morning). */
function row(connectionId: number, kind: FindingKind, stage: string, severity: Severity, dueAt: string, cycle = '2025-06-20'): Warning {
  const posted = new Date('2026-06-15T08:00:00Z');
  return warningFrom(
    { connectionId, kind, stage, severity, dueAt, cycle, dedupKey: `${connectionId}:${kind}:${stage}:${cycle}`, message: '', advice: '' },
    { state: 'posted', slackChannel: 'CALERTS', slackTs: '1.1', postedAt: posted, createdAt: posted, updatedAt: posted },
  );
}

function item(warning: Warning): WarningItem {
  const connection = warning.connectionId === acme.id ? acme : globex;
  return toWarningItem(warning, connection, { today: TODAY, policy: resolvePolicy('linkedin') });
}

describe('mergeByAction', () => {
  it('merges a token about to expire and an overdue refresh of one connection into "refresh before <date>" with both reasons', () => {
    const expiry = item(row(acme.id, 'expiry', '7d', 'at_risk', '2026-06-20'));
    const refresh = item(row(acme.id, 'refresh_due', 'overdue', 'attention', '2025-10-18'));
    const [merged, ...rest] = mergeByAction([refresh, expiry]);
    expect(rest).toEqual([]);
    expect(merged!.finding).toMatchObject({ kind: 'expiry', severity: 'at_risk', dueAt: '2026-06-20' });
    expect(merged!.finding.message).toBe(
      'LinkedIn “Acme”: refresh before 2026-06-20. Token expires in 5 days, on 2026-06-20 (predicted from the connection on 2025-06-20). Connected and never refreshed 360 days ago; the refresh has been overdue since 2025-10-18.',
    );
    expect(merged!.finding.advice).toBe(expiry.finding.advice);
    expect(merged!.warning).toBe(expiry.warning);
    expect(partsOf(merged!).map((p) => p.warning!.kind)).toEqual(['expiry', 'refresh_due']);
  });

  it('carries the worst severity and every action, each aimed at the rows that offer it', () => {
    const expired = item(row(acme.id, 'expiry', 'expired', 'critical', '2026-04-06'));
    const refresh = item(row(acme.id, 'refresh_due', 'overdue', 'at_risk', '2025-08-04'));
    const [merged] = mergeByAction([refresh, expired]);
    expect(merged!.finding.severity).toBe('critical');
    expect(merged!.finding.message).toMatch(/^LinkedIn “Acme”: reconnect it now\. Token expired on 2026-04-06/);
    const actions = Object.fromEntries(itemActions(merged!).map((a) => [a.action, a.target.warningIds]));
    const ids = { expired: expired.warning!.id, refresh: refresh.warning!.id };
    expect(Object.keys(actions)).toEqual([ACTION.markRefreshed, ACTION.acknowledge, ACTION.markDisconnected, ACTION.snooze, ACTION.viewHistory]);
    expect(actions[ACTION.markRefreshed]).toEqual([ids.expired, ids.refresh]);
    expect(actions[ACTION.acknowledge]).toEqual([ids.expired, ids.refresh]);
    // An expired token cannot be snoozed: the snooze acts on the overdue refresh only.
    expect(actions[ACTION.snooze]).toEqual([ids.refresh]);
    expect(actions[ACTION.markDisconnected]).toEqual([ids.expired]);
  });

  it('leaves apart what other connections or other fixes need, and findings with a fix of their own', () => {
    const items = [
      item(row(acme.id, 'expiry', '7d', 'at_risk', '2026-06-20')),
      item(row(globex.id, 'refresh_due', 'overdue', 'at_risk', '2025-10-18')),
      item(row(acme.id, 'no_backup', 'none', 'attention', '2026-06-20')),
      item(row(acme.id, 'security', 'no_2fa', 'attention', '2026-06-20')),
      item(row(acme.id, 'security', 'shared_login', 'attention', '2026-06-20')),
    ];
    expect(mergeByAction(items)).toEqual(items);
  });

  it('keeps the order of each item’s first part, and merges each kind once', () => {
    const a1 = item(row(acme.id, 'no_backup', 'none', 'attention', '2026-06-20'));
    const a2 = item(row(acme.id, 'refresh_due', 'overdue', 'at_risk', '2025-10-18'));
    const b = item(row(globex.id, 'expiry', '7d', 'at_risk', '2026-06-20'));
    const a3 = item(row(acme.id, 'expiry', '7d', 'at_risk', '2026-06-20'));
    const a4 = item(row(acme.id, 'expiry', '3d', 'at_risk', '2026-06-20'));
    const merged = mergeByAction([a1, a2, b, a3, a4]);
    expect(merged.map((m) => partsOf(m).map((p) => p.warning!.id))).toEqual([
      [a1.warning!.id],
      // Worst first: both at risk, the refresh due earlier.
      [a2.warning!.id, a3.warning!.id],
      [b.warning!.id],
      [a4.warning!.id],
    ]);
  });

  it('a digest and a DM show the merged item once; its menu snoozes both rows', () => {
    const expiry = item(row(acme.id, 'expiry', '7d', 'at_risk', '2026-06-20'));
    const refresh = item(row(acme.id, 'refresh_due', 'overdue', 'at_risk', '2025-10-18'));
    const other = item(row(globex.id, 'expiry', '7d', 'at_risk', '2026-06-20'));
    const digest = buildDigest([expiry, refresh, other]);
    const sections = digest.blocks.filter((b) => b.type === 'section') as { accessory: { options: { value: string }[] } }[];
    expect(sections).toHaveLength(2);
    expect(JSON.stringify(digest.blocks).match(/token expires in 5 days/gi)).toHaveLength(2); // Acme once, Globex once
    const snooze = sections
      .flatMap((s) => s.accessory.options)
      .map((o) => CODEC.itemMenuOption.decode(o.value)!)
      .find((o) => o.action === ACTION.snooze && o.connectionId === acme.id)!;
    expect([...snooze.warningIds].sort((a, b) => a - b)).toEqual([expiry.warning!.id, refresh.warning!.id].sort((a, b) => a - b));
    const dm = buildDmMessage({ userId: 'U_OWNER', items: [expiry, refresh], alertChannel: 'CALERTS' });
    expect(dm.text).toBe('A channel you look after needs attention');
    expect(JSON.stringify(dm.blocks).match(/· refresh before 2026-06-20 ·/g)).toHaveLength(1);
  });
});
