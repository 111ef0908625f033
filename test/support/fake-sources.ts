/**
 * Fake Hootsuite, Buffer, LinkedIn and Meta APIs on loopback (node:http), answering with the
 * documented request and response shapes (docs/sources.md): `/hootsuite/v1/socialProfiles`,
 * `/hootsuite/oauth2/auth` (the sign-in: straight back to the redirect URI with a code, or with
 * `error=access_denied` when `hootsuiteDenies`) and `/hootsuite/oauth2/token` (refresh, and the
 * code's exchange, which checks the app's Basic auth, the code and the redirect URI), Buffer's GraphQL POSTed to `/buffer`, `/linkedin/oauth/v2/introspectToken`
 * and `/meta/debug_token`. `failNext` queues answers (429 with Retry-After, 401, 5xx) before the
 * real one; every request is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HootsuiteProfileFixture {
  id: string;
  type: string;
  socialNetworkId?: string;
  socialNetworkUsername: string;
  owner?: string;
  ownerId?: string;
  isReauthRequired: 0 | 1;
}

export interface BufferChannelFixture {
  id: string;
  name: string;
  displayName: string;
  service: string;
  serviceId: string;
  isDisconnected: boolean;
  isLocked: boolean;
}

export interface Recorded {
  route: Route;
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

export type Route = 'hootsuite' | 'hootsuite-auth' | 'hootsuite-token' | 'buffer' | 'linkedin' | 'meta';

interface Forced {
  status: number;
  retryAfter?: string;
}

export class FakeSources {
  hootsuiteToken = 'hs-access';
  hootsuiteRefresh = 'hs-refresh';
  hootsuiteProfiles: HootsuiteProfileFixture[] = [];
  /** The Hootsuite app "Connect Hootsuite" signs in with. */
  hootsuiteApp = { clientId: 'hs-client', clientSecret: 'hs-secret' };
  /** The person chooses Deny at the sign-in. */
  hootsuiteDenies = false;
  /** Codes given at the sign-in and not exchanged yet, with the redirect URI they were given for. */
  private readonly hootsuiteCodes = new Map<string, string>();
  private issued = 0;
  bufferKey = 'buffer-key';
  bufferOrganizations = ['org1'];
  bufferChannels: Record<string, BufferChannelFixture[]> = {};
  linkedinApp = { clientId: 'li-client', clientSecret: 'li-secret' };
  /** token → the introspection answer. */
  linkedinTokens: Record<string, Record<string, unknown>> = {};
  metaApp = { appId: 'meta-app', appSecret: 'meta-secret' };
  metaTokens: Record<string, Record<string, unknown>> = {};
  readonly requests: Recorded[] = [];
  private readonly forced = new Map<Route, Forced[]>();
  private server: http.Server | null = null;
  private base = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The environment pointing every source at this fake. */
  env(): Record<string, string> {
    return {
      HOOTSUITE_API_URL: `${this.base}/hootsuite`,
      BUFFER_API_URL: `${this.base}/buffer`,
      LINKEDIN_API_URL: `${this.base}/linkedin`,
      META_GRAPH_URL: `${this.base}/meta`,
    };
  }

  urls() {
    const env = this.env();
    return { hootsuiteUrl: env.HOOTSUITE_API_URL!, bufferUrl: env.BUFFER_API_URL!, linkedinUrl: env.LINKEDIN_API_URL!, metaUrl: env.META_GRAPH_URL! };
  }

  failNext(route: Route, ...answers: Forced[]): void {
    this.forced.set(route, [...(this.forced.get(route) ?? []), ...answers]);
  }

  count(route: Route): number {
    return this.requests.filter((r) => r.route === route).length;
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    const route = routeOf(req.method ?? '', url.pathname);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (!route) return send(404, { error: 'not found' });
    this.requests.push({ route, method: req.method ?? '', url: url.pathname + url.search, authorization: req.headers.authorization, body });
    const forced = this.forced.get(route)?.shift();
    if (forced) return send(forced.status, { error: `forced ${forced.status}` }, forced.retryAfter ? { 'retry-after': forced.retryAfter } : {});
    switch (route) {
      case 'hootsuite':
        if (req.headers.authorization !== `Bearer ${this.hootsuiteToken}`) return send(401, { errors: [{ code: 1001, message: 'invalid token' }] });
        return send(200, { data: this.hootsuiteProfiles });
      case 'hootsuite-auth': {
        const q = url.searchParams;
        const redirect = q.get('redirect_uri');
        const state = q.get('state') ?? '';
        if (
          q.get('response_type') !== 'code' ||
          q.get('client_id') !== this.hootsuiteApp.clientId ||
          q.get('scope') !== 'offline' ||
          !redirect ||
          state.length < 8
        )
          return send(400, { error: 'invalid_request' });
        const back = new URL(redirect);
        if (this.hootsuiteDenies) back.searchParams.set('error', 'access_denied');
        else {
          const code = `hs-code-${(this.issued += 1)}`;
          this.hootsuiteCodes.set(code, redirect);
          back.searchParams.set('code', code);
        }
        back.searchParams.set('state', state);
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      case 'hootsuite-token': {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') === 'authorization_code') {
          const { clientId, clientSecret } = this.hootsuiteApp;
          if (req.headers.authorization !== `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`)
            return send(401, { error: 'invalid_client' });
          const code = form.get('code') ?? '';
          const redirect = this.hootsuiteCodes.get(code);
          // A code works once, and only with the redirect URI it was given for.
          this.hootsuiteCodes.delete(code);
          if (!redirect || form.get('redirect_uri') !== redirect) return send(400, { error: 'invalid_grant' });
          this.hootsuiteToken = `hs-connected-${this.issued}`;
          this.hootsuiteRefresh = `hs-connected-refresh-${this.issued}`;
          return send(200, {
            access_token: this.hootsuiteToken,
            refresh_token: this.hootsuiteRefresh,
            expires_in: 2592000,
            token_type: 'bearer',
            scope: 'offline',
          });
        }
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== this.hootsuiteRefresh) return send(400, { error: 'invalid_grant' });
        this.hootsuiteToken = `${this.hootsuiteToken}-next`;
        this.hootsuiteRefresh = `${this.hootsuiteRefresh}-next`;
        return send(200, { access_token: this.hootsuiteToken, refresh_token: this.hootsuiteRefresh, expires_in: 2592000, token_type: 'bearer' });
      }
      case 'buffer': {
        if (req.headers.authorization !== `Bearer ${this.bufferKey}`)
          return send(401, { errors: [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }] });
        const { query, variables } = JSON.parse(body) as { query: string; variables?: { input?: { organizationId?: string } } };
        if (query.includes('organizations')) return send(200, { data: { account: { organizations: this.bufferOrganizations.map((id) => ({ id })) } } });
        const organizationId = variables?.input?.organizationId ?? '';
        return send(200, { data: { channels: this.bufferChannels[organizationId] ?? [] } });
      }
      case 'linkedin': {
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== this.linkedinApp.clientId || form.get('client_secret') !== this.linkedinApp.clientSecret) {
          return send(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
        }
        const token = form.get('token') ?? '';
        return send(200, this.linkedinTokens[token] ?? { active: false, status: 'revoked' });
      }
      case 'meta': {
        if (url.searchParams.get('access_token') !== `${this.metaApp.appId}|${this.metaApp.appSecret}`) {
          return send(400, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
        }
        const token = url.searchParams.get('input_token') ?? '';
        return send(200, { data: this.metaTokens[token] ?? { is_valid: false, expires_at: 0, data_access_expires_at: 0 } });
      }
    }
  }
}

function routeOf(method: string, pathname: string): Route | null {
  if (method === 'GET' && pathname === '/hootsuite/v1/socialProfiles') return 'hootsuite';
  if (method === 'GET' && pathname === '/hootsuite/oauth2/auth') return 'hootsuite-auth';
  if (method === 'POST' && pathname === '/hootsuite/oauth2/token') return 'hootsuite-token';
  if (method === 'POST' && pathname === '/buffer') return 'buffer';
  if (method === 'POST' && pathname === '/linkedin/oauth/v2/introspectToken') return 'linkedin';
  if (method === 'GET' && pathname === '/meta/debug_token') return 'meta';
  return null;
}
