/**
 * Buffer's GraphQL API (POSTed to BUFFER_API_URL) with the API key (Bearer): the account's
 * organizations, then each one's channels. Fields read: id, name, displayName, service, serviceId,
 * isDisconnected, isLocked (docs/sources.md).
 */
import { SourceFailure, SourceHttp, type HttpOptions } from './http';
import { BUFFER_SERVICES, handleUrl, type ToolListing } from './profiles';

interface BufferChannel {
  id: string;
  name?: string | null;
  displayName?: string | null;
  service: string;
  serviceId?: string | null;
  isDisconnected?: boolean;
  isLocked?: boolean;
}

interface GraphQlAnswer<T> {
  data?: T;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

const ORGANIZATIONS = 'query { account { organizations { id } } }';
const CHANNELS = 'query Channels($input: ChannelsInput!) { channels(input: $input) { id name displayName service serviceId isDisconnected isLocked } }';

export class BufferClient {
  private readonly http: SourceHttp;

  constructor(
    private readonly baseUrl: string,
    options?: HttpOptions,
  ) {
    this.http = new SourceHttp('buffer', 0, options);
  }

  async list(apiKey: string): Promise<ToolListing> {
    const account = await this.query<{ account?: { organizations?: { id: string }[] } }>(apiKey, ORGANIZATIONS);
    const organizations = account.account?.organizations ?? [];
    const listing: ToolListing = { profiles: [], skipped: {} };
    for (const { id: organizationId } of organizations) {
      const { channels = [] } = await this.query<{ channels?: BufferChannel[] }>(apiKey, CHANNELS, { input: { organizationId } });
      for (const channel of channels) {
        const mapped = BUFFER_SERVICES[channel.service];
        const name = (channel.displayName ?? channel.name)?.trim();
        if (!mapped || !name) {
          listing.skipped[channel.service] = (listing.skipped[channel.service] ?? 0) + 1;
          continue;
        }
        const disconnected = channel.isDisconnected ? 'disconnected' : channel.isLocked ? 'locked' : null;
        listing.profiles.push({
          source: 'buffer',
          externalId: channel.id,
          ...mapped,
          name,
          url: handleUrl(mapped.network, channel.name ?? name),
          disconnected,
        });
      }
    }
    return listing;
  }

  private async query<T>(apiKey: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const answer = await this.http.json<GraphQlAnswer<T>>({
      method: 'POST',
      url: this.baseUrl,
      headers: { authorization: `Bearer ${apiKey}` },
      json: variables ? { query, variables } : { query },
    });
    if (answer.errors?.length) {
      const unauthorized = answer.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED' || e.extensions?.code === 'UNAUTHORIZED');
      const message = answer.errors.map((e) => e.message ?? 'error').join('; ');
      throw new SourceFailure(
        'buffer',
        unauthorized ? `Buffer refused the API key: give it a new one (channel-keeper sources add buffer …)` : `Buffer answered: ${message.slice(0, 200)}`,
        unauthorized,
      );
    }
    if (!answer.data) throw new SourceFailure('buffer', 'Buffer answered without data; check BUFFER_API_URL');
    return answer.data;
  }
}
