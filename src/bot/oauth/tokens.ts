/**
 * Each installation's bot token, fresh: with token rotation on, Slack's bot tokens expire after 12
 * hours and each refresh token can be exchanged once. Bolt refreshes only when a request comes in,
 * so every outbound call (the outbox worker, DMs, the scheduler) asks here first. A token within
 * `REFRESH_WINDOW_SECONDS` of its expiry is refreshed by exactly one caller across replicas: the
 * refresh is claimed with a conditional update (store `claimRefresh`); the others wait for the
 * new token, or use the current one while it is still valid.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import type { InstallationKey, Installations, StoredInstallation } from '../../services/installations';

/** Refresh this long before expiry (Bolt's own window: it then never refreshes itself). */
export const REFRESH_WINDOW_SECONDS = 2 * 60 * 60;
/** A claim outlives a refresh that crashed half-way; another replica may then try. */
const CLAIM_MS = 30_000;
const POLL_MS = 100;

export class NotInstalledError extends Error {
  constructor(workspaceId: string) {
    super(`Channel Keeper is not installed in workspace ${workspaceId} (or was uninstalled)`);
    this.name = 'NotInstalledError';
  }
}

export interface WorkspaceTokensDeps {
  installations: Installations;
  clientId: string;
  clientSecret: string;
  /** SLACK_API_URL, for oauth.v2.access. */
  apiUrl?: string | null;
  now: () => Date;
  logger: Logger;
  /** Injectable wait while another replica refreshes. */
  sleep?: (ms: number) => Promise<void>;
}

export class WorkspaceTokens {
  private readonly oauthClient: WebClient;

  constructor(private readonly deps: WorkspaceTokensDeps) {
    this.oauthClient = new WebClient(undefined, {
      retryConfig: { retries: 0 },
      timeout: 10_000,
      logLevel: LogLevel.ERROR,
      ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl } : {}),
    });
  }

  /** The bot token serving a workspace, refreshed first when close to expiry. */
  async tokenFor(workspaceId: string): Promise<string> {
    const installation = await this.deps.installations.findForWorkspace(workspaceId);
    if (!installation) throw new NotInstalledError(workspaceId);
    return (await this.fresh(installation)).botToken;
  }

  /** The installation with a token valid for at least the refresh window (refreshed once if needed). */
  async fresh(installation: StoredInstallation): Promise<StoredInstallation> {
    const key: InstallationKey = { enterpriseId: installation.enterpriseId, teamId: installation.teamId };
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let current: StoredInstallation | null = installation;
    for (let waited = 0; ; waited += POLL_MS) {
      if (!current) throw new NotInstalledError(key.teamId ?? key.enterpriseId ?? '?');
      const nowSeconds = Math.floor(this.deps.now().getTime() / 1000);
      if (!this.isDue(current, nowSeconds)) return current;
      const now = this.deps.now();
      if (await this.deps.installations.claimRefresh(key, current.refreshStamp!, now, new Date(now.getTime() + CLAIM_MS))) {
        return this.exchange(key, current, nowSeconds);
      }
      // Another replica is exchanging it: a token not yet expired still serves; else wait for theirs.
      if (current.botExpiresAt! > nowSeconds + 60) return current;
      if (waited >= CLAIM_MS) throw new Error('the bot token is being refreshed elsewhere and is not ready yet');
      await sleep(POLL_MS);
      current = await this.deps.installations.find(key);
    }
  }

  private isDue(installation: StoredInstallation, nowSeconds: number): boolean {
    return !!installation.botRefreshToken && installation.botExpiresAt !== null && installation.botExpiresAt - nowSeconds <= REFRESH_WINDOW_SECONDS;
  }

  private async exchange(key: InstallationKey, installation: StoredInstallation, nowSeconds: number): Promise<StoredInstallation> {
    const { installations, logger } = this.deps;
    const stamp = installation.refreshStamp!;
    try {
      const answer = await this.oauthClient.oauth.v2.access({
        client_id: this.deps.clientId,
        client_secret: this.deps.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: installation.botRefreshToken!,
      });
      if (!answer.access_token || !answer.refresh_token || !answer.expires_in) throw new Error('oauth.v2.access answered without a token');
      const tokens = { botToken: answer.access_token, botRefreshToken: answer.refresh_token, botExpiresAt: nowSeconds + answer.expires_in };
      if (!(await installations.completeRefresh(key, stamp, tokens, this.deps.now(), installation.botRefreshToken!))) {
        // Slack has taken the old refresh token: the new one is all there is, and it could not be
        // stored (a reinstall or another refresh came first, or the app was uninstalled). Said
        // loudly, and the new token still serves this call.
        logger.error(
          { team: key.teamId, enterprise: key.enterpriseId },
          'a bot token refresh lost its claim: the new tokens were not stored; if this workspace stops being served, install the app there again',
        );
        return { ...installation, ...tokens, refreshStamp: null };
      }
      logger.info({ team: key.teamId, enterprise: key.enterpriseId, expiresAt: tokens.botExpiresAt }, 'bot token refreshed');
      return (await installations.find(key)) ?? { ...installation, ...tokens };
    } catch (error) {
      await installations.releaseRefresh(key, stamp).catch(() => undefined);
      const e = error as { data?: { error?: string }; message?: string };
      logger.warn({ team: key.teamId, enterprise: key.enterpriseId, err: e.data?.error ?? e.message }, 'bot token refresh failed');
      throw error;
    }
  }
}
