/** What every listener needs, handed down from `createApp` (no globals, so tests can build several apps). */
import type { Logger } from '../logger';
import type { Store } from '../store';

export interface BotDeps {
  store: Store;
  logger: Logger;
  /** The clock: rules never call `new Date()` themselves. */
  now: () => Date;
  /** SLACK_ALERT_CHANNEL: the alert channel of workspaces that have not chosen one. */
  defaultAlertChannel: string | null;
  /**
   * Called after a workspace is first seen or its settings change, so the scheduler can
   * (re)schedule its daily check. serve wires it to `CheckScheduler.reschedule`.
   */
  onWorkspaceChanged?: (workspaceId: string) => Promise<void>;
  /**
   * Runs a workspace's check now, delivery included (serve wires it to the scheduler): for news
   * that cannot wait for the daily run, such as a channel owner's Slack account being deactivated.
   */
  checkNow?: (workspaceId: string) => Promise<void>;
}
