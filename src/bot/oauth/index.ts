/**
 * Multi-workspace mode (Slack OAuth distribution, docs/architecture.md "Multi-workspace mode"): the
 * installations with their encrypted tokens, the token source that refreshes them, and the
 * per-workspace clients background work posts with. Built once per process by `serve`.
 */
import { LogLevel, type WebClient } from '@slack/web-api';
import type { OAuthConfig } from '../../config';
import type { Logger } from '../../logger';
import type { ServiceDeps } from '../../services/deps';
import { openInstallations, type Installations } from '../../services/installations';
import { InstallationClients, type SlackClients } from './clients';
import { WorkspaceTokens } from './tokens';

export interface MultiWorkspace {
  oauth: OAuthConfig;
  installations: Installations;
  tokens: WorkspaceTokens;
  /** Clients for background work: library retries off, as the delivery expects (delivery/client.ts). */
  clients: SlackClients;
}

export function createMultiWorkspace(options: {
  oauth: OAuthConfig;
  store: ServiceDeps['store'];
  logger: Logger;
  now: () => Date;
  apiUrl?: string | null;
  /** Wraps each workspace's client (e.g. metrics). */
  instrument?: (client: WebClient) => WebClient;
}): MultiWorkspace {
  const { oauth, logger, now, apiUrl } = options;
  const installations = openInstallations(options, {
    current: oauth.encryptionKey,
    previous: oauth.previousEncryptionKey,
    next: oauth.nextEncryptionKey ?? null,
  });
  const tokens = new WorkspaceTokens({ installations, clientId: oauth.clientId, clientSecret: oauth.clientSecret, apiUrl, now, logger });
  // The options of the single-workspace delivery client (delivery/client.ts); the token comes per call.
  const clients = new InstallationClients(tokens, options.instrument, {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logLevel: LogLevel.ERROR,
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  });
  return { oauth, installations, tokens, clients };
}
