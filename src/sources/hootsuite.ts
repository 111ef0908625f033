/**
 * Hootsuite's REST API: `GET /v1/socialProfiles` with the access token (Bearer); when the OAuth
 * client is configured, an expired token (401) is exchanged once at `/oauth2/token` with the
 * refresh token, and "Connect Hootsuite" exchanges its authorization code there. Fields read: id,
 * type, socialNetworkUsername, isReauthRequired (docs/sources.md).
 */
import { SourceFailure, SourceHttp, type HttpOptions } from './http';
import { handleUrl, HOOTSUITE_TYPES, type ToolListing, type ToolProfile } from './profiles';

interface HootsuiteProfile {
  id: string | number;
  type: string;
  socialNetworkId?: string | null;
  socialNetworkUsername?: string | null;
  owner?: string;
  ownerId?: string | number;
  isReauthRequired?: number | boolean;
}

export interface HootsuiteTokens {
  accessToken: string;
  refreshToken: string | null;
}

export interface HootsuiteClientConfig {
  baseUrl: string;
  /** HOOTSUITE_CLIENT_ID and _SECRET: with them, tokens are refreshed. */
  oauth: { clientId: string; clientSecret: string } | null;
}

/** Hootsuite allows 20 requests a second: one every 50 ms. */
const GAP_MS = 50;

export class HootsuiteClient {
  private readonly http: SourceHttp;
  /** A person's browser waits on the code's exchange: one retry, a shorter timeout. */
  private readonly signIn: SourceHttp;

  constructor(
    private readonly config: HootsuiteClientConfig,
    options?: HttpOptions,
  ) {
    this.http = new SourceHttp('hootsuite', GAP_MS, options);
    this.signIn = new SourceHttp('hootsuite', GAP_MS, { attempts: 2, timeoutMs: 15_000, ...options });
  }

  /** The authorize address a person signs in at (scope `offline`: a refresh token comes with the code). */
  authorizeUrl(redirectUri: string, state: string): string {
    const query = new URLSearchParams({ response_type: 'code', client_id: this.oauth.clientId, redirect_uri: redirectUri, scope: 'offline', state });
    return `${this.config.baseUrl}/oauth2/auth?${query.toString()}`;
  }

  /** Exchanges the code Hootsuite sent back (to `redirectUri`, the one the authorize address named) for tokens. */
  async exchangeCode(code: string, redirectUri: string): Promise<HootsuiteTokens> {
    const answer = await this.signIn.json<{ access_token?: string; refresh_token?: string }>({
      method: 'POST',
      url: `${this.config.baseUrl}/oauth2/token`,
      headers: { authorization: this.basic() },
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
    });
    if (!answer.access_token) throw new SourceFailure('hootsuite', 'Hootsuite gave no access token for the code', false, 200);
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token ?? null };
  }

  /** The profiles, and the tokens when they were refreshed on the way (to be stored). */
  async list(tokens: HootsuiteTokens): Promise<ToolListing & { refreshed: HootsuiteTokens | null }> {
    try {
      return { ...(await this.fetch(tokens.accessToken)), refreshed: null };
    } catch (error) {
      if (!(error instanceof SourceFailure && error.needsCredential && tokens.refreshToken && this.config.oauth)) throw error;
      const refreshed = await this.refresh(tokens.refreshToken);
      return { ...(await this.fetch(refreshed.accessToken)), refreshed };
    }
  }

  async refresh(refreshToken: string): Promise<HootsuiteTokens> {
    const answer = await this.http.json<{ access_token?: string; refresh_token?: string }>({
      method: 'POST',
      url: `${this.config.baseUrl}/oauth2/token`,
      headers: { authorization: this.basic() },
      form: { grant_type: 'refresh_token', refresh_token: refreshToken },
    });
    if (!answer.access_token) throw new SourceFailure('hootsuite', 'Hootsuite gave no access token for the refresh token: connect Hootsuite again', true);
    return { accessToken: answer.access_token, refreshToken: answer.refresh_token ?? refreshToken };
  }

  private get oauth(): { clientId: string; clientSecret: string } {
    if (!this.config.oauth) throw new Error('Hootsuite OAuth needs HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET');
    return this.config.oauth;
  }

  /** The app's client authentication at the token endpoint: HTTP Basic, client id and secret. */
  private basic(): string {
    const { clientId, clientSecret } = this.oauth;
    return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  }

  private async fetch(accessToken: string): Promise<ToolListing> {
    const answer = await this.http.json<{ data?: HootsuiteProfile[] }>({
      method: 'GET',
      url: `${this.config.baseUrl}/v1/socialProfiles`,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (!Array.isArray(answer.data))
      throw new SourceFailure('hootsuite', 'Hootsuite answered without a list of social profiles (data); check HOOTSUITE_API_URL');
    const listing: ToolListing = { profiles: [], skipped: {} };
    for (const profile of answer.data) {
      const mapped = HOOTSUITE_TYPES[profile.type];
      const name = profile.socialNetworkUsername?.trim();
      if (!mapped || !name) {
        listing.skipped[profile.type] = (listing.skipped[profile.type] ?? 0) + 1;
        continue;
      }
      const reauth = profile.isReauthRequired === 1 || profile.isReauthRequired === true;
      const item: ToolProfile = {
        source: 'hootsuite',
        externalId: String(profile.id),
        ...mapped,
        name,
        url: handleUrl(mapped.network, name),
        disconnected: reauth ? 'reconnect needed' : null,
      };
      listing.profiles.push(item);
    }
    return listing;
  }
}
