import { runCheck, type CheckRunDeps, type CheckRunOptions, type CheckSummary } from '../../src/runs/check-run';
import type { DeliveryReport, Outbox } from '../../src/outbox/report';
import { OutboxWorker } from '../../src/outbox/worker';
import { WARNING_STATES, type Warning } from '../../src/domain';
import { silentLogger } from '../../src/logger';
import type { Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { connectionInput, newWorkspace } from '../support/factories';
import { writeRefresh } from '../../src/services/caretaking';

const DAY = 86_400_000;
const NOW = new Date('2026-11-28T10:00:00Z');
const NEXT_DAY = new Date(NOW.getTime() + DAY);

/** Records every call; delivers nothing. */
class RecordingOutbox implements Outbox {
  readonly calls: string[] = [];
  async afterRecording(workspaceId: string): Promise<DeliveryReport | null> {
    this.calls.push(workspaceId);
    return null;
  }
}

/** A workspace with one channel at each interesting stage, dated relative to NOW (2026-11-28, UTC). */
async function seed(store: Store) {
  const ws = await newWorkspace(store);
  await store.members.upsert(ws, 'UGONE', { active: false });
  const quiet = { ownerId: 'UOWNER', ownerLastActiveAt: '2026-11-20', backups: ['UBACKUP'] };
  const create = (name: string, extra: Parameters<typeof connectionInput>[0]) =>
    store.connections.create(ws, connectionInput({ name, ...quiet, ...extra }), 'U1');
  const expiring = await create('Expiring', { connectedAt: '2025-12-10' }); // expires 2026-12-10: 12 days left → 14d
  const expired = await create('Expired', { connectedAt: '2025-11-20' }); // expired 2026-11-20
  const healthy = await create('Healthy', { connectedAt: '2026-10-01' });
  const gone = await create('Gone', { connectedAt: '2026-10-01', ownerId: 'UGONE' });
  const disconnected = await create('Disconnected', {
    connectedAt: '2026-10-01',
    status: 'disconnected',
    disconnectReason: 'password_change',
    disconnectedAt: '2026-11-25',
  });
  const bad = await create('Bad dates', { connectedAt: '2026-10-01', lastRefreshedAt: '2027-01-01' });
  return { ws, expiring, expired, healthy, gone, disconnected, bad };
}

/** One run as of `now` (default NOW); the rest of the deps default to a recording delivery and no logs. */
type RunOptions = Partial<Omit<CheckRunDeps, 'store' | 'now'>> & CheckRunOptions & { now?: Date };

describeEachDatabase('check run (src/runs/check-run)', (db) => {
  const run = (ws: string, { now = NOW, dryRun, ...deps }: RunOptions = {}): Promise<CheckSummary> =>
    runCheck({ store: db().store, now: () => now, outbox: new RecordingOutbox(), logger: silentLogger, ...deps }, ws, { dryRun });

  async function allRows(ws: string): Promise<Warning[]> {
    const rows = await Promise.all(WARNING_STATES.map((state) => db().store.warnings.listByState(ws, state, 10_000)));
    return rows.flat().sort((a, b) => a.id - b.id);
  }

  const label = (names: Record<number, string>, w: { connectionId: number; kind: string; stage: string }) => `${names[w.connectionId]} ${w.kind} ${w.stage}`;

  it('records a warning per finding, reports bad data without stopping the others, then delivers', async () => {
    const s = await seed(db().store);
    const names = Object.fromEntries(
      Object.values(s)
        .filter((v) => typeof v === 'object')
        .map((c) => [c.id, c.name]),
    );
    const outbox = new RecordingOutbox();
    const summary = await run(s.ws, { outbox });

    const expected = [
      'Expiring expiry 14d',
      'Expiring refresh_due overdue',
      'Expired expiry expired',
      'Expired refresh_due overdue',
      'Gone owner_gone gone',
      'Disconnected disconnected disconnected',
    ].sort();
    expect(summary.warnings.map((w) => label(names, w)).sort()).toEqual(expected);
    expect((await allRows(s.ws)).map((w) => `${label(names, w)} ${w.state}`).sort()).toEqual(expected.map((e) => `${e} pending`));
    expect(summary.counts).toMatchObject({ connections: 6, findings: 6, created: 6, reopened: 0, resolved: 0, stillOpen: 0, heldBack: 0 });
    expect(summary.problems).toEqual([
      { connectionId: s.bad.id, name: 'Bad dates', reasons: [expect.stringContaining('lastRefreshedAt 2027-01-01 is in the future')] },
    ]);

    const expiring = summary.warnings.find((w) => w.connectionId === s.expiring.id && w.kind === 'expiry');
    expect(expiring).toMatchObject({
      workspace: s.ws,
      connection: 'Expiring',
      network: 'linkedin',
      severity: 'attention',
      dueAt: '2026-12-10',
      reopened: false,
    });
    expect(expiring?.message).toContain('12 days');
    expect(expiring?.advice).toContain('Mark refreshed');

    // The run only records, then tells the outbox once (the worker posts).
    expect(outbox.calls).toEqual([s.ws]);
  });

  it('creates nothing when run twice the same day', async () => {
    const s = await seed(db().store);
    await run(s.ws);
    const before = await allRows(s.ws);
    const second = await run(s.ws, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(second.counts).toMatchObject({ created: 0, reopened: 0, resolved: 0, stillOpen: 6 });
    expect(second.warnings).toEqual([]);
    expect(await allRows(s.ws)).toEqual(before);
  });

  it("resolves the old cycle's warnings once a channel is refreshed", async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    // Dates changed without the repository resolving anything (an import, an edit): the run must resolve.
    await store.connections.update(s.ws, s.expired.id, { lastRefreshedAt: '2026-11-28' });
    // The button path: recordRefresh resolves its own warnings; the run must not reopen them.
    await writeRefresh(store, { workspaceId: s.ws, connectionId: s.expiring.id, actorId: 'U1', at: NOW }, '2026-11-28');

    const summary = await run(s.ws, { now: new Date(NOW.getTime() + 60_000) });
    expect(summary.counts).toMatchObject({ created: 0, reopened: 0, resolved: 2 });
    const rows = await allRows(s.ws);
    const ofConnection = (id: number) =>
      rows
        .filter((w) => w.connectionId === id)
        .map((w) => `${w.kind} ${w.state} ${w.resolvedBy}`)
        .sort();
    expect(ofConnection(s.expired.id)).toEqual(['expiry resolved system', 'refresh_due resolved system']);
    expect(ofConnection(s.expiring.id)).toEqual(['expiry resolved U1', 'refresh_due resolved U1']);
  });

  it("creates only the next day's expired reminder the next day, and resolves the previous day's", async () => {
    const s = await seed(db().store);
    const first = await run(s.ws);
    const yesterdays = (await allRows(s.ws)).find((w) => w.connectionId === s.expired.id && w.stage === 'expired');
    const next = await run(s.ws, { now: NEXT_DAY });
    expect(next.warnings.map((w) => `${w.connection} ${w.kind} ${w.stage}`)).toEqual(['Expired expiry expired']);
    expect(next.counts).toMatchObject({ created: 1, resolved: 1, stillOpen: first.counts.created - 1 });
    const rows = await allRows(s.ws);
    expect(rows.find((w) => w.id === yesterdays?.id)?.state).toBe('resolved');
    expect(rows.filter((w) => w.stage === 'expired' && w.state === 'pending').map((w) => w.dedupKey)).toEqual([
      `${yesterdays?.dedupKey.replace(/:2026-11-28$/, '')}:2026-11-29`,
    ]);
  });

  it('writes nothing and delivers nothing in a dry run', async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    // A row left in `sending` by a crashed run: a real run would reclaim it.
    await store.outbox.claimDue({ limit: 1, holder: 'crashed', now: new Date(NOW.getTime() - 3_600_000), workspaceId: s.ws });
    const before = { rows: await allRows(s.ws), audit: await store.audit.count(s.ws), connections: await store.connections.list(s.ws) };

    const outbox = new RecordingOutbox();
    const dry = await run(s.ws, { now: NEXT_DAY, dryRun: true, outbox });
    expect(dry.counts).toMatchObject({ created: 1, resolved: 1, reclaimed: 0 });
    expect(dry.warnings.map((w) => `${w.connection} ${w.stage}`)).toEqual(['Expired expired']);
    expect(dry.delivery).toBeNull();
    expect(outbox.calls).toEqual([]);
    expect({ rows: await allRows(s.ws), audit: await store.audit.count(s.ws), connections: await store.connections.list(s.ws) }).toEqual(before);

    // The same run for real does change it: the dry run was not just a day with nothing to do.
    const real = await run(s.ws, { now: NEXT_DAY });
    expect(real.counts).toMatchObject({ created: 1, resolved: 1 });
  });

  it('the outbox pass puts rows stuck in sending longer than the lease back to pending, and the check reports it', async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    const [stale] = await store.outbox.claimDue({ limit: 1, holder: 'crashed', now: new Date(NOW.getTime() - 2 * 60_000), workspaceId: s.ws });
    const [fresh] = await store.outbox.claimDue({ limit: 1, holder: 'busy', now: new Date(NOW.getTime() - 30_000), workspaceId: s.ws });
    const worker = new OutboxWorker({ store, slack: null, now: () => NOW, logger: silentLogger, holder: 'test' });
    const summary = await run(s.ws, { outbox: { afterRecording: (ws) => worker.drain({ workspaceId: ws }) } });
    expect(summary.counts.reclaimed).toBe(1);
    expect((await store.warnings.findById(s.ws, stale!.id))?.state).toBe('pending');
    expect((await store.warnings.findById(s.ws, fresh!.id))?.state).toBe('sending');
  });

  it('holds back disconnection noise while the network is marked disrupted, and lets it through once lifted', async () => {
    const { store } = db();
    const s = await seed(store);
    await store.workspaces.setOutage(s.ws, 'linkedin', NOW);
    const during = await run(s.ws);
    const kinds = during.warnings.map((w) => `${w.connection} ${w.kind} ${w.stage}`).sort();
    expect(kinds).toEqual(['Expired refresh_due overdue', 'Expiring expiry 14d', 'Expiring refresh_due overdue', 'Gone owner_gone gone']);
    expect(during.counts).toMatchObject({ heldBack: 2, findings: 6 });
    expect(during.outageNetworks).toEqual(['linkedin']);

    await store.workspaces.setOutage(s.ws, 'linkedin', null);
    const after = await run(s.ws, { now: new Date(NOW.getTime() + 60_000) });
    expect(after.warnings.map((w) => `${w.connection} ${w.kind} ${w.stage}`).sort()).toEqual([
      'Disconnected disconnected disconnected',
      'Expired expiry expired',
    ]);
    expect(after.counts.heldBack).toBe(0);
  });

  it('does not resolve disconnection warnings recorded before an outage, nor add daily reminders during it', async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    const before = (await allRows(s.ws)).filter((w) => w.kind === 'disconnected' || w.stage === 'expired');
    expect(before).toHaveLength(2);
    await store.workspaces.setOutage(s.ws, 'linkedin', NOW);
    const during = await run(s.ws, { now: NEXT_DAY });
    expect(during.counts).toMatchObject({ created: 0, resolved: 0, heldBack: 2 });
    const rows = await allRows(s.ws);
    expect(rows.filter((w) => w.kind === 'disconnected' || w.stage === 'expired')).toEqual(before);
    // Other networks are not affected by a LinkedIn outage.
    const fb = await store.connections.create(
      s.ws,
      connectionInput({ network: 'facebook', kind: 'page', name: 'FB', connectedAt: '2026-01-01', backups: ['UB'] }),
      'U1',
    );
    const other = await run(s.ws, { now: NEXT_DAY });
    expect(other.warnings.filter((w) => w.connectionId === fb.id).map((w) => w.stage)).toEqual(['expired']);
  });

  it("judges the day in the workspace's time zone", async () => {
    const { store } = db();
    const s = await seed(store);
    await store.workspaces.updateSettings(s.ws, { timeZone: 'Pacific/Auckland' });
    // 2026-11-28T12:00Z is already 29 November in Auckland.
    const summary = await run(s.ws, { now: new Date('2026-11-28T12:00:00Z') });
    expect(summary.today).toBe('2026-11-29');
    expect(summary.warnings.find((w) => w.stage === 'expired')?.message).toContain('9 days ago');
  });

  it('leaves rows pending without Slack, and reports how many wait', async () => {
    const { store } = db();
    const s = await seed(store);
    const worker = new OutboxWorker({ store, slack: null, now: () => NOW, logger: silentLogger, holder: 'test' });
    const summary = await run(s.ws, { outbox: { afterRecording: (ws) => worker.drain({ workspaceId: ws }) } });
    expect(summary.delivery).toMatchObject({ posted: 0, failed: 0, pending: 6, note: 'Slack is not configured' });
    expect(await store.warnings.countByState(s.ws)).toEqual({ pending: 6 });
  });

  it('reopens a resolved warning whose finding holds again, and a snooze that ran out', async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    const rows = await allRows(s.ws);
    const gone = rows.find((w) => w.kind === 'owner_gone')!;
    const expiry = rows.find((w) => w.connectionId === s.expiring.id && w.kind === 'expiry')!;
    await store.warnings.resolve(s.ws, [gone.id], 'U1', NOW);
    await store.warnings.snooze(s.ws, [expiry.id], new Date(NOW.getTime() + 3_600_000), 'U1');

    const stillSnoozed = await run(s.ws, { now: new Date(NOW.getTime() + 60_000) });
    expect(stillSnoozed.warnings.map((w) => `${w.connection} ${w.kind} reopened=${w.reopened}`)).toEqual(['Gone owner_gone reopened=true']);
    expect(stillSnoozed.counts).toMatchObject({ created: 0, reopened: 1 });
    const later = await run(s.ws, { now: new Date(NOW.getTime() + 2 * 3_600_000) });
    expect(later.warnings.map((w) => `${w.connection} ${w.kind} reopened=${w.reopened}`)).toEqual(['Expiring expiry reopened=true']);
    expect((await store.warnings.findById(s.ws, gone.id))?.state).toBe('pending');
    expect((await store.warnings.findById(s.ws, expiry.id))?.state).toBe('pending');
  });

  it('loads connections and warnings in bulk, not one query per connection', async () => {
    const { store } = db();
    const s = await seed(store);
    await run(s.ws);
    const spies = {
      list: jest.spyOn(store.connections, 'list'),
      findConnection: jest.spyOn(store.connections, 'findById'),
      listForPlanning: jest.spyOn(store.warnings, 'listForPlanning'),
      listOpen: jest.spyOn(store.warnings, 'listOpen'),
      findWarning: jest.spyOn(store.warnings, 'findById'),
    };
    try {
      await run(s.ws, { now: NEXT_DAY });
      expect(spies.list).toHaveBeenCalledTimes(1);
      // One read of the workspace's warnings: open rows and rows with today's keys together.
      expect(spies.listForPlanning).toHaveBeenCalledTimes(1);
      expect(spies.listOpen).not.toHaveBeenCalled();
      expect(spies.findConnection).not.toHaveBeenCalled();
      expect(spies.findWarning).not.toHaveBeenCalled();
    } finally {
      Object.values(spies).forEach((spy) => spy.mockRestore());
    }
  });

  it('refuses an unknown workspace', async () => {
    await expect(run('TNOSUCH')).rejects.toThrow('no workspace with id TNOSUCH');
  });
});
