/**
 * Where background work (the outbox worker's posts and DMs, message updates) gets its Slack client
 * in multi-workspace mode: a client per workspace that asks `WorkspaceTokens` for that workspace's
 * token before every call (so a rotated token is refreshed first, and a new one is used as soon as
 * it is stored). Single-workspace mode keeps its one client (cli/delivery.ts).
 */
import type { WebAPICallResult, WebClient, WebClientOptions } from '@slack/web-api';
import { WebClient as BaseClient } from '@slack/web-api';
import type { WorkspaceTokens } from './tokens';

export interface SlackClients {
  forWorkspace(workspaceId: string): WebClient;
}

/** A Web API client whose every call carries the workspace's current token. */
export class WorkspaceClient extends BaseClient {
  constructor(
    private readonly workspaceId: string,
    private readonly tokens: Pick<WorkspaceTokens, 'tokenFor'>,
    options: WebClientOptions,
  ) {
    super(undefined, options);
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const token = await this.tokens.tokenFor(this.workspaceId);
    return super.apiCall(method, { ...options, token });
  }
}

/** Multi-workspace mode: one client per workspace, made on first use. */
export class InstallationClients implements SlackClients {
  private readonly clients = new Map<string, WebClient>();

  constructor(
    private readonly tokens: Pick<WorkspaceTokens, 'tokenFor'>,
    private readonly make: (client: WebClient) => WebClient = (client) => client,
    private readonly options: WebClientOptions = {},
  ) {}

  forWorkspace(workspaceId: string): WebClient {
    let client = this.clients.get(workspaceId);
    if (!client) {
      client = this.make(new WorkspaceClient(workspaceId, this.tokens, this.options));
      this.clients.set(workspaceId, client);
    }
    return client;
  }
}
