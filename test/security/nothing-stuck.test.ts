/**
 * Nothing stuck (the hardening round's item 4), against the fake Slack through the outbox worker:
 * a warning Slack refuses for a temporary reason is tried again on its own, long past the old
 * limit of eight attempts, until its backoffs add up to three days; and the rows waiting out a
 * backoff go at once when Slack takes a post of their workspace again. Only permanent causes wait
 * for a person.
 */
import { GIVE_UP_AFTER_MS, givenUp } from '../../src/outbox/backoff';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { connectionInput, newWarning } from '../support/factories';
import { FakeClock, NOW, fakeSlackForFile, makeDelivery, seed, workerFor, type TestDelivery } from '../bot/delivery/harness';

const slack = fakeSlackForFile();

function workerOf(store: Store, delivery: TestDelivery, now: () => Date = () => NOW) {
  return workerFor({ ...delivery, store }, now);
}

describeEachDatabase('nothing stuck', (db) => {
  it('keeps trying a row Slack refuses for a while, past any attempt count, and fails it once its waits add up to three days', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CSTUCK' });
    const delivery = makeDelivery(store, slack.fake, new FakeClock(), { retry: { attempts: 1 } });
    slack.fake.fail('chat.postMessage', { status: 500, times: 1_000 });
    // A pass every hour (the longest backoff): every post refused.
    let pass = 0;
    const failedAt = async () => (await store.warnings.countByState(workspace.id)).failed ?? 0;
    while (pass < 200 && !(await failedAt())) {
      await workerOf(store, delivery, () => new Date(NOW.getTime() + pass * 3_600_000)).drain({ workspaceId: workspace.id });
      pass += 1;
      // Long past the old limit of eight attempts, still waiting for its next try.
      if (pass === 12) expect(await store.warnings.listByState(workspace.id, 'pending')).toMatchObject([{ attempts: 12 }]);
    }
    // Given up on the pass whose waits reached three days, not before.
    expect(givenUp(pass)).toBe(true);
    expect(givenUp(pass - 1)).toBe(false);
    expect((pass - 1) * 3_600_000).toBeGreaterThanOrEqual(GIVE_UP_AFTER_MS - 2 * 3_600_000);
    const [failed] = await store.warnings.listByState(workspace.id, 'failed');
    expect(failed!.lastError).toContain(`gave up after ${pass} attempts over three days`);
  });

  it('posts the rows waiting out a backoff at once when Slack takes a post of their workspace again', async () => {
    const { store } = db();
    const { workspace } = await seed(store, { alertChannel: 'CBACK' });
    const delivery = makeDelivery(store, slack.fake, new FakeClock(), { retry: { attempts: 1 } });
    slack.fake.fail('chat.postMessage', { status: 500, times: 1 });
    await workerOf(store, delivery).drain({ workspaceId: workspace.id });
    const [first] = await store.warnings.listByState(workspace.id, 'pending');
    expect(first!.nextAttemptAt).toEqual(new Date(NOW.getTime() + 30_000));
    // A new warning of the same workspace, due now: Slack takes it, and the waiting row goes too.
    const c = await store.connections.create(workspace.id, connectionInput({ name: 'Second page' }), 'USETUP');
    await store.warnings.upsertMany([newWarning(workspace.id, c.id)]);
    const soon = new Date(NOW.getTime() + 5_000);
    expect(await workerOf(store, delivery, () => soon).drain({ workspaceId: workspace.id })).toMatchObject({ posted: 2, waiting: 0 });
    expect(await store.warnings.countByState(workspace.id)).toEqual({ posted: 2 });
  });
});
