/** `check --wait`: the durations it takes, and how the wait gives up on a Slack that answers nothing. */
import { formatWait, parseWait, SlackWait } from '../../src/cli/slack-wait';
import type { PortResult, SlackPort } from '../../src/outbox/slack-port';

const ok: PortResult = { ok: true, channel: 'C1', ts: '1.1' };
const down: PortResult = { ok: false, outcome: 'retry', reason: 'Slack answered HTTP 503 (after 1 attempt)' };

/** A port answering posts from `answers` in turn, counting what reached it. */
function portAnswering(answers: PortResult[]) {
  const calls: string[] = [];
  const port: SlackPort = {
    window: () => ({ deadline: new Date(Date.now() + 45_000) }),
    post: async (to) => (calls.push(to), answers.shift() ?? ok),
    update: async (channel, ts) => (calls.push(channel), { ok: true, channel, ts }),
    findPosts: async () => new Map(),
  };
  return { calls, ports: { forWorkspace: () => port } };
}

describe('--wait durations', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    [' 2S ', 2_000],
  ])('%s is %d ms', (text, ms) => expect(parseWait(text)).toBe(ms));

  it.each(['', '30', 'soon', '-5s', '2d', '1h1s', '5 m'])('refuses %p, saying what to type', (text) =>
    expect(() => parseWait(text)).toThrow(/type a duration such as --wait 90s, --wait 5m or --wait 0/),
  );

  it('prints a wait as --wait takes it', () => {
    expect([0, 500, 2_000, 60_000, 90_000, 150_000, 300_000].map(formatWait)).toEqual(['0s', '500ms', '2s', '60s', '90s', '2m30s', '5m']);
  });
});

describe('the wait', () => {
  it('with 0: one try, the first failure gives up, and later calls do not reach Slack', async () => {
    const wait = new SlackWait(0);
    const { calls, ports } = portAnswering([down]);
    const port = wait.wrap(ports).forWorkspace('T1');
    // No retry or wait inside a post: its window ends now.
    expect(port.window().deadline.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await port.post('C1', { kind: 'admin_notice', code: 'x', reason: 'x', count: 1 })).toEqual(down);
    expect(wait.gaveUp).toBe(true);
    expect(wait.signal.aborted).toBe(true);
    const later = await port.update('C1', '1.1', { kind: 'alert', recipient: null, items: [], alertChannel: 'C1', escalation: {} as never });
    expect(later).toMatchObject({ ok: false, outcome: 'retry' });
    expect(calls).toEqual(['C1']);
    expect(wait.why()).toBe('Slack answered HTTP 503 (after 1 attempt); gave up after 0s without an answer (--wait)');
    wait.close();
  });

  it('gives up once Slack has answered nothing for the wait; an answer starts the wait again', async () => {
    let now = 1_000_000;
    const wait = new SlackWait(2_000, () => now);
    const { ports } = portAnswering([down, ok, down]);
    const port = wait.wrap(ports).forWorkspace('T1');
    const notice = { kind: 'admin_notice', code: 'x', reason: 'x', count: 1 } as const;
    await port.post('C1', notice);
    expect(wait.failing).toBe(true);
    // Windows end where the wait would run out.
    expect(port.window().deadline.getTime()).toBe(1_002_000);
    now += 1_500;
    await port.post('C1', notice);
    expect(wait.failing).toBe(false);
    expect(port.window().deadline.getTime()).toBe(1_003_500);
    await port.post('C1', notice);
    expect(wait.gaveUp).toBe(false);
    // The timer runs on real time: wait it out.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(wait.gaveUp).toBe(true);
    expect(wait.why()).toMatch(/; gave up after 2s without an answer \(--wait\)$/);
    wait.close();
  });
});
