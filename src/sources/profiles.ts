/**
 * What a tool says about one of its connections, in the bot's words: the network and kind it maps
 * to (the tool's own type names, docs/sources.md), its name, and whether the tool sees it
 * disconnected. Types outside the map are counted and skipped.
 */
import type { ConnectionKind, Network, SourceKind } from '../domain';

export interface ToolProfile {
  source: Extract<SourceKind, 'hootsuite' | 'buffer'>;
  externalId: string;
  network: Network;
  kind: ConnectionKind;
  name: string;
  url: string | null;
  /** Why the tool sees it disconnected (its own words), or null when it is healthy. */
  disconnected: string | null;
}

export interface ToolListing {
  profiles: ToolProfile[];
  /** Profiles of types the bot does not know, by type. */
  skipped: Record<string, number>;
}

type Mapped = { network: Network; kind: ConnectionKind };

export const HOOTSUITE_TYPES: Readonly<Record<string, Mapped>> = {
  LINKEDINCOMPANY: { network: 'linkedin', kind: 'company_page' },
  LINKEDIN: { network: 'linkedin', kind: 'profile' },
  FACEBOOKPAGE: { network: 'facebook', kind: 'page' },
  INSTAGRAMBUSINESS: { network: 'instagram', kind: 'business_account' },
  TWITTER: { network: 'x', kind: 'profile' },
  YOUTUBECHANNEL: { network: 'youtube', kind: 'channel' },
  TIKTOKBUSINESS: { network: 'tiktok', kind: 'business_account' },
  PINTEREST: { network: 'pinterest', kind: 'profile' },
  THREADS: { network: 'threads', kind: 'profile' },
};

/** Buffer's `service`: its channels name the network only; a LinkedIn channel is taken for a Page. */
export const BUFFER_SERVICES: Readonly<Record<string, Mapped>> = {
  linkedin: { network: 'linkedin', kind: 'company_page' },
  facebook: { network: 'facebook', kind: 'page' },
  instagram: { network: 'instagram', kind: 'business_account' },
  twitter: { network: 'x', kind: 'profile' },
  youtube: { network: 'youtube', kind: 'channel' },
  tiktok: { network: 'tiktok', kind: 'business_account' },
  pinterest: { network: 'pinterest', kind: 'profile' },
  threads: { network: 'threads', kind: 'profile' },
};

const HANDLE_URLS: Partial<Record<Network, string>> = {
  x: 'https://x.com/',
  instagram: 'https://www.instagram.com/',
  tiktok: 'https://www.tiktok.com/@',
  threads: 'https://www.threads.net/@',
};

/** The public address of a handle-named profile (networks whose URL is the handle), else null. */
export function handleUrl(network: Network, handle: string): string | null {
  const base = HANDLE_URLS[network];
  const clean = handle.trim().replace(/^@/, '');
  return base && /^[A-Za-z0-9._]+$/.test(clean) ? `${base}${clean}` : null;
}

/** An address as compared for matching: no scheme, `www.`, trailing slash or case; twitter.com is x.com. */
export function urlKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/^twitter\.com\//, 'x.com/')
    .replace(/[/?#]+$/, '');
}
