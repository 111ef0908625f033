/**
 * The escalation steps (docs/rules.md "Escalation"), taken by the outbox worker every pass: for each
 * posted at-risk or critical warning it asks the pure rule (src/checks/escalation) what is due,
 * takes a due step with a conditional update and its audit event in one transaction (so two
 * replicas take it once), then tells the people of that step through the Slack port: a DM to each,
 * or one post in the alert channel mentioning the channel's people (and @here where the workspace
 * switched it on). Each message is stored with the warning it carries, so it follows the warning
 * like the first post.
 */
import { ANSWERING_ACTIONS, decideEscalation, ladderFor } from '../checks/escalation';
import { todayIn } from '../checks/calendar';
import { resolvePolicy } from '../checks/policy';
import { ESCALATED_ACTION, type Connection, type EscalationRung, type Warning, type Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { PostedMessages } from './messages';
import type { Outgoing, SlackPort } from './slack-port';
import { toWarningItem } from './warning-item';

export interface EscalateDeps {
  store: Store;
  messages: PostedMessages;
  logger: Logger;
  now: () => Date;
  /** The Slack port of a workspace. */
  portOf: (workspaceId: string) => SlackPort;
  /** SLACK_ALERT_CHANNEL, for workspaces that have not chosen one. */
  alertChannelFallback?: string | null;
}

/** One step to tell people about: who, and about which warning (already advanced to this step). */
export interface EscalationStep {
  workspace: Workspace;
  connection: Connection;
  warning: Warning;
  rung: EscalationRung;
  /** 1-based, of `of` steps in the ladder. */
  number: number;
  of: number;
  /** People to write to (DMs), or to mention in the channel step: active members only. */
  recipients: string[];
  /** The channel step says @here (the workspace switched it on). */
  here: boolean;
  at: Date;
}

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
    return true;
  });
  // Another replica took this step first: it tells the people, not this one.
  if (!won) return;
  report.escalated += 1;
  const advanced: Warning = { ...warning, escalationStep: index + 1, escalatedAt: now, escalateAt: nextAt, escalationEnded: nextAt ? null : 'top' };
  const here = rung.to === 'channel' && workspace.escalation.here === true;
  try {
    await tellStep(deps, { workspace, connection, warning: advanced, rung, number: index + 1, of, recipients, here, at: now });
  } catch (error) {
    // The step is recorded (the audit says so); a Slack failure is logged, not repeated.
    deps.logger.warn({ workspaceId: workspace.id, warningId: warning.id, to: rung.to, err: (error as Error).message }, 'escalation step not delivered');
  }
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

/** Sends a step's messages; returns how many went out. */
async function tellStep(deps: EscalateDeps, step: EscalationStep): Promise<number> {
  const { workspace, connection, warning, rung, recipients, here, at } = step;
  const { messages, logger } = deps;
  const port = deps.portOf(workspace.id);
  const alertChannel = workspace.alertChannel ?? deps.alertChannelFallback ?? null;
  const policy = resolvePolicy(connection.network, workspace.policyOverrides, connection.tool);
  const item = toWarningItem(warning, connection, { today: todayIn(at, workspace.timeZone), policy });
  const escalation = workspace.escalation;
  const targets: { to: string; recipient: string | null; message: Outgoing }[] =
    rung.to === 'channel'
      ? alertChannel
        ? [{ to: alertChannel, recipient: null, message: { kind: 'escalation_post', item, rung, mentions: recipients, here, escalation } }]
        : []
      : recipients.map((userId) => ({
          to: userId,
          recipient: userId,
          message: { kind: 'escalation_dm', userId, item, rung, alertChannel: alertChannel ?? warning.slackChannel ?? '', escalation },
        }));
  if (!targets.length) logger.info({ workspaceId: workspace.id, warningId: warning.id, to: rung.to }, 'escalation step has nobody to tell');
  let sent = 0;
  for (const target of targets) {
    // No warning ids for the history look-up: the first post carries the same ids and is not this one.
    const result = await port.post(target.to, target.message);
    if (!result.ok) {
      logger.warn({ workspaceId: workspace.id, warningId: warning.id, to: rung.to, reason: result.reason }, 'escalation message not sent');
      continue;
    }
    sent += 1;
    await messages.record({
      workspaceId: workspace.id,
      channel: result.channel,
      ts: result.ts,
      kind: target.recipient ? 'dm' : 'alert',
      recipient: target.recipient,
      warnings: [warning],
    });
  }
  logger.info({ workspaceId: workspace.id, warningId: warning.id, step: step.number, to: rung.to, sent }, 'warning escalated');
  return sent;
}
