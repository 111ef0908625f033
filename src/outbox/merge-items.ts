/**
 * One item per connection and fix (docs/rules.md "One item per fix"): findings of one connection
 * that the same action settles read as one item. A token about to expire and a refresh that is due
 * both ask for one refresh, so they become "refresh before <date>" with both reasons, the worst
 * severity, and every action either offers. The rows stay apart in the database; the merged item
 * keeps them as its parts, so a button acts on each row it applies to.
 */
import type { FindingKind } from '../domain';
import { refreshTogetherText } from '../rules/advice';
import { EXPIRED_STAGE } from '../rules/finding';
import { compareItems, type WarningItem } from './warning-item';

/** The fix each kind asks for; null: each finding asks for its own (the security concerns). */
const FIX_OF: Record<FindingKind, string | null> = {
  expiry: 'refresh',
  // Meta's data access deadline reads on its own: its date is not the token's end.
  data_access: 'data access',
  refresh_due: 'refresh',
  inactivity: 'activity',
  no_backup: 'backup',
  owner_gone: 'owner',
  security: null,
  disconnected: 'reconnect',
};

/**
 * The items with those of one connection and one fix merged (one of each kind per item), in the
 * order their first part came. An item alone is returned as it is. Pure.
 */
export function mergeByAction(items: readonly WarningItem[]): WarningItem[] {
  const groups = new Map<string, WarningItem[]>();
  const order: (string | WarningItem)[] = [];
  const repeats = new Map<string, number>();
  for (const item of items) {
    const fix = FIX_OF[item.finding.kind];
    if (fix === null) {
      order.push(item);
      continue;
    }
    // A kind seen twice for one connection (rows of different days) starts its own item.
    const seen = `${item.connection.id}:${item.finding.kind}`;
    const nth = repeats.get(seen) ?? 0;
    repeats.set(seen, nth + 1);
    const key = `${item.connection.id}:${fix}:${nth}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else {
      groups.set(key, [item]);
      order.push(key);
    }
  }
  return order.map((entry) => (typeof entry === 'string' ? merged(groups.get(entry)!) : entry));
}

/** The rows an item stands for: its parts' when merged, else its own (none in a dry run). */
export function partsOf(item: WarningItem): readonly WarningItem[] {
  return item.parts ?? [item];
}

function merged(group: readonly WarningItem[]): WarningItem {
  if (group.length === 1) return group[0]!;
  const parts = [...group].flatMap((item) => partsOf(item)).sort(compareItems);
  const lead = parts[0]!;
  const expiry = parts.find((p) => p.finding.kind === 'expiry');
  const expired = expiry?.finding.stage === EXPIRED_STAGE;
  const refreshes = parts.every((p) => FIX_OF[p.finding.kind] === 'refresh');
  // "Refresh before" the token's end: the date that matters, however early a refresh was advised.
  const before = expiry && !expired ? expiry.finding.dueAt : null;
  // The token's end leads the reasons: it names the date the headline and the advice give.
  const reasons = expiry ? [expiry, ...parts.filter((p) => p !== expiry)] : parts;
  const text = refreshes
    ? refreshTogetherText(
        lead.connection,
        before,
        expired,
        reasons.map((p) => p.finding),
      )
    : { message: parts.map((p) => p.finding.message).join(' '), advice: lead.finding.advice };
  return {
    connection: lead.connection,
    warning: lead.warning,
    finding: { kind: lead.finding.kind, stage: lead.finding.stage, severity: lead.finding.severity, dueAt: before ?? lead.finding.dueAt, ...text },
    parts,
  };
}

/** How many warnings these items show between them (a merged item shows each of its parts). */
export function warningsIn(items: readonly WarningItem[]): number {
  return items.reduce((n, item) => n + partsOf(item).length, 0);
}
