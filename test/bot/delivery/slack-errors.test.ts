/** How delivery meets Slack's errors: rate limits, 5xx, timeouts, permanent refusals, DM failures. */
import { describeEachDatabase } from '../../support/databases';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, drain } from './harness';

const slack = fakeSlackForFile();
const channelCalls = () => slack.fake.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('C'));

describeEachDatabase('Slack delivery errors', (db) => {
  async function oneWarning(options: Parameters<typeof seed>[1] = {}) {
    const { store } = db();
    const seeded = await seed(store, { connections: [{ ownerId: null }], ...options });
    const clock = new FakeClock();
    return { store, ...seeded, clock, delivery: makeDelivery(store, slack.fake, clock) };
  }

  it('waits Retry-After on HTTP 429, then posts', async () => {
    const { store, workspace, connections, clock, delivery } = await oneWarning();
    slack.fake.fail('chat.postMessage', { status: 429, retryAfterSeconds: 2, times: 3 });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({ posted: 1, failed: 0, pending: 0 });
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    expect(channelCalls()).toHaveLength(4);
    expect(slack.posted).toHaveLength(1);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 1 });
  });

  it('retries HTTP 500 with exponential backoff', async () => {
    const { workspace, connections, clock, delivery } = await oneWarning();
    slack.fake.fail('chat.postMessage', { status: 500, times: 3 });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({ posted: 1, failed: 0, pending: 0 });
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('gives up after 4 attempts and puts the rows back to pending with the error; no DM about them', async () => {
    const { store, workspace, connections, clock, delivery } = await oneWarning({ connections: [{ ownerId: 'U_A' }, { ownerId: 'U_A' }] });
    slack.fake.fail('chat.postMessage', { status: 503, times: Infinity });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({
      posted: 0,
      failed: 0,
      pending: 2,
      note: expect.stringMatching(/^Slack unavailable/),
    });
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(channelCalls()).toHaveLength(4); // the second row is not tried once Slack is known to be down
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'U_A')).toEqual([]);
    const rows = await store.warnings.listByState(workspace.id, 'pending');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.lastError).toMatch(/HTTP 503.*4 attempts/);
  });

  it('retries a request that times out, then keeps the row for the next run', async () => {
    const { store, workspace, connections, clock } = await oneWarning();
    const delivery = makeDelivery(store, slack.fake, clock, { timeoutMs: 300 });
    // Answered after the client's 300 ms timeout (and with an error, so a late answer posts nothing).
    slack.fake.fail('chat.postMessage', { delayMs: 600, status: 500, times: Infinity });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toMatchObject({ posted: 0, failed: 0, pending: 1 });
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    const [row] = await store.warnings.listByState(workspace.id, 'pending');
    expect(row!.lastError).toMatch(/request failed: .*(timeout|aborted).*4 attempts/i);

    slack.fake.reset();
    slack.fake.fail('chat.postMessage', { delayMs: 600, status: 500, times: 1 });
    // Not before its next attempt (backoff), then posted.
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({ posted: 0, failed: 0, pending: 0 });
    expect(await drain(delivery, { workspace, connections, now: new Date(NOW.getTime() + 3_600_000) })).toEqual({ posted: 1, failed: 0, pending: 0 });
    expect((await store.warnings.findById(workspace.id, row!.id))!.lastError).toBeNull();
  });

  it('starts no wait past the hold limit: the rows go back to pending before any lease could run out', async () => {
    const { store, workspace, connections, clock } = await oneWarning();
    const delivery = makeDelivery(store, slack.fake, clock, { holdLimitMs: 5000 });
    slack.fake.fail('chat.postMessage', { status: 429, retryAfterSeconds: 2, times: Infinity });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toMatchObject({ posted: 0, pending: 1 });
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect((await store.warnings.listByState(workspace.id, 'pending'))[0]!.lastError).toMatch(/rate limited/);
  });

  it('marks every row failed with a reason when the bot is not in the channel, and tells the admins', async () => {
    const { store, workspace, connections, delivery } = await oneWarning({ connections: [{ ownerId: 'U_A' }, { ownerId: 'U_A' }, {}] });
    await store.members.upsert(workspace.id, 'U_ADMIN', { role: 'admin' });
    slack.fake.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({
      posted: 0,
      failed: 3,
      pending: 0,
      note: expect.stringContaining('not in <#CALERT>'),
    });
    expect(channelCalls()).toHaveLength(1); // the others would fail the same way
    const rows = await store.warnings.listByState(workspace.id, 'failed');
    expect(rows.map((w) => w.lastError)).toEqual(Array(3).fill('the bot is not in <#CALERT>: invite it with /invite @Channel Keeper'));
    expect(slack.posted.map((p) => p.channel)).toEqual(['U_ADMIN']);
    expect(slack.posted[0]!.text).toContain('could not post 3 warnings: the bot is not in <#CALERT>');
  });

  it.each([
    ['channel_not_found', /not found/],
    ['is_archived', /archived/],
    ['account_inactive', /reinstall/],
    ['invalid_auth', /token/],
    ['missing_scope', /permission/],
  ])('marks rows failed on %s', async (error, reason) => {
    const { store, workspace, connections, delivery } = await oneWarning();
    slack.fake.fail('chat.postMessage', { error, times: 1 });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toMatchObject({ failed: 1 });
    expect((await store.warnings.listByState(workspace.id, 'failed'))[0]!.lastError).toMatch(reason);
  });

  it('a refusal of one message (invalid_blocks) fails only that warning', async () => {
    const { store, workspace, connections, delivery } = await oneWarning({ connections: [{ ownerId: null }, { ownerId: null }] });
    slack.fake.fail('chat.postMessage', { error: 'invalid_blocks', times: 1 });
    expect(await drain(delivery, { workspace, connections, now: NOW })).toEqual({ posted: 1, failed: 1, pending: 0 });
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 1, failed: 1 });
  });

  it('DM failures are logged, never stop the delivery nor change a warning', async () => {
    const { store, workspace, connections, delivery } = await oneWarning({ connections: [{ ownerId: 'U_A', backups: ['U_B'] }, { ownerId: 'U_A' }] });
    // Once the first channel message is accepted, every later call fails: the 2nd channel post and all DMs.
    slack.hooks.afterPost = () => slack.fake.fail('chat.postMessage', { error: 'user_not_found', times: Infinity });
    const report = await drain(delivery, { workspace, connections, now: NOW });
    expect(report).toEqual({ posted: 1, failed: 1, pending: 0 });
    expect(slack.fake.callsTo('chat.postMessage').filter((c) => String(c.body.channel).startsWith('U'))).toHaveLength(2);
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 1, failed: 1 });
  });
});
