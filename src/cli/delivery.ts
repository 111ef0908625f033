/**
 * Which delivery a real check run uses: Slack when a bot token is set (the same for `serve`'s
 * scheduler and for `check`), otherwise the log, which keeps warnings pending until Slack is set up.
 */
import { hostname } from 'node:os';
import { createDeliveryClient, SlackDelivery } from '../bot/delivery';
import { logDeliveryFactory, type DeliveryFactory } from '../checks/log-delivery';

/** Identifies this process in claims on the outbox, so a replica only settles rows it claimed. */
export const DELIVERY_HOLDER = `${hostname()}:${process.pid}`;

export const configuredDeliveryFactory: DeliveryFactory = (deps) => {
  const { config, store, logger } = deps;
  const token = config.slack.botToken;
  if (!token) return logDeliveryFactory(deps);
  const client = createDeliveryClient(token, config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {});
  return new SlackDelivery({ store, client, logger, holder: DELIVERY_HOLDER, alertChannelFallback: config.alertChannel });
};
