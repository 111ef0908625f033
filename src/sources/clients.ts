/** The four source clients, made once per process from the sources' settings (config.ts `SourcesConfig`). */
import { BufferClient } from './buffer';
import { HootsuiteClient } from './hootsuite';
import type { HttpOptions } from './http';
import { LinkedInIntrospection, MetaDebugToken } from './introspection';

export interface SourceUrls {
  hootsuiteUrl: string;
  bufferUrl: string;
  linkedinUrl: string;
  metaUrl: string;
  hootsuiteOAuth: { clientId: string; clientSecret: string } | null;
}

export interface SourceClients {
  hootsuite: HootsuiteClient;
  buffer: BufferClient;
  linkedin: LinkedInIntrospection;
  meta: MetaDebugToken;
}

export function sourceClients(urls: SourceUrls, options?: HttpOptions): SourceClients {
  return {
    hootsuite: new HootsuiteClient({ baseUrl: urls.hootsuiteUrl, oauth: urls.hootsuiteOAuth }, options),
    buffer: new BufferClient(urls.bufferUrl, options),
    linkedin: new LinkedInIntrospection(urls.linkedinUrl, options),
    meta: new MetaDebugToken(urls.metaUrl, options),
  };
}
