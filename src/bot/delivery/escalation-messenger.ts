/**
 * The Slack side of an escalation step (docs/rules.md "Escalation"): a DM to each person of the
 * step, or one post in the alert channel mentioning the channel's people (and @here where the
 * workspace switched it on). Each message is stored with the warning it carries, so it follows the
 * warning like the first post (resolved, acknowledged, escalated further).
 */
import { todayIn } from '../../checks/calendar';
import { resolvePolicy } from '../../checks/policy';
import type { Logger } from '../../logger';
import type { EscalationMessenger, EscalationStep } from '../../services/escalation';
import type { Store } from '../../store/store';
import { buildEscalationDm, buildEscalationPost, escalationNote } from '../blocks/escalation';
import { toWarningItem } from '../blocks/warning-item';
import type { SlackSender } from './slack-sender';

export class SlackEscalationMessenger implements EscalationMessenger {
  constructor(
    private readonly deps: {
      store: Store;
      sender: SlackSender;
      logger: Logger;
      /** SLACK_ALERT_CHANNEL, for workspaces that have not chosen one. */
      alertChannelFallback?: string | null;
    },
  ) {}

  async send(step: EscalationStep): Promise<number> {
    const { workspace, connection, warning, rung, recipients, here, at } = step;
    const { store, sender, logger } = this.deps;
    const alertChannel = workspace.alertChannel ?? this.deps.alertChannelFallback ?? null;
    const policy = resolvePolicy(connection.network, workspace.policyOverrides, connection.tool);
    const item = toWarningItem(warning, connection, { today: todayIn(at, workspace.timeZone), policy });
    const note = escalationNote(warning, workspace.escalation);
    const targets =
      rung.to === 'channel'
        ? alertChannel
          ? [{ channel: alertChannel, recipient: null, message: buildEscalationPost({ item, rung, mentions: recipients, here, note }) }]
          : []
        : recipients.map((userId) => ({
            channel: userId,
            recipient: userId,
            message: buildEscalationDm({ userId, item, rung, alertChannel: alertChannel ?? warning.slackChannel ?? '', note }),
          }));
    if (!targets.length) logger.info({ workspaceId: workspace.id, warningId: warning.id, to: rung.to }, 'escalation step has nobody to tell');
    let sent = 0;
    for (const target of targets) {
      // No warning ids for the history look-up: the first post carries the same ids and is not this one.
      const result = await sender.post(target.channel, target.message);
      if (!result.ok) {
        logger.warn({ workspaceId: workspace.id, warningId: warning.id, to: rung.to, reason: result.reason }, 'escalation message not sent');
        continue;
      }
      sent += 1;
      await store.warnings.recordMessage({
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
}
