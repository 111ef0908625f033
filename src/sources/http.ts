/**
 * The one way the source clients call an API: JSON over fetch, paced (a minimum gap between
 * requests, for limits such as Hootsuite's 20 a second), `Retry-After` honoured up to a minute,
 * 5xx answers and network failures retried with backoff, 401 told apart (the credential must be
 * replaced). Nothing here logs a request's body or headers: they carry the credentials.
 */
import type { SourceKind } from '../domain';
import { SOURCE_NAMES } from '../domain';

/**
 * Why a source could not be read; `needsCredential` when it refused the credential (401);
 * `status`, the HTTP status it last answered (null: it did not answer, or answered something unreadable).
 */
export class SourceFailure extends Error {
  constructor(
    readonly source: SourceKind,
    message: string,
    readonly needsCredential = false,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'SourceFailure';
  }
}

export interface HttpOptions {
  /** Waits (tests pass one that does not). */
  sleep?: (ms: number) => Promise<void>;
  /** The first backoff after a 5xx; doubled each time (default 1 s). */
  backoffMs?: number;
  /** Attempts for one request, the first included (default 4). */
  attempts?: number;
  /** The longest Retry-After waited for (default 60 s); beyond it the source waits for the next sync. */
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** A JSON body, or a form (URL-encoded). */
  json?: unknown;
  form?: Record<string, string>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls one API; made per source, so each keeps its own pacing. */
export class SourceHttp {
  private nextFree = 0;

  constructor(
    private readonly source: SourceKind,
    /** The smallest gap between two requests (Hootsuite: 50 ms for 20 a second). */
    private readonly minGapMs: number,
    private readonly options: HttpOptions = {},
  ) {}

  async json<T>(request: JsonRequest): Promise<T> {
    const name = SOURCE_NAMES[this.source];
    const sleep = this.options.sleep ?? realSleep;
    const attempts = this.options.attempts ?? 4;
    const maxRetryAfter = this.options.maxRetryAfterMs ?? 60_000;
    let backoff = this.options.backoffMs ?? 1_000;
    for (let attempt = 1; ; attempt += 1) {
      await this.pace(sleep);
      let response: Response;
      try {
        response = await fetch(request.url, {
          method: request.method,
          headers: {
            accept: 'application/json',
            ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...request.headers,
          },
          body: request.json !== undefined ? JSON.stringify(request.json) : request.form ? new URLSearchParams(request.form).toString() : undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        if (attempt >= attempts) throw new SourceFailure(this.source, `${name} did not answer (${(error as Error).message}); the next sync tries again`);
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      if (response.status === 401) {
        await response.body?.cancel();
        throw new SourceFailure(
          this.source,
          `${name} refused the credential (401): give it a new one (channel-keeper sources add ${this.source} …)`,
          true,
          401,
        );
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get('retry-after'));
        if (wait === null || wait > maxRetryAfter || attempt >= attempts) {
          throw new SourceFailure(
            this.source,
            `${name} asked to slow down (429${wait === null ? '' : `, retry after ${Math.ceil(wait / 1000)} s`}); the next sync tries again`,
            false,
            429,
          );
        }
        await sleep(wait);
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (attempt >= attempts)
          throw new SourceFailure(this.source, `${name} answered ${response.status} ${attempts} times; the next sync tries again`, false, response.status);
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      const text = await response.text();
      if (!response.ok) throw new SourceFailure(this.source, `${name} answered ${response.status}: ${text.slice(0, 200)}`, false, response.status);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new SourceFailure(this.source, `${name} answered something that is not JSON; check its URL`);
      }
    }
  }

  private async pace(sleep: (ms: number) => Promise<void>): Promise<void> {
    if (this.minGapMs <= 0) return;
    const now = performance.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + this.minGapMs;
    if (start > now) await sleep(start - now);
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  return null;
}
