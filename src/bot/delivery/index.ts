/** The Slack side of the outbox: the port that turns warning items into messages and sends them. */
export { PerWorkspacePorts, SlackPortAdapter, singlePort, type SlackPortOptions } from './slack-port';
export { createDeliveryClient, type DeliveryClientOptions } from './client';
export { DEFAULT_RETRY, type RetryPolicy } from './slack-sender';
export type { Clock } from './pacer';
