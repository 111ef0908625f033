/**
 * How a check run is printed by `channel-keeper check`: JSON lines (the stable contract in
 * architecture.md) or a report a person reads, worst warnings first.
 */
import { compareText, severityRank } from './finding';
import type { CheckSummary, PlannedWarning } from './job';

/** Exactly these keys, in this order: scripts depend on them. */
export const JSON_KEYS = ['workspace', 'connectionId', 'connection', 'network', 'kind', 'stage', 'severity', 'dueAt'] as const;

export function toJsonLine(warning: PlannedWarning): string {
  return JSON.stringify(Object.fromEntries(JSON_KEYS.map((key) => [key, warning[key]])));
}

const SEVERITY_LABELS: Record<PlannedWarning['severity'], string> = {
  attention: 'ATTENTION',
  at_risk: 'AT RISK',
  critical: 'CRITICAL',
  disconnected: 'DISCONNECTED',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatSummary(summary: CheckSummary, workspaceName: string | null): string {
  const c = summary.counts;
  const title = workspaceName ? `${workspaceName} (${summary.workspaceId})` : summary.workspaceId;
  const mode = summary.dryRun ? ' — dry run: nothing recorded, nothing posted' : '';
  const lines = [
    `Workspace ${title}: check as of ${summary.today} (${summary.timeZone})${mode}`,
    `  ${plural(c.connections, 'channel')}, ${plural(c.findings, 'finding')}: ` +
      `${c.created} new, ${c.reopened} reopened, ${c.resolved} resolved, ${c.stillOpen} still open` +
      (c.heldBack ? `, ${c.heldBack} held back by an outage (${summary.outageNetworks.join(', ')})` : ''),
  ];
  const warnings = [...summary.warnings].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.dueAt, b.dueAt) || compareText(a.connection, b.connection),
  );
  if (warnings.length) {
    lines.push('', `  ${summary.dryRun ? 'Would post' : 'To post'}:`);
    for (const w of warnings) {
      lines.push(`  ${SEVERITY_LABELS[w.severity].padEnd(12)} ${w.connection} (${w.network}, ${w.kind} ${w.stage}, due ${w.dueAt})${w.reopened ? ' [reopened]' : ''}`);
      lines.push(`               ${w.message}`);
      lines.push(`               What to do: ${w.advice}`);
    }
  } else {
    lines.push('  Nothing new to post.');
  }
  if (summary.problems.length) {
    lines.push('', '  Data problems (these channels were not checked; fix their dates):');
    for (const p of summary.problems) lines.push(`  - ${p.name} (id ${p.connectionId}): ${p.reasons.join('; ')}`);
  }
  if (summary.delivery) {
    const d = summary.delivery;
    lines.push('', `  Delivery: ${d.posted} posted, ${d.failed} failed, ${d.pending} pending${d.note ? ` (${d.note})` : ''}`);
  }
  return lines.join('\n');
}
