/**
 * The weekly report (docs/rules.md, "The weekly report"), computed from data handed in: health now
 * and a week ago, what happened during the week, the deadlines ahead and who holds the most channels
 * at risk. Pure: the use case loads the data, the CLI and Slack print `reportLines`, src/chart draws `weeks`.
 */
import {
  HEALTHS,
  REPORT_DAYS,
  REPORTED_ACTIONS,
  type ReportDay,
  type AuditEvent,
  type Connection,
  type Health,
  type IsoDate,
  type Network,
  type Severity,
  type WarningSpan,
} from '../domain';
import { networkLabel } from './advice';
import { checkHistoryLine, type CheckHistory, type TimeStyle } from './check-history';
import { addDays } from './calendar';
import { DEADLINE_KINDS, type Deadline, type DeadlineKind } from './deadlines';
import { compareText, severityRank, type Finding } from './finding';
import { healthOf } from './health';
import { validateCheckTime, type Validation } from './policy-validation';
import { count, joinList, personLabel } from '../words';

/** How far back "what happened" looks and "a week ago" is. */
export const REPORT_WEEK_DAYS = 7;
/** The deadlines listed in the text: the next 30 days. */
export const REPORT_DEADLINE_DAYS = 30;
/** The chart's span: 12 weeks from today. */
export const CHART_WEEKS = 12;
/** The people listed as holding the most channels at risk (all of them with `--all`). */
const TOP_PEOPLE = 5;
/** Channel names listed on one line of "what happened" before "and N more" (all with `--all`). */
const NAMES_LISTED = 10;
/** A person's channels named before "and N more" (all with `--all`). */
const PERSON_CHANNELS_LISTED = 3;
/** Deadlines listed by name before "and N more" (all with `--all`). */
const DEADLINES_LISTED = 15;

/**
 * How a deadline is stacked in the chart: the severity of the warning the channel has for it now,
 * or `upcoming` when no warning has started yet (most deadlines weeks away).
 */
export const DEADLINE_LEVELS = ['critical', 'at_risk', 'attention', 'upcoming'] as const;
export type DeadlineLevel = (typeof DEADLINE_LEVELS)[number];

/** The health levels a person's channel counts as "at risk" at. */
const AT_RISK: readonly Health[] = ['at_risk', 'critical', 'disconnected'];

export interface ReportChannel {
  connectionId: number | null;
  name: string;
  network: Network | null;
}

export interface ReportEvent extends ReportChannel {
  at: Date;
  actorId: string;
}

export interface ReportDeadline extends ReportChannel {
  date: IsoDate;
  kind: DeadlineKind;
  level: DeadlineLevel;
}

/** A date already past: a token expired, a refresh or an activity limit overdue (never shown as a deadline). */
export interface ReportOverdue extends ReportChannel {
  date: IsoDate;
  kind: DeadlineKind;
  severity: Severity;
}

export interface ReportWeek {
  /** First day of the week (today, today + 7…). */
  start: IsoDate;
  counts: Record<DeadlineLevel, number>;
}

export interface ReportPerson {
  userId: string;
  name: string | null;
  /** Their channels at risk, critical or disconnected. */
  atRisk: number;
  channels: string[];
}

export interface WeeklyReport {
  workspaceId: string;
  workspaceName: string | null;
  at: Date;
  today: IsoDate;
  /** The start of the week reported on (`at` minus 7 days). */
  since: Date;
  /** Channels in use (not retired) by health, now and at `since` (as the checks recorded it then). */
  health: Record<Health, { now: number; weekAgo: number }>;
  total: { now: number; weekAgo: number };
  happened: {
    refreshed: ReportEvent[];
    /** Channels that got an at-risk or critical warning this week and were not that bad a week ago. */
    newlyAtRisk: (ReportChannel & { severity: Severity })[];
    disconnected: ReportEvent[];
    reconnected: ReportEvent[];
    /** Escalation steps climbed (audit `ESCALATED_ACTION`); `channels` distinct. */
    escalated: { steps: number; channels: ReportChannel[] };
  };
  /** The next 30 days, soonest first. */
  deadlines: ReportDeadline[];
  /** Dates already past, oldest first: listed apart, never as the next deadline. */
  overdue: ReportOverdue[];
  /** 12 weeks from today, for the chart. */
  weeks: ReportWeek[];
  /** Deadlines already past (a token expired, a refresh or activity overdue) by their finding's severity: the chart's first bar. */
  overdueCounts: ReportWeek['counts'];
  /** Everyone who owns a channel at risk, most such channels first. */
  people: ReportPerson[];
  /** Whether the scheduled checks ran this week (null: not known, e.g. a report built without them). */
  checks: CheckHistory | null;
}

export interface WeeklyReportInput {
  workspace: { id: string; name: string | null };
  at: Date;
  today: IsoDate;
  /** Every channel not removed, retired ones included (a channel retired this week still counted a week ago). */
  connections: readonly Connection[];
  /** Today's findings of the channels in use. */
  findings: readonly Finding[];
  /** Deadlines from today on (upcomingDeadlines). */
  deadlines: readonly Deadline[];
  /** Warnings open at some point in (since, at]: the week, a check at its very end included. */
  warnings: readonly WarningSpan[];
  /** The week's audit events of the `REPORTED_ACTIONS`. */
  events: readonly AuditEvent[];
  /** Display names of members, by Slack user id. */
  names: ReadonlyMap<string, string | null>;
  /** The week's scheduled checks (src/rules/check-history.ts). */
  checks?: CheckHistory | null;
}

export function buildWeeklyReport(input: WeeklyReportInput): WeeklyReport {
  const since = new Date(input.at.getTime() - REPORT_WEEK_DAYS * 86_400_000);
  const byId = new Map(input.connections.map((c) => [c.id, c]));
  const channelOf = (id: number | null, details: Record<string, unknown> = {}): ReportChannel => {
    const c = id === null ? undefined : byId.get(id);
    if (c) return { connectionId: c.id, name: c.name, network: c.network };
    return { connectionId: id, name: typeof details.name === 'string' ? details.name : 'a removed channel', network: null };
  };

  const inUse = input.connections.filter((c) => c.retiredAt === null);
  const findingsOf = groupBy(input.findings, (f) => f.connectionId);
  const healthNow = new Map(inUse.map((c) => [c.id, healthOf(findingsOf.get(c.id) ?? [])]));

  // In use a week ago: connected by then (the recorded date, not when the row was typed in) and not yet retired.
  const weekAgo = addDays(input.today, -REPORT_WEEK_DAYS);
  const existedThen = input.connections.filter((c) => c.connectedAt <= weekAgo && (c.retiredAt === null || c.retiredAt > since));
  const healthThen = healthAt(input.warnings, since);
  const health = Object.fromEntries(HEALTHS.map((h) => [h, { now: 0, weekAgo: 0 }])) as WeeklyReport['health'];
  for (const h of healthNow.values()) health[h].now += 1;
  for (const c of existedThen) health[healthThen.get(c.id) ?? 'ok'].weekAgo += 1;

  const eventsOf = (action: string) =>
    input.events.filter((e) => e.action === action).map((e) => ({ ...channelOf(e.connectionId, e.details), at: e.at, actorId: e.actorId }));
  const escalations = input.events.filter((e) => e.action === REPORTED_ACTIONS.escalated);
  const escalatedIds = [...new Set(escalations.map((e) => e.connectionId))];

  const newlyAtRisk = new Map<number, Severity>();
  for (const w of input.warnings) {
    // Disconnections are listed on their own; "at risk" is at_risk or critical.
    if (w.createdAt <= since || w.createdAt > input.at || (w.severity !== 'at_risk' && w.severity !== 'critical')) continue;
    if (severityRank(healthThen.get(w.connectionId) ?? 'ok') >= severityRank('at_risk')) continue;
    const seen = newlyAtRisk.get(w.connectionId);
    if (!seen || severityRank(w.severity) > severityRank(seen)) newlyAtRisk.set(w.connectionId, w.severity);
  }

  const levelOf = (d: Deadline): DeadlineLevel => {
    const finding = (findingsOf.get(d.connectionId) ?? []).find((f) => f.kind === d.kind);
    return finding && finding.severity !== 'disconnected' ? finding.severity : 'upcoming';
  };
  const lastListed = addDays(input.today, REPORT_DEADLINE_DAYS);
  const deadlines = input.deadlines
    .filter((d) => d.date >= input.today && d.date <= lastListed)
    .map((d) => ({ ...channelOf(d.connectionId), date: d.date, kind: d.kind, level: levelOf(d) }));

  // The findings with a date of the calendar's kinds whose date is past: overdue, never "next".
  const dated: readonly string[] = DEADLINE_KINDS;
  const overdue = input.findings
    .filter((f) => dated.includes(f.kind) && f.dueAt < input.today && f.severity !== 'disconnected')
    .map((f) => ({ ...channelOf(f.connectionId), date: f.dueAt, kind: f.kind as DeadlineKind, severity: f.severity }))
    .sort((a, b) => compareText(a.date, b.date) || compareText(a.name, b.name));

  const weeks: ReportWeek[] = Array.from({ length: CHART_WEEKS }, (_, i) => ({
    start: addDays(input.today, i * 7),
    counts: { critical: 0, at_risk: 0, attention: 0, upcoming: 0 },
  }));
  const chartEnd = addDays(input.today, CHART_WEEKS * 7);
  for (const d of input.deadlines) {
    if (d.date < input.today || d.date >= chartEnd) continue;
    const week = weeks[Math.floor(dayDiff(input.today, d.date) / 7)]!;
    week.counts[levelOf(d)] += 1;
  }

  const overdueCounts: ReportWeek['counts'] = { critical: 0, at_risk: 0, attention: 0, upcoming: 0 };
  for (const c of inUse) {
    for (const f of findingsOf.get(c.id) ?? []) {
      if (!(DEADLINE_KINDS as readonly string[]).includes(f.kind) || f.dueAt >= input.today) continue;
      overdueCounts[f.severity === 'disconnected' ? 'critical' : f.severity] += 1;
    }
  }

  const people = new Map<string, ReportPerson>();
  for (const c of inUse) {
    if (c.ownerId === null || !AT_RISK.includes(healthNow.get(c.id)!)) continue;
    const person = people.get(c.ownerId) ?? { userId: c.ownerId, name: input.names.get(c.ownerId) ?? null, atRisk: 0, channels: [] };
    person.atRisk += 1;
    person.channels.push(c.name);
    people.set(c.ownerId, person);
  }

  return {
    workspaceId: input.workspace.id,
    workspaceName: input.workspace.name,
    at: input.at,
    today: input.today,
    since,
    health,
    total: { now: inUse.length, weekAgo: existedThen.length },
    happened: {
      refreshed: eventsOf(REPORTED_ACTIONS.refreshed),
      newlyAtRisk: [...newlyAtRisk].map(([id, severity]) => ({ ...channelOf(id), severity })).sort((a, b) => compareText(a.name, b.name)),
      disconnected: eventsOf(REPORTED_ACTIONS.disconnected),
      reconnected: eventsOf(REPORTED_ACTIONS.reconnected),
      escalated: { steps: escalations.length, channels: escalatedIds.map((id) => channelOf(id)) },
    },
    deadlines,
    overdue,
    weeks,
    overdueCounts,
    people: [...people.values()]
      .sort((a, b) => b.atRisk - a.atRisk || compareText(a.name ?? a.userId, b.name ?? b.userId))
      .map((p) => ({ ...p, channels: p.channels.sort(compareText) })),
    checks: input.checks ?? null,
  };
}

/** Each channel's worst severity among the warnings open at `instant`. */
function healthAt(warnings: readonly WarningSpan[], instant: Date): Map<number, Health> {
  const out = new Map<number, Health>();
  for (const w of warnings) {
    if (w.createdAt > instant || (w.resolvedAt !== null && w.resolvedAt <= instant)) continue;
    const seen = out.get(w.connectionId) ?? 'ok';
    if (severityRank(w.severity) > severityRank(seen)) out.set(w.connectionId, w.severity);
  }
  return out;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function dayDiff(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** How each medium writes emphasis, a person and a channel name (plain text for the CLI, mrkdwn for Slack). */
export interface ReportStyle {
  bold(text: string): string;
  person(userId: string, name: string | null): string;
  channel(name: string): string;
  /** An instant (default: UTC text); Slack shows it in each reader's zone. */
  time?: TimeStyle;
  /** The longest line the medium takes (Slack: a section's text); lists end with "and N more" within it. */
  lineMax?: number;
}

export interface ReportOptions {
  /** Every name, deadline and person, not only the first ones (`channel-keeper report --all`). */
  all?: boolean;
}

export const PLAIN_STYLE: ReportStyle = {
  bold: (text) => text,
  person: personLabel,
  channel: (name) => `“${name}”`,
};

const HEALTH_LABELS: Record<Health, string> = { ok: 'OK', attention: 'Attention', at_risk: 'At risk', critical: 'Critical', disconnected: 'Disconnected' };
const KIND_LABELS: Record<DeadlineKind, string> = {
  expiry: 'token expires',
  refresh_due: 'refresh due',
  inactivity: 'owner inactivity limit',
  data_access: 'data access ends',
};
export const LEVEL_LABELS: Record<DeadlineLevel, string> = { critical: 'Critical', at_risk: 'At risk', attention: 'Attention', upcoming: 'Not yet warned' };
const PAST_LABELS: Record<DeadlineKind, string> = {
  expiry: 'token expired on',
  refresh_due: 'refresh overdue since',
  inactivity: 'owner inactive past the limit since',
  data_access: 'data access ended on',
};

function change(now: number, before: number): string {
  const d = now - before;
  return d === 0 ? '±0' : d > 0 ? `+${d}` : `−${-d}`;
}

/**
 * The report as lines of text; the CLI prints them, Slack posts them (with its own style). Lists
 * name their first items and end with "and N more" (every item with `all`), within the style's
 * `lineMax` when it has one: a name is never cut.
 */
export function reportLines(r: WeeklyReport, style: ReportStyle = PLAIN_STYLE, options: ReportOptions = {}): string[] {
  const limit = (n: number) => (options.all ? Infinity : n);
  /** Names joined within what is left of a line that already holds `used` characters. */
  const joined = (names: readonly string[], items: number, used: number) =>
    joinList(names, { items: limit(items), chars: style.lineMax === undefined ? undefined : style.lineMax - used });
  const listLine = (head: string, names: readonly string[]) => (names.length ? `${head}: ${joined(names, NAMES_LISTED, head.length + 2)}` : head);
  const channels = (items: readonly ReportChannel[]) => items.map((c) => style.channel(c.name));
  const lines = [
    style.bold(`Weekly channel report: ${r.workspaceName ?? r.workspaceId}, week to ${r.today}`),
    ...(r.checks ? [checkHistoryLine(r.checks, style.time)] : []),
    '',
    style.bold(`Health (${count(r.total.now, 'channel')}; change since a week ago)`),
    ...HEALTHS.map((h) => `• ${HEALTH_LABELS[h]}: ${r.health[h].now} (${change(r.health[h].now, r.health[h].weekAgo)})`),
    '',
    style.bold('What happened this week'),
    listLine(`• Refreshed: ${r.happened.refreshed.length}`, channels(uniqueChannels(r.happened.refreshed))),
    listLine(`• Newly at risk: ${r.happened.newlyAtRisk.length}`, channels(r.happened.newlyAtRisk)),
    listLine(`• Disconnected: ${r.happened.disconnected.length}`, channels(uniqueChannels(r.happened.disconnected))),
    listLine(`• Reconnected: ${r.happened.reconnected.length}`, channels(uniqueChannels(r.happened.reconnected))),
    listLine(`• Escalated: ${count(r.happened.escalated.steps, 'step')}`, channels(r.happened.escalated.channels)),
    '',
  ];
  const network = (n: Network | null) => (n ? `${networkLabel(n)} ` : '');
  const listed = <T>(items: readonly T[], max: number, line: (item: T) => string) => {
    const shown = items.slice(0, limit(max));
    lines.push(...shown.map(line));
    if (items.length > shown.length) lines.push(`• and ${(items.length - shown.length).toLocaleString('en-US')} more`);
  };
  if (r.overdue.length) {
    lines.push(style.bold(`Overdue: ${r.overdue.length}`));
    listed(
      r.overdue,
      DEADLINES_LISTED,
      (o) => `• ${network(o.network)}${style.channel(o.name)}: ${PAST_LABELS[o.kind]} ${o.date} (${HEALTH_LABELS[o.severity].toLowerCase()})`,
    );
    lines.push('');
  }
  lines.push(style.bold(`Deadlines in the next ${REPORT_DEADLINE_DAYS} days: ${r.deadlines.length}`));
  if (!r.deadlines.length) lines.push('• none');
  listed(
    r.deadlines,
    DEADLINES_LISTED,
    (d) => `• ${d.date}  ${network(d.network)}${style.channel(d.name)}: ${KIND_LABELS[d.kind]} (${LEVEL_LABELS[d.level].toLowerCase()})`,
  );
  lines.push('', style.bold('Most channels at risk'));
  if (!r.people.length) lines.push('• nobody: no channel owned by someone is at risk');
  const people = r.people.slice(0, limit(TOP_PEOPLE));
  for (const p of people) {
    const head = `• ${style.person(p.userId, p.name)}: ${p.atRisk}`;
    lines.push(`${head} (${joined(p.channels.map(style.channel), PERSON_CHANNELS_LISTED, head.length + 3)})`);
  }
  if (r.people.length > people.length) lines.push(`• and ${count(r.people.length - people.length, 'more person', 'more people')}`);
  return lines;
}

function uniqueChannels(events: readonly ReportEvent[]): ReportChannel[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = `${e.connectionId}:${e.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `--report-day` / the form: a weekday (any case, or its first three letters) or `off`. */
export function validateReportDay(input: string): Validation<ReportDay> {
  const word = input.trim().toLowerCase();
  const day = REPORT_DAYS.find((d) => d === word || (word.length >= 3 && d.startsWith(word)));
  return day
    ? { ok: true, value: day }
    : { ok: false, errors: [{ field: 'reportDay', message: `${JSON.stringify(input)} is not a weekday; use monday … sunday, or off for no weekly report` }] };
}

/** `--report-time`: `HH:mm`, or `check` for the check time (stored as null). */
export function validateReportTime(input: string): Validation<string | null> {
  if (input.trim().toLowerCase() === 'check') return { ok: true, value: null };
  const time = validateCheckTime(input);
  return time.ok ? time : { ok: false, errors: time.errors.map((e) => ({ field: 'reportTime', message: `${e.message}, or check for the check time` })) };
}
