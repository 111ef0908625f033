/**
 * The escalation steps (docs/rules.md "Escalation"), taken by the outbox worker every pass: for each
 * posted at-risk or critical warning it asks the pure rule (src/rules/escalation) what is due, and
 * takes a due step with a conditional update, its audit event and its messages (a DM to each
 * person of the step, or one post in the alert channel mentioning the channel's people, with @here
 * where the workspace switched it on) written as outbox rows, all in one transaction: two replicas
 * take a step once, and a step is never recorded without its messages. The worker then claims the
 * rows of each conversation (a person's DM, an alert channel) together, sends them as one Slack
 * message (`sendEscalationBatch`) and settles them like warnings; each message sent is stored with
 * the warnings it carries, so it follows them like the first post.
 */
import { ANSWERING_ACTIONS, decideEscalation, ladderFor } from '../rules/escalation';
import { todayIn } from '../rules/calendar';
import { resolvePolicy } from '../rules/policy';
import { ESCALATED_ACTION, type Connection, type EscalationRung, type Warning, type Workspace } from '../domain';
import type { Logger } from '../logger';
import type { EscalationMessage, NewEscalationMessage } from '../store/escalation-message-repository';
import type { Store } from '../store/store';
import { SLACK_UNAVAILABLE, type RowFailure } from './queue';
import type { Outgoing, PostedKind, SlackPort } from './slack-port';
import { toWarningItem } from './warning-item';

export type { EscalationMessage } from '../store/escalation-message-repository';

export interface EscalateDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
  /** SLACK_ALERT_CHANNEL, for workspaces that have not chosen one. */
  alertChannelFallback?: string | null;
}

/** What sending one claimed escalation message came to: the worker settles its row accordingly. */
export type EscalationResult =
  /** In Slack (posted now, or found in the history): stored as a message carrying `warning` (with the others it went with). */
  | { outcome: 'sent'; channel: string; ts: string; kind: PostedKind; recipient: string | null; warning: Warning }
  /** Not sent for a temporary reason: tried again with backoff (or failed after the last attempt). */
  | { outcome: 'retry'; reason: RowFailure }
  /** A person must act first (the reason says what). */
  | { outcome: 'failed'; reason: RowFailure }
  /** Not worth sending any more: its warning was settled or acknowledged, or its channel removed. */
  | { outcome: 'dropped' };

/** A history look-up starts this long before the message was written (clocks of Slack and the database differ). */
const HISTORY_SLACK_MS = 60_000;

export interface EscalationReport {
  /** Steps taken. */
  escalated: number;
  /** Climbs ended (someone acted, the top reached, escalation off). */
  ended: number;
}

const BATCH = 200;

/** Takes every escalation step due now (of one workspace, or all). */
export async function escalateDue(deps: EscalateDeps, options: { workspaceId?: string } = {}): Promise<EscalationReport> {
  const { store, logger } = deps;
  const now = deps.now();
  const report: EscalationReport = { escalated: 0, ended: 0 };
  const seen = new Set<number>();
  const workspaces = new Map<string, Workspace | null>();
  for (;;) {
    const rows = (await store.escalations.due(now, BATCH, options.workspaceId)).filter((w) => !seen.has(w.id));
    if (!rows.length) return report;
    const byWorkspace = new Map<string, Warning[]>();
    for (const row of rows) {
      seen.add(row.id);
      byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row]);
    }
    for (const [workspaceId, warnings] of byWorkspace) {
      if (!workspaces.has(workspaceId)) workspaces.set(workspaceId, await store.workspaces.findById(workspaceId));
      const workspace = workspaces.get(workspaceId);
      if (!workspace) continue;
      const connectionIds = [...new Set(warnings.map((w) => w.connectionId))];
      const lastActions = await store.escalations.lastActions(workspaceId, connectionIds, ANSWERING_ACTIONS);
      for (const warning of warnings) {
        try {
          await escalateOne(deps, workspace, warning, lastActions.get(warning.connectionId) ?? null, now, report);
        } catch (error) {
          logger.warn({ workspaceId, warningId: warning.id, err: (error as Error).message }, 'escalation step not taken; tried again next pass');
        }
      }
    }
  }
}

async function escalateOne(
  deps: EscalateDeps,
  workspace: Workspace,
  warning: Warning,
  lastActionAt: Date | null,
  now: Date,
  report: EscalationReport,
): Promise<void> {
  const { store } = deps;
  const connection = await store.connections.findById(workspace.id, warning.connectionId);
  if (!connection || connection.archivedAt || connection.retiredAt) {
    if (await store.escalations.end(warning.id, warning.escalationStep, 'off')) report.ended += 1;
    return;
  }
  const decision = decideEscalation(warning, workspace.escalation, now, lastActionAt);
  if (decision.kind === 'idle') return;
  if (decision.kind === 'wait') {
    if (warning.escalateAt?.getTime() !== decision.until.getTime()) await store.escalations.plan(warning.id, warning.escalationStep, decision.until);
    return;
  }
  if (decision.kind === 'end') {
    if (await store.escalations.end(warning.id, warning.escalationStep, decision.reason)) report.ended += 1;
    return;
  }
  const { rung, index, nextAt } = decision;
  const recipients = await recipientsOf(deps, workspace, connection, rung);
  const of = ladderFor(workspace.escalation, warning.severity).length;
  const messages = messagesOf(deps, workspace, warning, rung, index + 1, recipients);
  const won = await store.transaction(async (tx) => {
    if (!(await tx.escalations.advance(warning.id, index, now, nextAt))) return false;
    await tx.audit.append({
      workspaceId: workspace.id,
      connectionId: connection.id,
      actorId: 'system',
      action: ESCALATED_ACTION,
      details: { warningId: warning.id, kind: warning.kind, severity: warning.severity, step: index + 1, of, to: rung.to, recipients },
      at: now,
    });
    await tx.escalationMessages.add(messages);
    return true;
  });
  // Another replica took this step first: its messages are written with it.
  if (!won) return;
  report.escalated += 1;
  if (!messages.length) deps.logger.info({ workspaceId: workspace.id, warningId: warning.id, to: rung.to }, 'escalation step has nobody to tell');
  deps.logger.info({ workspaceId: workspace.id, warningId: warning.id, step: index + 1, to: rung.to, messages: messages.length }, 'warning escalated');
}

/** A step's messages: a DM to each person, or one post in the alert channel (none without one). */
function messagesOf(
  deps: Pick<EscalateDeps, 'alertChannelFallback'>,
  workspace: Workspace,
  warning: Warning,
  rung: EscalationRung,
  step: number,
  recipients: string[],
): NewEscalationMessage[] {
  const base = { workspaceId: workspace.id, warningId: warning.id, step, rung };
  if (rung.to !== 'channel') return recipients.map((userId) => ({ ...base, recipient: userId, channel: null, mentions: [], here: false }));
  const alertChannel = workspace.alertChannel ?? deps.alertChannelFallback ?? null;
  if (!alertChannel) return [];
  return [{ ...base, recipient: null, channel: alertChannel, mentions: recipients, here: workspace.escalation.here === true }];
}

/** The active people a step is for: the owner, the backups, the team leaders (admins when there are none), or, for the channel, owner and backups to mention. */
async function recipientsOf(deps: Pick<EscalateDeps, 'store'>, workspace: Workspace, connection: Connection, rung: EscalationRung): Promise<string[]> {
  const inactive = await deps.store.members.inactiveUserIds(workspace.id);
  const active = (ids: (string | null)[]) => [...new Set(ids.filter((id): id is string => !!id && !inactive.has(id)))];
  const backups = connection.backups.map((b) => b.userId).filter((id) => id !== connection.ownerId);
  switch (rung.to) {
    case 'owner':
      return active([connection.ownerId]);
    case 'backups':
      return active(backups);
    case 'leaders': {
      const leaders = await deps.store.members.list(workspace.id, { role: 'team_leader', active: true });
      const people = leaders.length ? leaders : await deps.store.members.list(workspace.id, { role: 'admin', active: true });
      return active(people.map((m) => m.userId));
    }
    case 'channel':
      return active([connection.ownerId, ...backups]);
  }
}

/**
 * Sends the claimed escalation messages of one conversation (a person's DM, or the alert channel) as
 * one Slack message listing every warning still worth telling (src/bot/blocks/escalation.ts). Messages
 * claimed before (attempts above one) may be in Slack already (the answer lost, or a replica killed
 * after the post): the conversation's history is searched for their row ids first, and those found
 * count as sent. Writes no row: the worker settles each from its result.
 */
export async function sendEscalationBatch(
  deps: Pick<EscalateDeps, 'store' | 'now' | 'alertChannelFallback'>,
  port: SlackPort,
  messages: readonly EscalationMessage[],
): Promise<Map<number, EscalationResult>> {
  const { store } = deps;
  const results = new Map<number, EscalationResult>();
  const first = messages[0];
  if (!first) return results;
  const workspace = await store.workspaces.findById(first.workspaceId);
  const to = first.recipient ?? first.channel;
  const live: Live[] = [];
  // Two reads for the whole batch: the open warnings it names, and the channels in use.
  const warningIds = new Set(messages.map((m) => m.warningId));
  const warnings = new Map<number, Warning>();
  const connections = new Map<number, Connection>();
  if (workspace && to) {
    for (const w of await store.warnings.listOpen(workspace.id)) if (warningIds.has(w.id)) warnings.set(w.id, w);
    if (warnings.size) for (const c of await store.connections.list(workspace.id, { retired: false })) connections.set(c.id, c);
  }
  for (const message of messages) {
    const warning = warnings.get(message.warningId);
    const connection = warning ? connections.get(warning.connectionId) : undefined;
    // Settled, taken ("I'm on it") or removed since the step: not worth telling any more.
    if (!warning || warning.state !== 'posted' || warning.acknowledgedAt || !connection) {
      results.set(message.id, { outcome: 'dropped' });
      continue;
    }
    live.push({ message, warning, connection });
  }
  if (!live.length || !workspace || !to) return results;
  const sent = (post: { channel: string; ts: string }, kind: PostedKind) => (l: Live) =>
    results.set(l.message.id, { outcome: 'sent', channel: post.channel, ts: post.ts, kind, recipient: first.recipient, warning: l.warning });
  let unsent = live;
  const repeated = live.filter((l) => l.message.attempts > 1);
  if (repeated.length) {
    const since = new Date(Math.min(...repeated.map((l) => l.message.createdAt.getTime())) - HISTORY_SLACK_MS);
    const found = await port.findPosts(
      to,
      repeated.map((l) => l.message.id),
      since,
      'escalations',
    );
    for (const l of live) {
      const post = found.get(l.message.id);
      if (post) sent(post, kindOf(first, post.escalationIds.length))(l);
    }
    unsent = live.filter((l) => !found.has(l.message.id));
  }
  if (!unsent.length) return results;
  const outgoing = outgoingOf(deps, workspace, unsent);
  const result = await port.post(to, outgoing, { escalationIds: unsent.map((l) => l.message.id) });
  const settle = (outcome: EscalationResult) => unsent.forEach((l) => results.set(l.message.id, outcome));
  if (result.ok) unsent.forEach(sent(result, kindOf(first, outgoing.escalated.length)));
  else if (result.outcome === 'failed') settle({ outcome: 'failed', reason: { code: result.code, text: result.reason } });
  else settle({ outcome: 'retry', reason: { code: SLACK_UNAVAILABLE, text: result.reason } });
  return results;
}

/** A claimed message still worth sending, with what it is about. */
interface Live {
  message: EscalationMessage;
  warning: Warning;
  connection: Connection;
}

/** How a sent message is stored: a DM, or the channel post (one warning: its own message; more: a digest). */
function kindOf(message: EscalationMessage, warnings: number): PostedKind {
  if (message.recipient) return 'dm';
  return warnings > 1 ? 'digest' : 'alert';
}

/** The batch as one message: each warning once (with the highest step that brought it), the people of every one mentioned. */
function outgoingOf(deps: Pick<EscalateDeps, 'now' | 'alertChannelFallback'>, workspace: Workspace, live: readonly Live[]): EscalationOutgoing {
  const alertChannel = workspace.alertChannel ?? deps.alertChannelFallback ?? null;
  const today = todayIn(deps.now(), workspace.timeZone);
  const byWarning = new Map<number, Live>();
  for (const l of live) {
    const seen = byWarning.get(l.warning.id);
    if (!seen || seen.message.step < l.message.step) byWarning.set(l.warning.id, l);
  }
  const escalated = [...byWarning.values()].map(({ warning, connection, message }) => ({
    item: toWarningItem(warning, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides, connection.tool) }),
    rung: message.rung,
  }));
  const { escalation } = workspace;
  const first = live[0]!;
  if (first.message.recipient)
    return { kind: 'escalation_dm', userId: first.message.recipient, escalated, alertChannel: alertChannel ?? first.warning.slackChannel ?? '', escalation };
  const mentions = [...new Set(live.flatMap((l) => l.message.mentions))];
  return { kind: 'escalation_post', escalated, mentions, here: live.some((l) => l.message.here), escalation };
}

type EscalationOutgoing = Extract<Outgoing, { kind: 'escalation_dm' | 'escalation_post' }>;
