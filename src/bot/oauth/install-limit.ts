/**
 * `/slack/install` answers anyone, and each answer stores an OAuth state: a client address may ask
 * for `limit` install pages per `windowMs`, after which it gets a 429 page until its window ends.
 * Counted per app instance (each replica counts its own requests), keyed by the connection's
 * address: behind a reverse proxy every request comes from the proxy, so limit there as well.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendPage, setPageHeaders, tooManyInstallsPage, type PageLinks } from './pages';

/** Install pages one address may ask for per window; a person installing needs one or two. */
export const INSTALL_PAGES_PER_WINDOW = 10;
export const INSTALL_WINDOW_MS = 60_000;
/** Addresses remembered at most: past it, those whose window is over are forgotten first. */
const MAX_ADDRESSES = 10_000;

export class InstallRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly limit = INSTALL_PAGES_PER_WINDOW,
    private readonly windowMs = INSTALL_WINDOW_MS,
  ) {}

  /** Counts one request from `address`: 0 when it may go on, else the seconds until it may ask again. */
  take(address: string): number {
    const now = this.now().getTime();
    const window = this.windows.get(address);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= MAX_ADDRESSES) this.forgetOld(now);
      this.windows.set(address, { start: now, count: 1 });
      return 0;
    }
    if (window.count < this.limit) {
      window.count += 1;
      return 0;
    }
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private forgetOld(now: number): void {
    for (const [address, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(address);
    // Still full (a flood from many addresses): forget the oldest, so memory stays bounded.
    while (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
  }
}

/**
 * Bolt's `installPathOptions`: runs before the install page (and its OAuth state) is made, and sets
 * the pages' security headers on the response Bolt then writes.
 */
export function installPathOptions(limit: InstallRateLimit, links: PageLinks) {
  return {
    beforeRedirection: async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
      const wait = limit.take(req.socket.remoteAddress ?? 'unknown');
      if (wait === 0) {
        setPageHeaders(res);
        return true;
      }
      sendPage(res, 429, tooManyInstallsPage(links, wait), { 'retry-after': String(wait) });
      return false;
    },
  };
}
