/**
 * A dead man's switch for `serve` (HEARTBEAT_URL, healthchecks.io's convention): a GET to the URL
 * after each scheduled check run and every 15 minutes while the outbox worker's last pass did not
 * fail, and a POST to `<url>/fail` with a one-line reason when a check run fails. The monitoring
 * side raises the alarm when the pings stop: a bot that died is no longer as quiet as one with
 * nothing to say. A ping never throws, and an unreachable URL is logged once, not every time. The
 * URL may carry a secret token, so logs name only its host.
 */
import type { Logger } from '../logger';
import { tellMissedChecks, type TellAdminsOfMissedChecks } from '../services/check-history';
import type { Store } from '../store/store';

export type { TellAdminsOfMissedChecks } from '../services/check-history';

/** How often the bot says it is alive while nothing else happens. */
export const HEARTBEAT_EVERY_MS = 15 * 60_000;
/** A ping that has no answer by then is given up (the next one tries again). */
export const HEARTBEAT_TIMEOUT_MS = 10_000;
/** How often the timer looks whether a periodic ping is due. */
const TICK_MS = 60_000;

export interface HeartbeatRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  timeoutMs: number;
}

/** Sends one request and resolves with the HTTP status (rejects when nothing answered). */
export type HeartbeatSend = (request: HeartbeatRequest) => Promise<number>;

export const fetchSend: HeartbeatSend = async ({ url, method, body, timeoutMs }) => {
  const response = await fetch(url, {
    method,
    body,
    headers: body === undefined ? undefined : { 'content-type': 'text/plain; charset=utf-8' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  return response.status;
};

export interface HeartbeatDeps {
  url: string;
  logger: Logger;
  now: () => Date;
  /** False while the outbox worker's last pass failed: the periodic ping then stays away. */
  workerHealthy: () => boolean;
  send?: HeartbeatSend;
  everyMs?: number;
  timeoutMs?: number;
}

/** How a scheduled check run ended, as the scheduler tells it. */
export type CheckRunEnd = { workspaceId: string; ok: true } | { workspaceId: string; ok: false; error: Error };

export class Heartbeat {
  private readonly base: string;
  private readonly host: string;
  private readonly logger: Logger;
  private readonly send: HeartbeatSend;
  private lastPing: number | null = null;
  /** The last failure logged: the same one is not logged again until a ping gets through. */
  private problem: string | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HeartbeatDeps) {
    this.base = deps.url.replace(/\/+$/, '');
    this.host = hostOf(deps.url);
    this.logger = deps.logger.child({ component: 'heartbeat' });
    this.send = deps.send ?? fetchSend;
  }

  /** Pings once now (the bot is up), then every 15 minutes while the worker is healthy. */
  start(): void {
    void this.tick();
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.tick(), Math.min(TICK_MS, this.deps.everyMs ?? HEARTBEAT_EVERY_MS));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The periodic ping, when one is due and the outbox worker's last pass did not fail. */
  async tick(): Promise<void> {
    const every = this.deps.everyMs ?? HEARTBEAT_EVERY_MS;
    if (this.lastPing !== null && this.deps.now().getTime() - this.lastPing < every) return;
    if (!this.deps.workerHealthy()) return;
    await this.ping();
  }

  /** After a scheduled check run: a ping, or `/fail` with a reason that names no channel and no secret. */
  async checkRan(end: CheckRunEnd): Promise<void> {
    if (end.ok) await this.ping();
    else await this.fail(`scheduled check of workspace ${end.workspaceId} failed (${oneWord(end.error.name)})`);
  }

  async ping(): Promise<void> {
    if (await this.request({ url: this.base, method: 'GET' })) this.lastPing = this.deps.now().getTime();
  }

  async fail(reason: string): Promise<void> {
    await this.request({ url: `${this.base}/fail`, method: 'POST', body: reason.replace(/\s+/g, ' ').trim().slice(0, 200) });
  }

  /** True when the URL answered 2xx. Never throws. */
  private async request(request: Omit<HeartbeatRequest, 'timeoutMs'>): Promise<boolean> {
    let problem: string | null;
    try {
      const status = await this.send({ ...request, timeoutMs: this.deps.timeoutMs ?? HEARTBEAT_TIMEOUT_MS });
      problem = status >= 200 && status < 300 ? null : `answered HTTP ${status}`;
    } catch (error) {
      // The error's message may quote the URL: only its kind is logged.
      problem = `no answer (${oneWord((error as Error)?.name ?? 'Error')})`;
    }
    if (problem && problem !== this.problem) this.logger.warn({ host: this.host, problem }, 'heartbeat ping failed; the next one tries again');
    if (!problem && this.problem) this.logger.info({ host: this.host }, 'heartbeat pings get through again');
    this.problem = problem;
    return problem === null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unparsable URL';
  }
}

function oneWord(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 60) || 'Error';
}

export interface ServeWatchDeps {
  /** HEARTBEAT_URL; unset: no pings. */
  url: string | null | undefined;
  store: Store;
  logger: Logger;
  now: () => Date;
  /** This replica, recorded with the note that a gap was told. */
  holder: string;
  workerHealthy: () => boolean;
  /** The admin notice path of the Slack delivery; unset: missed checks are not told (nor recorded as told). */
  tellAdmins?: TellAdminsOfMissedChecks;
  send?: HeartbeatSend;
}

/** What `serve` wires: made before its scheduler starts, so the catch-up of this start does not hide a gap. */
export interface ServeWatch {
  /** The scheduler's `afterCheck`. */
  afterCheck: (end: CheckRunEnd) => Promise<void>;
  /** Once the worker runs: the first ping, then the periodic ones; and the notice of checks missed before this start. */
  start(): void;
  stop(): void;
}

export function serveWatch(deps: ServeWatchDeps): ServeWatch {
  const startedAt = deps.now();
  const heartbeat = deps.url ? new Heartbeat({ url: deps.url, logger: deps.logger, now: deps.now, workerHealthy: deps.workerHealthy, send: deps.send }) : null;
  return {
    afterCheck: async (end) => heartbeat?.checkRan(end),
    start: () => {
      heartbeat?.start();
      const tell = deps.tellAdmins;
      if (tell)
        void tellMissedChecks(deps, { startedAt, holder: deps.holder, tell }).catch((error: unknown) =>
          deps.logger.warn({ err: (error as Error).message }, 'missed checks not looked for'),
        );
    },
    stop: () => heartbeat?.stop(),
  };
}
