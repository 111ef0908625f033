/** The Slack delivery of warnings: what the check job calls after recording them. */
export { SlackDelivery, DIGEST_AFTER, type SlackDeliveryOptions } from './slack-delivery';
export { createDeliveryClient, type DeliveryClientOptions } from './client';
export { DEFAULT_RETRY, type RetryPolicy } from './slack-sender';
export type { Clock } from './pacer';
export { PerWorkspaceDelivery, type PerWorkspaceDeliveryOptions } from './per-workspace';
