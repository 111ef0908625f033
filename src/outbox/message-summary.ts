/**
 * The true totals of a message that carries many warnings (a digest, a DM): how many by severity,
 * of every row it carries, not only the items it has room to show. A rewrite rebuilds the items it
 * shows from the most urgent rows alone and keeps these counts, so a message of 100,000 warnings is
 * rewritten without wording them all.
 */
import type { Severity, Warning } from '../domain';
import { compareText, severityRank } from '../rules/finding';

export interface MessageSummary {
  /** Every warning the message carries. */
  total: number;
  bySeverity: Partial<Record<Severity, number>>;
  /** How many of them were resolved or snoozed since it was posted (a rewrite). */
  settled?: number;
}

/** The totals of these warnings (or items, whose severity is their finding's). */
export function summarize(severities: Iterable<Severity>, settled = 0): MessageSummary {
  const bySeverity: Partial<Record<Severity, number>> = {};
  let total = 0;
  for (const severity of severities) {
    bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
    total += 1;
  }
  return { total, bySeverity, ...(settled ? { settled } : {}) };
}

/** Worst first, then the earliest due date, then the oldest row: the order of compareItems, on rows. */
export function compareWarnings(a: Warning, b: Warning): number {
  return severityRank(b.severity) - severityRank(a.severity) || compareText(a.dueAt, b.dueAt) || a.id - b.id;
}

/**
 * How many of a message's most urgent rows a rewrite words: more than any message shows (50
 * blocks), so the builder still picks what fits.
 */
export const SHOWN_AT_MOST = 50;
