/**
 * A team's own apps tell the state of the tokens they issued: LinkedIn's token introspection
 * (`POST /oauth/v2/introspectToken`: active, status, expires_at) and Meta's `GET /debug_token`
 * (data.is_valid, data.expires_at, data.data_access_expires_at). docs/sources.md lists the pages.
 */
import { SourceFailure, SourceHttp, type HttpOptions } from './http';

/** What one token's introspection said; dates in seconds since the epoch, null when none was said. */
export interface TokenState {
  /** Why the token no longer works, or null when it does. */
  invalid: string | null;
  /** `never`: the token does not expire (Meta's `expires_at: 0`). */
  expiresAt: number | 'never' | null;
  dataAccessExpiresAt: number | null;
}

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

export class LinkedInIntrospection {
  private readonly http: SourceHttp;

  constructor(
    private readonly baseUrl: string,
    options?: HttpOptions,
  ) {
    this.http = new SourceHttp('linkedin-app', 0, options);
  }

  async inspect(app: AppCredentials, token: string): Promise<TokenState> {
    const answer = await this.http.json<{ active?: boolean; status?: string; expires_at?: number }>({
      method: 'POST',
      url: `${this.baseUrl}/oauth/v2/introspectToken`,
      form: { client_id: app.clientId, client_secret: app.clientSecret, token },
    });
    if (typeof answer.active !== 'boolean') throw new SourceFailure('linkedin-app', 'LinkedIn answered without "active"; check LINKEDIN_API_URL');
    const status = answer.status ?? (answer.active ? 'active' : 'inactive');
    const invalid = !answer.active
      ? `token ${status === 'active' ? 'inactive' : status}`
      : status === 'expired' || status === 'revoked'
        ? `token ${status}`
        : null;
    // A revoked token may come with expires_at 0: no date.
    const expiresAt = typeof answer.expires_at === 'number' && answer.expires_at > 0 ? answer.expires_at : null;
    return { invalid, expiresAt, dataAccessExpiresAt: null };
  }
}

export class MetaDebugToken {
  private readonly http: SourceHttp;

  constructor(
    private readonly baseUrl: string,
    options?: HttpOptions,
  ) {
    this.http = new SourceHttp('meta-app', 0, options);
  }

  async inspect(app: AppCredentials, token: string): Promise<TokenState> {
    const url = new URL(`${this.baseUrl}/debug_token`);
    url.searchParams.set('input_token', token);
    url.searchParams.set('access_token', `${app.clientId}|${app.clientSecret}`);
    const answer = await this.http
      .json<{ data?: { is_valid?: boolean; expires_at?: number; data_access_expires_at?: number } }>({ method: 'GET', url: url.toString() })
      .catch((error: unknown) => {
        // Meta refuses a wrong app id or secret with 400 and OAuthException 190, not 401.
        if (error instanceof SourceFailure && /"code":\s*190\b/.test(error.message)) {
          throw new SourceFailure(
            'meta-app',
            'Meta refused the app id or secret (OAuthException 190): give it new ones (channel-keeper sources add meta-app …)',
            true,
          );
        }
        throw error;
      });
    if (!answer.data || typeof answer.data.is_valid !== 'boolean')
      throw new SourceFailure('meta-app', 'Meta answered without data.is_valid; check META_GRAPH_URL');
    const { is_valid, expires_at, data_access_expires_at } = answer.data;
    return {
      invalid: is_valid ? null : 'token invalid',
      // 0: the token never expires.
      expiresAt: expires_at === 0 ? 'never' : typeof expires_at === 'number' ? expires_at : null,
      dataAccessExpiresAt: data_access_expires_at ? data_access_expires_at : null,
    };
  }
}
