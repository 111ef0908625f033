/**
 * Which Slack the outbox posts through: a port when a bot token is set (the same for `serve`'s
 * worker and for `check`), one per workspace in multi-workspace mode, otherwise none, which keeps
 * warnings pending until Slack is set up.
 */
import { hostname } from 'node:os';
import { createDeliveryClient } from '../bot/delivery/client';
import { PerWorkspacePorts, singlePort, SlackPortAdapter } from '../bot/delivery/slack-port';
import type { SlackClients } from '../bot/oauth/clients';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { instrumentSlackClient, type Metrics } from '../metrics';
import type { SlackPorts } from '../outbox/slack-port';
import { LogReportDelivery, type ReportDelivery } from '../runs/weekly-report-run';
import { SlackReportDelivery } from '../bot/delivery/report-delivery';
import type { Store } from '../store/store';

/** Identifies this process in claims on the outbox, so a replica only settles rows it claimed. */
export const DELIVERY_HOLDER = `${hostname()}:${process.pid}`;

/** What a delivery may need to be built; the Slack delivery reads the Slack settings from `config`. */
export interface DeliveryDeps {
  store: Store;
  config: Config;
  logger: Logger;
  /** When given, every Slack Web API call is counted with its outcome and latency. */
  metrics?: Metrics;
  /** Multi-workspace mode: each workspace's client (its own token); the delivery then posts per workspace. */
  clients?: SlackClients;
  /** When it fires, Slack requests in flight are abandoned (`check` gave up waiting: src/cli/slack-wait.ts). */
  signal?: AbortSignal;
}

/** Builds the outbox's Slack ports (null: Slack not configured): `check` and `serve` take one, so tests can plug in their own. */
export type DeliveryFactory = (deps: DeliveryDeps) => SlackPorts | null;

export const configuredDeliveryFactory: DeliveryFactory = ({ config, logger, metrics, clients, signal }) => {
  const now = () => new Date();
  if (clients) return new PerWorkspacePorts({ clients, logger, now });
  const token = config.slack.botToken;
  if (!token) return null;
  const plain = createDeliveryClient(token, { ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), ...(signal ? { signal } : {}) });
  const client = metrics ? instrumentSlackClient(plain, metrics, () => performance.now()) : plain;
  return singlePort(new SlackPortAdapter({ client, logger, now }));
};

/** Where `serve` posts the weekly report: Slack when a bot token is set, otherwise the log. */
export function configuredReportDelivery({ config, logger, clients }: Pick<DeliveryDeps, 'config' | 'logger' | 'clients'>): ReportDelivery {
  if (clients) return new SlackReportDelivery((workspaceId) => clients.forWorkspace(workspaceId), logger);
  const token = config.slack.botToken;
  if (!token) return new LogReportDelivery(logger);
  return new SlackReportDelivery(createDeliveryClient(token, config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), logger);
}
