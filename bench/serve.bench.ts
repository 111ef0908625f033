/**
 * `serve` at size, as a team runs it: one workspace of 50,000 channels (BENCH_SERVE_CHANNELS),
 * the compiled `channel-keeper serve` started after the day's check time with no alert channel
 * chosen yet, so it catches up on the check and drains the outbox as it starts. From the moment it
 * is spawned, every 2 s a signed `/channels status` and a `GET /healthz` arrive, as Slack and a
 * load balancer would send them; their answer times are the figures. Once the catch-up and drain
 * are over, status lists (until the list reaches the response_url) and App Home (until
 * views.publish) are timed one at a time; then the process's peak and resting memory, and the
 * longest event-loop delay it exported in /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { benchProviders, freshDatabase, type BenchProvider } from './databases';
import { startFakeSlack } from './fake-slack';
import { seedOneWorkspace } from './seed';
import { freePort, memoryMb } from './serve-idle';
import { atMost, format, timed, type Benchmark, type Figure } from './support';

const ROOT = path.resolve(__dirname, '..', __filename.endsWith('.js') ? '..' : '');
const BIN = path.join(ROOT, 'bin', 'channel-keeper.js');
const CHANNELS = Number(process.env.BENCH_SERVE_CHANNELS ?? 50_000);
/** Node options for the serve process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where it spends its time. */
const NODE_ARGS = (process.env.BENCH_SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const TEAM = 'TBENCH';
const SECRET = 'bench-signing-secret';
const PROBE_EVERY_MS = 2_000;
/** A probe unanswered this long counts as this long (Slack gave up after 3 s). */
const GIVE_UP_MS = 30_000;
/** How long the catch-up may take before the bench stops waiting for it. */
const CATCH_UP_LIMIT_MS = 300_000;
/** After the check's last log line, probing goes on this long: the drain follows the check. */
const AFTER_CHECK_MS = 15_000;

interface Answer {
  /** ms from sending to the HTTP answer; GIVE_UP_MS when none came. */
  ms: number;
  ok: boolean;
}

function request(port: number, method: 'GET' | 'POST', urlPath: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, timeout: GIVE_UP_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: performance.now() - started, ok: res.statusCode === 200 }));
    });
    req.on('error', () => resolve({ ms: Math.max(performance.now() - started, 1), ok: false }));
    req.on('timeout', () => {
      req.destroy();
      resolve({ ms: GIVE_UP_MS, ok: false });
    });
    req.end(body);
  });
}

/** A request Slack signs with the app's signing secret. */
function signed(body: string, contentType: string): http.OutgoingHttpHeaders {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
    'content-length': Buffer.byteLength(body),
  };
}

class Probe {
  private responses = new Map<string, () => void>();
  private next = 0;
  constructor(
    private readonly port: number,
    private readonly slackUrl: string,
  ) {}

  /** The fake Slack saw `method` (a response_url arrives as `respond/<id>`). */
  arrived(method: string): void {
    const waiter = this.responses.get(method);
    if (waiter) {
      this.responses.delete(method);
      waiter();
    }
  }

  healthz(): Promise<Answer> {
    return request(this.port, 'GET', '/healthz');
  }

  /** `/channels status`: the acknowledgement, and when the list reached its response_url. */
  status(): { ack: Promise<Answer>; list: Promise<number> } {
    const id = `respond/${++this.next}`;
    const started = performance.now();
    const list = new Promise<number>((resolve) => this.responses.set(id, () => resolve(performance.now() - started)));
    const body = new URLSearchParams({
      token: 'unused',
      team_id: TEAM,
      team_domain: 'bench',
      channel_id: 'CBENCHASK',
      channel_name: 'social',
      user_id: 'UBENCHASK',
      user_name: 'asker',
      command: '/channels',
      text: 'status',
      response_url: `${this.slackUrl}${id}`,
      trigger_id: `trigger.${this.next}`,
      api_app_id: 'ABENCH',
    }).toString();
    return { ack: request(this.port, 'POST', '/slack/events', body, signed(body, 'application/x-www-form-urlencoded')), list };
  }

  /** The App Home opened: the acknowledgement, and when views.publish reached Slack. */
  home(): { ack: Promise<Answer>; view: Promise<number> } {
    const started = performance.now();
    const view = new Promise<number>((resolve) => this.responses.set('views.publish', () => resolve(performance.now() - started)));
    const body = JSON.stringify({
      token: 'unused',
      team_id: TEAM,
      api_app_id: 'ABENCH',
      type: 'event_callback',
      event_id: `Ev${++this.next}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: 'UBENCHASK', channel: 'DBENCHASK', tab: 'home' },
    });
    return { ack: request(this.port, 'POST', '/slack/events', body, signed(body, 'application/json')), view };
  }
}

function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The serve log (JSON lines on stderr) as it comes: when the check finished. */
function watchLog(child: ChildProcess, file: string): { checkDone: Promise<number> } {
  const out = fs.createWriteStream(file);
  const started = performance.now();
  let buffered = '';
  let done: (ms: number) => void = () => undefined;
  const checkDone = new Promise<number>((resolve) => (done = resolve));
  child.stderr!.on('data', (chunk: Buffer) => {
    out.write(chunk);
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    if (lines.some((line) => line.includes('"check run finished"'))) done(performance.now() - started);
  });
  child.once('exit', () => out.end());
  return { checkDone };
}

async function metricsMax(ports: number[]): Promise<number | null> {
  for (const port of ports) {
    const text = await new Promise<string | null>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/metrics', timeout: 5_000 }, (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString('utf8')));
        res.on('end', () => resolve(res.statusCode === 200 ? data : null));
      });
      req.on('error', () => resolve(null));
      req.on('timeout', () => req.destroy());
    });
    const max = text && /channel_keeper_event_loop_delay_seconds\{stat="max"\} ([0-9.e+-]+)/.exec(text);
    if (max) return Number(max[1]) * 1000;
  }
  return null;
}

interface ServeFigures {
  firstHealthzMs: number;
  checkDoneMs: number | null;
  acks: number[];
  healthz: number[];
  /** Lists asked during the catch-up: when each reached the response_url (GIVE_UP_MS when not). */
  catchUpLists: number[];
  lists: number[];
  homes: number[];
  peakMb: number;
  restingMb: number;
  loopMaxMs: number | null;
  posts: number;
}

async function scenario(provider: BenchProvider, log: (line: string) => void): Promise<ServeFigures> {
  const db = await freshDatabase(provider);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-serve-'));
  let probe: Probe | null = null;
  const slack = await startFakeSlack({ teamId: TEAM, onCall: (method) => probe?.arrived(method) });
  const [port, metricsPort] = [await freePort(), await freePort()];
  let child: ChildProcess | null = null;
  try {
    const seeded = await timed(() => seedOneWorkspace(db, TEAM, CHANNELS));
    log(`${provider}: ${CHANNELS.toLocaleString('en-US')} channels seeded in one workspace in ${(seeded.ms / 1000).toFixed(1)} s (not counted)`);
    probe = new Probe(port, slack.url);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    };
    const started = performance.now();
    child = spawn(process.execPath, [...NODE_ARGS, BIN, 'serve'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    const { checkDone } = watchLog(child, path.join(dir, 'serve.log'));
    let checkDoneMs: number | null = null;
    void checkDone.then((ms) => (checkDoneMs = ms));

    // Catch-up: a status command and a health probe every 2 s, answered or not.
    const acks: Promise<Answer>[] = [];
    const health: Promise<{ at: number; answer: Answer }>[] = [];
    const catchUpLists: Promise<number>[] = [];
    for (;;) {
      const at = performance.now() - started;
      if (child.exitCode !== null) throw new Error(`serve exited with code ${child.exitCode} during the catch-up; its log: ${path.join(dir, 'serve.log')}`);
      if (checkDoneMs !== null && at > checkDoneMs + AFTER_CHECK_MS) break;
      if (at > CATCH_UP_LIMIT_MS) {
        log(`${provider}: the check had not finished after ${CATCH_UP_LIMIT_MS / 1000} s; probing stops there`);
        break;
      }
      health.push(probe.healthz().then((answer) => ({ at, answer })));
      const asked = probe.status();
      acks.push(asked.ack);
      catchUpLists.push(Promise.race([asked.list, new Promise<number>((resolve) => setTimeout(() => resolve(GIVE_UP_MS), GIVE_UP_MS))]));
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
    }
    const healthAnswers = await Promise.all(health);
    const firstHealthz = healthAnswers.find((h) => h.answer.ok);
    // Commands sent before serve listened were refused at once: the first /healthz figure covers them.
    const listening = firstHealthz?.at ?? Infinity;
    const ackAnswers = (await Promise.all(acks)).filter((_, i) => healthAnswers[i]!.at >= listening);
    const listTimes = (await Promise.all(catchUpLists)).filter((_, i) => healthAnswers[i]!.at >= listening);

    // Quiet: lists and App Home one at a time.
    const lists: number[] = [];
    const homes: number[] = [];
    for (let i = 0; i < 5; i++) {
      lists.push(await Promise.race([probe.status().list, new Promise<number>((resolve) => setTimeout(() => resolve(GIVE_UP_MS), GIVE_UP_MS))]));
      homes.push(await Promise.race([probe.home().view, new Promise<number>((resolve) => setTimeout(() => resolve(GIVE_UP_MS), GIVE_UP_MS))]));
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const loopMaxMs = await metricsMax([metricsPort, port]);
    const figures: ServeFigures = {
      firstHealthzMs: firstHealthz ? firstHealthz.at + firstHealthz.answer.ms : NaN,
      checkDoneMs,
      acks: ackAnswers.map((a) => (a.ok ? a.ms : GIVE_UP_MS)),
      healthz: healthAnswers.filter((h) => h.at >= listening).map((h) => (h.answer.ok ? h.answer.ms : GIVE_UP_MS)),
      catchUpLists: listTimes,
      lists,
      homes,
      peakMb: memoryMb(child.pid!, 'VmHWM'),
      restingMb: memoryMb(child.pid!, 'VmRSS'),
      loopMaxMs,
      posts: slack.calls.get('chat.postMessage') ?? 0,
    };
    child.kill('SIGTERM');
    await exited;
    return figures;
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await slack.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (n: number) => `${format(Math.round(n))} ms`;

function scenarioFigures(provider: BenchProvider, f: ServeFigures): Figure[] {
  const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const at = `${CHANNELS.toLocaleString('en-US')} channels, one workspace`;
  const worstAck = Math.max(...f.acks);
  const worstHealth = Math.max(...f.healthz);
  const late = f.acks.filter((a) => a > 3_000).length;
  const figures: Figure[] = [
    {
      metric: `serve catch-up: /healthz first answered (${name})`,
      value: f.firstHealthzMs / 1000,
      unit: 's',
      note: `after spawn; the check finished at ${f.checkDoneMs === null ? 'never' : `${(f.checkDoneMs / 1000).toFixed(1)} s`}; ${f.posts} messages posted; ${at}`,
    },
    {
      metric: `serve catch-up: /channels status ack, p99 (${name})`,
      value: percentile(f.acks, 99),
      unit: 'ms',
      aim: atMost(percentile(f.acks, 99), 300, ' ms'),
      note: `${f.acks.length} commands every 2 s once serve listened; p50 ${ms(percentile(f.acks, 50))}`,
    },
    {
      metric: `serve catch-up: slowest ack (${name})`,
      value: worstAck,
      unit: 'ms',
      aim: atMost(worstAck, 3_000, ' ms'),
      note: `${late} of ${f.acks.length} later than Slack's 3 s`,
    },
    {
      metric: `serve catch-up: slowest /healthz once up (${name})`,
      value: worstHealth,
      unit: 'ms',
      aim: atMost(worstHealth, 3_000, ' ms'),
      note: `p99 ${ms(percentile(f.healthz, 99))} over ${f.healthz.length} probes`,
    },
    {
      metric: `serve catch-up: status list delivered, slowest (${name})`,
      value: Math.max(...f.catchUpLists),
      unit: 'ms',
      note: `to the response_url, asked during the catch-up; p50 ${ms(percentile(f.catchUpLists, 50))}`,
    },
    {
      metric: `/channels status list, slowest of 5 (${name})`,
      value: Math.max(...f.lists),
      unit: 'ms',
      aim: atMost(Math.max(...f.lists), 1_000, ' ms'),
      note: `command sent → list at the response_url; ${f.lists.map((l) => Math.round(l)).join(', ')} ms`,
    },
    {
      metric: `App Home, slowest of 5 (${name})`,
      value: Math.max(...f.homes),
      unit: 'ms',
      aim: atMost(Math.max(...f.homes), 1_000, ' ms'),
      note: `app_home_opened → views.publish; ${f.homes.map((l) => Math.round(l)).join(', ')} ms`,
    },
    {
      metric: `serve peak RSS (${name})`,
      value: f.peakMb,
      unit: 'MB',
      aim: atMost(f.peakMb, 350, ' MB'),
      note: `through catch-up, drain, status and App Home; ${f.restingMb.toFixed(0)} MB at rest after`,
    },
  ];
  if (f.loopMaxMs !== null)
    figures.push({
      metric: `serve longest event-loop delay (${name})`,
      value: f.loopMaxMs,
      unit: 'ms',
      aim: atMost(f.loopMaxMs, 50, ' ms'),
      note: 'the max serve exported in /metrics over the whole run',
    });
  return figures;
}

export const benchmark: Benchmark = {
  name: 'serve',
  description: `serve started after the check time over ${CHANNELS.toLocaleString('en-US')} channels in one workspace: acks and /healthz every 2 s through the catch-up, then lists, App Home and memory`,
  async run(log) {
    const providers = await benchProviders(log);
    const figures: Figure[] = [];
    for (const provider of providers) {
      const f = await scenario(provider, log);
      log(
        `${provider}: healthz first at ${(f.firstHealthzMs / 1000).toFixed(1)} s; acks p50 ${ms(percentile(f.acks, 50))}, max ${ms(Math.max(...f.acks))}; ` +
          `lists ${f.lists.map(Math.round).join('/')} ms; homes ${f.homes.map(Math.round).join('/')} ms; peak ${f.peakMb.toFixed(0)} MB`,
      );
      figures.push(...scenarioFigures(provider, f));
    }
    return figures;
  },
};
