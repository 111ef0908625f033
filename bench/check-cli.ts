/**
 * `channel-keeper check` as users run it: the compiled binary (bin/channel-keeper.js over dist/) in
 * its own process, so start-up, the outbox drain and the text report are all in the time. Its
 * stdout goes to a file (a terminal or a pipe would cost the reader too); its peak RSS is the
 * child's own, from `/usr/bin/time` (or /proc/<pid>/status VmHWM polled where that is missing).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchSlack } from './fake-slack';
import { BENCH_TODAY } from './fixtures';

const ROOT = path.resolve(__dirname, '..', __filename.endsWith('.js') ? '..' : '');
const BIN = path.join(ROOT, 'bin', 'channel-keeper.js');
const TIME = '/usr/bin/time';
/** The line /usr/bin/time adds to stderr: peak RSS in kB, user and system CPU seconds. */
const TIME_MARK = 'ck-bench-time';

export interface CliPass {
  ms: number;
  /** 0, or 1 when something due was not posted (the last stderr lines say why). */
  exitCode: number;
  peakRssMb: number;
  /** User + system CPU time of the process (NaN where /usr/bin/time is missing): far below `ms`, it waited. */
  cpuMs: number;
  stdoutMb: number;
  /** Lines on stderr: the log (two lines per workspace at the default level) and the check's notes. */
  stderrLines: number;
  /** The last of them, when the check exited 1. */
  lastNote: string | null;
  /** chat.postMessage calls the fake Slack answered (0 without Slack). */
  posts: number;
}

/** The variables of the bench's own environment that would change what `check` does. */
const OWN_SETTINGS = /^(SLACK_|LOG_|OUTBOX_|DATABASE_URL$)/;

/**
 * One `channel-keeper check --at <the estate's day>` on `url`; with `slack`, the outbox posts to it
 * (SLACK_BOT_TOKEN and SLACK_API_URL set), otherwise warnings are only recorded.
 */
export function checkAsUsersRunIt(url: string, slack: BenchSlack | null): Promise<CliPass> {
  return commandAsUsersRunIt(['check', '--at', BENCH_TODAY], url, slack);
}

/** Any `channel-keeper <args>` the same way: its own process, stdout to a file, timed, its peak RSS. */
export async function commandAsUsersRunIt(command: string[], url: string, slack: BenchSlack | null): Promise<CliPass> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-cli-'));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_SETTINGS.test(name)));
  env.DATABASE_URL = url;
  if (slack) Object.assign(env, { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: slack.url });
  const [out, err] = [path.join(dir, 'stdout'), path.join(dir, 'stderr')];
  const [outFd, errFd] = [fs.openSync(out, 'w'), fs.openSync(err, 'w')];
  const args = [BIN, ...command];
  const viaTime = fs.existsSync(TIME);
  slack?.reset();
  try {
    const start = process.hrtime.bigint();
    // cwd: an empty folder, so no .env fills in what was left out above.
    const child = viaTime
      ? spawn(TIME, ['-f', `${TIME_MARK} %M %U %S`, process.execPath, ...args], { cwd: dir, env, stdio: ['ignore', outFd, errFd] })
      : spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', outFd, errFd] });
    let polledKb = 0;
    const poll = viaTime ? null : setInterval(() => (polledKb = Math.max(polledKb, highWaterKb(child.pid!))), 20);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (poll) clearInterval(poll);
    const stderr = fs.readFileSync(err, 'utf8').split('\n').filter(Boolean);
    const mark = stderr.findLast((line) => line.startsWith(TIME_MARK));
    // GNU time says a non-zero exit on a line of its own; the exit code says it already.
    const notes = stderr.filter((line) => line !== mark && !line.startsWith('Command exited with non-zero status'));
    const [rss, user, system] = (mark ?? '').slice(TIME_MARK.length).trim().split(' ').map(Number) as [number, number, number];
    // 1: something due was not posted, or a workspace failed: timed all the same, and said in the table.
    if (code !== 0 && code !== 1) throw new Error(`channel-keeper ${command[0]} exited ${code}:\n${notes.slice(-20).join('\n')}`);
    return {
      ms,
      exitCode: code,
      peakRssMb: (mark ? rss : polledKb) / 1024,
      cpuMs: mark ? (user + system) * 1000 : NaN,
      stdoutMb: fs.statSync(out).size / 2 ** 20,
      stderrLines: notes.length,
      lastNote: code === 0 ? null : (notes.at(-1) ?? null),
      posts: slack?.calls.get('chat.postMessage') ?? 0,
    };
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(errFd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** VmHWM (the peak resident set) of a running process, in kB; 0 once it is gone. */
function highWaterKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}
