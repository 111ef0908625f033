/**
 * Prometheus metrics (prom-client), served as `GET /metrics` on a port of its own (METRICS_PORT).
 * One `Metrics` per process, made where the process is put together (`serve`) and handed to whoever
 * records: its own registry, no module-level state, so tests make as many as they like.
 *
 * No series names a workspace: callers still say which workspace they observed, and the export
 * sums (or takes the maximum) over the workspaces this process saw, so the series stay few however
 * many workspaces are served, and no client's id leaves the process.
 *
 * Names and labels are an interface operators build dashboards on: change them only with a note
 * in docs/operations.md ("Metrics and health").
 */
import { createHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FINDING_KINDS, SEVERITIES, WARNING_STATES, type FindingKind, type Severity, type WarningState } from './domain';

/** How often the event-loop delay is sampled. */
const DELAY_RESOLUTION_MS = 10;

/**
 * prom-client's default gauges whose names end in `_total`, which the exposition format keeps for
 * counters (promtool refuses them). Each is the sum of the by-type gauge exported beside it
 * (`…_active_handles` by `type`), so nothing is lost.
 */
/**
 * How long a workspace's last check counts in the findings and warnings sums: a day and an hour.
 * Checks run daily, so a workspace whose check another replica ran since leaves this replica's
 * sums within the hour, and sums over replicas count each workspace about once.
 */
export const CHECK_COUNTS_FOR_MS = 25 * 60 * 60 * 1000;

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export type CheckOutcome = 'ok' | 'failed';
/** `ok`, or Slack's error code (`ratelimited`, `channel_not_found`, `invalid_auth`…), or `network`. */
export type SlackCallOutcome = string;

export interface CheckRunObservation {
  workspace: string;
  outcome: CheckOutcome;
  seconds: number;
  /** Findings in force per kind and severity (absent ones are set to 0). */
  findings?: readonly { kind: FindingKind; severity: Severity }[];
  /** New warnings at a later stage of a finding that already had an open warning. */
  escalations?: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly checkRuns: Counter<'outcome'>;
  private readonly checkDuration: Histogram<'outcome'>;
  private readonly slackCalls: Counter<'method' | 'outcome'>;
  private readonly slackLatency: Histogram<'method'>;
  private readonly escalations: Counter;
  /** Per workspace, what the aggregate gauges are made of at each scrape. */
  private readonly findingsByWorkspace = new Map<string, { at: number; counts: Map<string, number> }>();
  private readonly warningsByWorkspace = new Map<string, { at: number; byState: Partial<Record<WarningState, number>> }>();
  /** Milliseconds, for the age of a workspace's check (performance.now in production). */
  private readonly clock: () => number;
  private readonly outboxAgeByWorkspace = new Map<string, number>();
  /** `kind:severity` pairs exported so far: 0 when they no longer occur, rather than gone. */
  private readonly findingSeries = new Set<string>();

  constructor({ processMetrics = true, clock = () => performance.now() }: { processMetrics?: boolean; clock?: () => number } = {}) {
    this.clock = clock;
    /** The entries of workspaces checked within CHECK_COUNTS_FOR_MS; older ones are dropped. */
    const fresh = <T>(entries: Map<string, { at: number } & T>): T[] => {
      const since = clock() - CHECK_COUNTS_FOR_MS;
      for (const [workspace, entry] of entries) if (entry.at < since) entries.delete(workspace);
      return [...entries.values()];
    };
    const registers = [this.registry];
    this.exportEventLoopDelay(registers);
    this.checkRuns = new Counter({ name: 'channel_keeper_check_runs_total', help: 'Check runs, by outcome.', labelNames: ['outcome'], registers });
    this.checkDuration = new Histogram({
      name: 'channel_keeper_check_run_duration_seconds',
      help: 'How long a check run of one workspace took, delivery included.',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    const findingsByWorkspace = this.findingsByWorkspace;
    const findingSeries = this.findingSeries;
    new Gauge({
      name: 'channel_keeper_findings',
      help: 'Findings in force at the last check run of each workspace this process checked in the past 25 hours, summed, by kind and severity.',
      labelNames: ['kind', 'severity'],
      registers,
      collect() {
        this.reset();
        const totals = new Map<string, number>();
        for (const { counts } of fresh(findingsByWorkspace)) for (const [key, n] of counts) totals.set(key, (totals.get(key) ?? 0) + n);
        for (const kind of FINDING_KINDS)
          for (const severity of SEVERITIES) {
            const key = `${kind}:${severity}`;
            const n = totals.get(key) ?? 0;
            // Only pairs that occur, or occurred before, are exported: no wall of zeros.
            if (n === 0 && !findingSeries.has(key)) continue;
            findingSeries.add(key);
            this.set({ kind, severity }, n);
          }
      },
    });
    const warningsByWorkspace = this.warningsByWorkspace;
    new Gauge({
      name: 'channel_keeper_warnings',
      help: 'Warnings in the outbox after the last check run of each workspace this process checked in the past 25 hours, summed, by state.',
      labelNames: ['state'],
      registers,
      collect() {
        const checked = fresh(warningsByWorkspace);
        for (const state of WARNING_STATES) {
          let n = 0;
          for (const { byState } of checked) n += byState[state] ?? 0;
          this.set({ state }, n);
        }
      },
    });
    const outboxAgeByWorkspace = this.outboxAgeByWorkspace;
    new Gauge({
      name: 'channel_keeper_outbox_oldest_due_age_seconds',
      help: 'Age of the oldest warning due for delivery and not yet delivered, over every workspace (0 when none waits).',
      registers,
      collect() {
        this.set(Math.max(0, ...outboxAgeByWorkspace.values()));
      },
    });
    this.slackCalls = new Counter({
      name: 'channel_keeper_slack_api_calls_total',
      help: 'Slack Web API calls, by method and outcome (ok or Slack’s error code).',
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.slackLatency = new Histogram({
      name: 'channel_keeper_slack_api_call_duration_seconds',
      help: 'Latency of Slack Web API calls, by method.',
      labelNames: ['method'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.escalations = new Counter({
      name: 'channel_keeper_escalations_total',
      help: 'Warnings that moved a finding to a later, more urgent stage.',
      registers,
    });
    if (processMetrics) {
      collectDefaultMetrics({ register: this.registry, prefix: 'channel_keeper_' });
      for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(`channel_keeper_${name}`);
    }
  }

  /**
   * How long a 10 ms timer waited past its time since the previous scrape (p50, p99, max): a long
   * synchronous task shows as the max, the time Slack's requests and `/healthz` waited too. Measured
   * by a timer of its own rather than `monitorEventLoopDelay`, whose `reset()` drops the sample that
   * spans it (a block right after a scrape would not show).
   */
  private exportEventLoopDelay(registers: Registry[]): void {
    const delay = createHistogram();
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      delay.record(Math.max(1, Math.round((now - last - DELAY_RESOLUTION_MS) * 1e6)));
      last = now;
    }, DELAY_RESOLUTION_MS).unref();
    new Gauge({
      name: 'channel_keeper_event_loop_delay_seconds',
      help: 'Event-loop delay since the previous scrape: p50, p99 and max.',
      labelNames: ['stat'],
      registers,
      collect() {
        // No sample yet (a scrape right after the last one): nothing waited.
        const sampled = delay.count > 0;
        for (const [stat, nanoseconds] of [
          ['p50', delay.percentile(50)],
          ['p99', delay.percentile(99)],
          ['max', delay.max],
        ] as const)
          this.set({ stat }, sampled ? nanoseconds / 1e9 : 0);
        delay.reset();
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text format Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  observeCheckRun({ workspace, outcome, seconds, findings, escalations }: CheckRunObservation): void {
    this.checkRuns.inc({ outcome });
    this.checkDuration.observe({ outcome }, seconds);
    if (findings) {
      const counts = new Map<string, number>();
      for (const f of findings) counts.set(`${f.kind}:${f.severity}`, (counts.get(`${f.kind}:${f.severity}`) ?? 0) + 1);
      this.findingsByWorkspace.set(workspace, { at: this.clock(), counts });
    }
    if (escalations) this.escalations.inc(escalations);
  }

  setWarningsByState(workspace: string, byState: Partial<Record<WarningState, number>>): void {
    this.warningsByWorkspace.set(workspace, { at: this.clock(), byState: { ...byState } });
  }

  setOutboxOldestDueAge(workspace: string, seconds: number): void {
    if (seconds > 0) this.outboxAgeByWorkspace.set(workspace, seconds);
    else this.outboxAgeByWorkspace.delete(workspace);
  }

  recordSlackCall(method: string, outcome: SlackCallOutcome, seconds: number): void {
    this.slackCalls.inc({ method, outcome });
    this.slackLatency.observe({ method }, seconds);
  }

  recordEscalations(_workspace: string, count = 1): void {
    this.escalations.inc(count);
  }
}

/**
 * Counts every Web API call a client makes (`client.chat.postMessage(…)`, `client.apiCall('…')`),
 * with its outcome and latency, by wrapping the client in a proxy: the client itself is not
 * changed. `clock` is in milliseconds (performance.now in production).
 */
export function instrumentSlackClient<T extends object>(client: T, metrics: Pick<Metrics, 'recordSlackCall'>, clock: () => number): T {
  const timed = (method: string, call: () => unknown): unknown => {
    const started = clock();
    const seconds = () => (clock() - started) / 1000;
    return Promise.resolve()
      .then(call)
      .then(
        (result) => {
          metrics.recordSlackCall(method, 'ok', seconds());
          return result;
        },
        (error: unknown) => {
          metrics.recordSlackCall(method, slackOutcome(error), seconds());
          throw error;
        },
      );
  };
  const wrap = <O extends object>(target: O, prefix: string): O =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value: unknown = Reflect.get(object, key, receiver);
        if (typeof key !== 'string') return value;
        if (typeof value === 'function') {
          if (prefix) return (...args: unknown[]) => timed(`${prefix}${key}`, () => (value as (...a: unknown[]) => unknown).apply(object, args));
          if (key === 'apiCall')
            return (method: string, ...rest: unknown[]) => timed(method, () => (value as (...a: unknown[]) => unknown).call(object, method, ...rest));
          return (value as (...a: unknown[]) => unknown).bind(object);
        }
        // Method namespaces (chat, users, conversations.…) are plain objects of functions.
        if (value && typeof value === 'object' && /^[a-z]/.test(key) && key !== 'logger' && Object.getPrototypeOf(value) === Object.prototype) {
          return wrap(value, `${prefix}${key}.`);
        }
        return value;
      },
    });
  return wrap(client, '');
}

function slackOutcome(error: unknown): string {
  const e = error as { data?: { error?: unknown }; code?: unknown };
  if (typeof e?.data?.error === 'string') return e.data.error;
  if (e?.code === 'slack_webapi_rate_limited_error') return 'ratelimited';
  if (e?.code === 'slack_webapi_http_error') return 'http_error';
  return 'network';
}
