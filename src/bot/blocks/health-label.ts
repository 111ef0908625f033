import type { DeadlineKind } from '../../rules/deadlines';
import type { ConnectionSummary } from '../../rules/health';
import type { FindingKind, Health, IsoDate } from '../../domain';

const LABELS: Record<Health, string> = {
  ok: ':large_green_circle: Healthy',
  attention: ':large_yellow_circle: Needs attention',
  at_risk: ':large_orange_circle: At risk',
  critical: ':red_circle: Critical',
  disconnected: ':black_circle: Disconnected',
};

export function healthLabel(health: Health): string {
  return LABELS[health];
}

/** The same labels without the emoji, for fallback texts. */
export function healthWords(health: Health): string {
  return LABELS[health].replace(/^:[a-z_]+: /, '');
}

/** What has been overdue since a past date: never called a deadline. */
function overdueWords(kind: FindingKind, since: IsoDate): string {
  switch (kind) {
    case 'expiry':
      return `token expired on ${since}`;
    case 'data_access':
      return `data access ended on ${since}`;
    case 'refresh_due':
      return `refresh overdue since ${since}`;
    case 'inactivity':
      return `owner past the inactivity limit since ${since}`;
    case 'disconnected':
      return `disconnected since ${since}`;
    default:
      return `overdue since ${since}`;
  }
}

const NEXT_WORDS: Record<DeadlineKind, string> = {
  expiry: 'token expires on',
  refresh_due: 'refresh due by',
  inactivity: 'owner to log in by',
  data_access: 'data access ends on',
};

/** A deadline in words before its date ("token expires on"). */
export function deadlineWords(kind: DeadlineKind): string {
  return NEXT_WORDS[kind];
}

/**
 * A channel's dates in one line: what is overdue and since when, when its token ends, and what
 * falls due next ("refresh overdue since 2026-04-06 · token expires on 2026-06-20").
 */
export function datesLine({ health, overdue, token, nextDeadline }: Pick<ConnectionSummary, 'health' | 'overdue' | 'token' | 'nextDeadline'>): string {
  const parts: string[] = [];
  if (overdue) parts.push(overdueWords(overdue.kind, overdue.since));
  // Disconnected on a day nobody recorded.
  else if (health === 'disconnected') parts.push('disconnected');
  const nextIsExpiry = nextDeadline?.kind === 'expiry';
  if (token && overdue?.kind !== 'expiry' && !nextIsExpiry) parts.push(token.ended ? `token expired on ${token.endsOn}` : `token expires on ${token.endsOn}`);
  if (nextDeadline) parts.push(`next: ${NEXT_WORDS[nextDeadline.kind]} ${nextDeadline.date}`);
  return parts.length ? parts.join(' · ') : 'no deadline ahead';
}
