/**
 * The delivery used while Slack is not configured: it says how many warnings wait, and leaves
 * every row `pending`, so nothing is lost and Slack, once set up, posts them.
 */
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { DeliveryContext, DeliveryReport, WarningDelivery } from './delivery';

export const SLACK_NOT_CONFIGURED = 'Slack is not configured';

export class LogDelivery implements WarningDelivery {
  readonly posts = false;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async deliver({ workspace, claimed }: DeliveryContext): Promise<DeliveryReport> {
    for (const row of claimed) await this.store.warnings.releaseForRetry(row.id, SLACK_NOT_CONFIGURED, row.claimedBy);
    const byState = await this.store.warnings.countByState(workspace.id);
    const pending = byState.pending ?? 0;
    // Ids and counts only: warning texts name pages and people, and tokens never reach this object.
    const fields = { workspace: workspace.id, pending, failed: byState.failed ?? 0, slackConfigured: false };
    if (pending > 0) this.logger.info(fields, `${SLACK_NOT_CONFIGURED}: ${pending} warning(s) wait in the outbox until it is`);
    else this.logger.debug(fields, `${SLACK_NOT_CONFIGURED}: no warning waits`);
    return { posted: 0, failed: 0, pending, note: SLACK_NOT_CONFIGURED };
  }
}
