/**
 * "Connect Hootsuite" (docs/sources.md): an admin presses the button in `/channels sources`, signs
 * in at Hootsuite, and Hootsuite sends the browser back to `{PUBLIC_URL}/hootsuite/oauth/callback`
 * with a code, exchanged here for the access and refresh tokens stored as the workspace's
 * `hootsuite` source. The OAuth state is random, bound to the workspace and the admin, used once
 * and only for ten minutes. Nothing here logs the code, a token or a state.
 */
import { randomBytes } from 'node:crypto';
import type { Workspace } from '../domain';
import { ValidationError } from '../errors';
import { HootsuiteClient } from '../sources/hootsuite';
import { SourceFailure, type HttpOptions } from '../sources/http';
import type { InstallationKeys } from '../store/store';
import type { Acting, ServiceDeps } from './deps';
import { assertMay } from './permissions';
import { addSource } from './sources';

/** Where Hootsuite sends the browser back to, under PUBLIC_URL (registered in the Hootsuite app). */
export const HOOTSUITE_CALLBACK_PATH = '/hootsuite/oauth/callback';
/** How long a connect link works. */
export const CONNECT_STATE_TTL_MS = 10 * 60_000;
/** Unfinished connects a workspace may have at once; past it the oldest link stops working. */
export const MAX_UNFINISHED_CONNECTS = 5;

export interface HootsuiteConnectSetup {
  /** HOOTSUITE_API_URL: the authorize and token endpoints are under it. */
  apiUrl: string;
  /** HOOTSUITE_CLIENT_ID and _SECRET. */
  oauth: { clientId: string; clientSecret: string } | null;
  /** PUBLIC_URL (no trailing slash). */
  publicUrl: string | null;
  /** TOKEN_ENCRYPTION_KEY and the keys around a rotation: the tokens are stored with them. */
  keys: InstallationKeys | null;
  http?: HttpOptions;
}

/** What the server lacks for "Connect Hootsuite", or null when it has everything. */
export type ConnectMissing = 'oauth_client' | 'public_url' | 'encryption_key';

export type ConnectOutcome =
  | { kind: 'connected'; workspace: Workspace; userId: string; refreshable: boolean }
  /** The person chose not to allow it at Hootsuite (or Hootsuite said another error): nothing stored. */
  | { kind: 'denied'; error: string }
  /** Unknown, used already, expired, or the workspace is gone: nothing stored. */
  | { kind: 'bad_state' }
  | { kind: 'no_code' }
  /** The admin who pressed the button is no longer an admin. */
  | { kind: 'not_admin' }
  /** The server is not set up for it (see ConnectMissing). */
  | { kind: 'unavailable'; missing: ConnectMissing }
  /** The code's exchange failed: `client` (the app's id and secret refused), `refused` (the code or redirect), `unreachable`. */
  | { kind: 'exchange_failed'; why: 'client' | 'refused' | 'unreachable'; status: number | null };

export class HootsuiteConnect {
  private readonly client: HootsuiteClient | null;

  constructor(private readonly setup: HootsuiteConnectSetup) {
    this.client = setup.oauth ? new HootsuiteClient({ baseUrl: setup.apiUrl, oauth: setup.oauth }, setup.http) : null;
  }

  /** The first thing the server lacks, or null when Slack may offer the button. */
  get missing(): ConnectMissing | null {
    if (!this.setup.oauth) return 'oauth_client';
    if (!this.setup.publicUrl) return 'public_url';
    if (!this.setup.keys) return 'encryption_key';
    return null;
  }

  /** `{PUBLIC_URL}/hootsuite/oauth/callback`, or null without PUBLIC_URL. */
  get redirectUri(): string | null {
    return this.setup.publicUrl ? `${this.setup.publicUrl}${HOOTSUITE_CALLBACK_PATH}` : null;
  }

  /** A new single-use state for the admin asking, and Hootsuite's authorize address carrying it. */
  async start(deps: ServiceDeps, { workspace, actor }: Acting): Promise<{ authorizeUrl: string; expiresAt: Date }> {
    assertMay(actor, 'admin', 'connect Hootsuite');
    const missing = this.missing;
    if (missing) throw new ValidationError(missingWords(missing));
    const now = deps.now();
    const state = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + CONNECT_STATE_TTL_MS);
    await deps.store.sourceOAuthStates.issue(
      { state, workspaceId: workspace.id, userId: actor.userId, kind: 'hootsuite', expiresAt },
      MAX_UNFINISHED_CONNECTS,
      now,
    );
    deps.logger?.info({ workspaceId: workspace.id, userId: actor.userId }, 'Hootsuite connect started');
    return { authorizeUrl: this.client!.authorizeUrl(this.redirectUri!, state), expiresAt };
  }

  /**
   * Hootsuite's answer at the callback: the state consumed (whatever happens next), the code
   * exchanged, the tokens stored as the workspace's `hootsuite` source, audited as `source.add` by
   * the admin who pressed the button.
   */
  async finish(deps: ServiceDeps, answer: { state: string | null; code: string | null; error: string | null }): Promise<ConnectOutcome> {
    const missing = this.missing;
    if (missing) return { kind: 'unavailable', missing };
    const record = answer.state ? await deps.store.sourceOAuthStates.take(answer.state, deps.now()) : null;
    if (answer.error !== null) {
      deps.logger?.info({ workspaceId: record?.workspaceId ?? null }, 'Hootsuite connect not allowed at Hootsuite');
      return { kind: 'denied', error: answer.error };
    }
    if (!record || record.kind !== 'hootsuite') return { kind: 'bad_state' };
    if (!answer.code) return { kind: 'no_code' };
    const workspace = await deps.store.workspaces.findById(record.workspaceId);
    if (!workspace || workspace.uninstalledAt) return { kind: 'bad_state' };
    const member = await deps.store.members.find(workspace.id, record.userId);
    if (!member?.active || member.role !== 'admin') return { kind: 'not_admin' };
    let tokens;
    try {
      tokens = await this.client!.exchangeCode(answer.code, this.redirectUri!);
    } catch (error) {
      if (!(error instanceof SourceFailure)) throw error;
      // No answer, 429 or 5xx: it may work in a while. A 2xx without a token counts as refused.
      const answered = error.status;
      const why = answered === 401 ? 'client' : answered === null || answered === 429 || answered >= 500 ? 'unreachable' : 'refused';
      const status = answered !== null && answered < 300 ? null : answered;
      // The message may quote Hootsuite's answer: only its status and our reading of it are logged.
      deps.logger?.warn({ workspaceId: workspace.id, status: error.status, why }, 'Hootsuite connect: the code exchange failed');
      return { kind: 'exchange_failed', why, status };
    }
    await addSource(
      deps,
      this.setup.keys!,
      { workspace, actor: { userId: member.userId, role: member.role } },
      { kind: 'hootsuite', secret: tokens.accessToken, refreshSecret: tokens.refreshToken },
    );
    deps.logger?.info({ workspaceId: workspace.id, userId: member.userId, refreshable: tokens.refreshToken !== null }, 'Hootsuite connected');
    return { kind: 'connected', workspace, userId: member.userId, refreshable: tokens.refreshToken !== null };
  }
}

/** What to set on the server, in a sentence. */
export function missingWords(missing: ConnectMissing): string {
  switch (missing) {
    case 'oauth_client':
      return 'Connect Hootsuite needs a Hootsuite app: set HOOTSUITE_CLIENT_ID and HOOTSUITE_CLIENT_SECRET (and PUBLIC_URL) on the server running the bot.';
    case 'public_url':
      return `Connect Hootsuite needs PUBLIC_URL set on the server running the bot: Hootsuite sends you back to <PUBLIC_URL>${HOOTSUITE_CALLBACK_PATH}.`;
    case 'encryption_key':
      return 'Connect Hootsuite needs TOKEN_ENCRYPTION_KEY set on the server running the bot: the tokens are stored encrypted.';
  }
}
