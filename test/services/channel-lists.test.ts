/**
 * The lists behind `/channels status` and App Home read a page and grouped counts from the stored
 * health: they must show exactly what judging every channel shows, read no more than a page, and
 * judge a channel again when what its health depends on changes.
 */
import { addDays } from '../../src/rules/calendar';
import { compareUrgency, summarizeConnection, type ConnectionSummary } from '../../src/rules/health';
import type { Finding } from '../../src/rules/finding';
import { homeLists, listPage, type HealthFilter } from '../../src/services/channel-lists';
import { judge, loadWorkspaceRules } from '../../src/services/evaluation';
import { JudgingQueue } from '../../src/services/judging';
import { NETWORKS, TOOLS, type Connection, type Health } from '../../src/domain';
import type { ConnectionInput } from '../../src/store/connection-repository';
import { describeEachDatabase } from '../support/databases';
import { newWorkspace } from '../support/factories';

const NOW = new Date('2026-06-15T12:00:00Z');
const TODAY = '2026-06-15';

/** A spread of channels: fresh, expiring, expired, inactive owners, disconnected, no backup, owner gone, a date in the future. */
function estate(n: number): ConnectionInput[] {
  return Array.from({ length: n }, (_, i): ConnectionInput => {
    const network = NETWORKS[i % NETWORKS.length]!;
    const connectedAt = addDays(TODAY, -((i * 37) % 420));
    const disconnected = i % 29 === 0;
    return {
      network,
      kind: 'company_page',
      // Names repeat across networks and differ in case, so the name and id tie-breaks count.
      name: `${i % 3 === 0 ? 'acme' : 'Acme'} ${String(i % 150).padStart(3, '0')}`,
      ownerId: i % 17 === 0 ? null : `UOWNER${i % 7}`,
      connectedAt,
      lastRefreshedAt: i % 2 ? addDays(connectedAt, (i * 13) % 40) : null,
      ownerLastActiveAt: i % 5 ? addDays(TODAY, -((i * 11) % 120)) : null,
      status: disconnected ? 'disconnected' : 'connected',
      disconnectReason: disconnected ? 'password_change' : null,
      disconnectedAt: disconnected ? addDays(TODAY, -(i % 40)) : null,
      tool: i % 4 === 0 ? null : TOOLS[i % TOOLS.length]!,
      backups: i % 3 ? [`UBACKUP${i % 4}`] : [],
    };
  });
}

describeEachDatabase('the lists behind status and App Home', (db) => {
  const store = () => db().store;
  const deps = (now = NOW) => ({ store: store(), now: () => now });

  async function seeded(n: number) {
    const id = await newWorkspace(store());
    for (const [i, input] of estate(n).entries()) {
      const c = await store().connections.create(id, input, 'UADMIN');
      if (i % 23 === 0) await store().connections.change(id, c.id, { retiredAt: NOW });
    }
    // UOWNER3 has left Slack: their channels' owner is gone.
    await store().members.upsert(id, 'UOWNER3', { active: false });
    return store().workspaces.getById(id);
  }

  /** What judging every channel of the list says, most urgent first (as status and App Home did before). */
  async function judgedAll(workspaceId: string, pick: (c: Connection, s: ConnectionSummary) => boolean = () => true) {
    const workspace = await store().workspaces.getById(workspaceId);
    const rules = await loadWorkspaceRules({ store: store() }, workspace, NOW);
    const connections = await store().connections.list(workspaceId, { includeArchived: false });
    const { findings } = judge(rules, connections);
    const own = new Map<number, Finding[]>();
    for (const f of findings) own.set(f.connectionId, [...(own.get(f.connectionId) ?? []), f]);
    return connections
      .map((c) => ({ c, s: summarizeConnection(c, own.get(c.id) ?? [], { today: rules.today, policy: rules.policyFor(c.network, c.tool) }) }))
      .filter(({ c, s }) => pick(c, s))
      .sort((a, b) => compareUrgency(a.s, b.s));
  }

  function byHealth(items: { s: ConnectionSummary }[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { s } of items) counts[s.health] = (counts[s.health] ?? 0) + 1;
    return counts;
  }

  function countsOf(counts: { health: Health; count: number }[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of counts) out[c.health] = (out[c.health] ?? 0) + c.count;
    return out;
  }

  it('status pages and counts match judging every channel, for each filter and page', async () => {
    const workspace = await seeded(300);
    const inUse = (c: Connection) => c.retiredAt === null;
    const cases: [HealthFilter, (c: Connection, s: ConnectionSummary) => boolean][] = [
      [{ retired: false }, inUse],
      [{ retired: false, healths: ['at_risk', 'critical', 'disconnected'] }, (c, s) => inUse(c) && ['at_risk', 'critical', 'disconnected'].includes(s.health)],
      [{ network: 'facebook' }, (c) => c.network === 'facebook'],
      [{ retired: true }, (c) => c.retiredAt !== null],
      [{ retired: false, tool: TOOLS[1] }, (c) => inUse(c) && c.tool === TOOLS[1]],
      [{ retired: false, ownerId: 'UOWNER2' }, (c) => inUse(c) && c.ownerId === 'UOWNER2'],
    ];
    for (const [filter, pick] of cases) {
      const all = await judgedAll(workspace.id, pick);
      expect(all.length).toBeGreaterThan(0);
      for (const page of [0, 1, 5]) {
        const { connections, counts } = await listPage(deps(), workspace, filter, { limit: 20, offset: page * 20 });
        expect(connections.map((c) => c.id)).toEqual(all.slice(page * 20, page * 20 + 20).map(({ c }) => c.id));
        expect(countsOf(counts)).toEqual(byHealth(all));
      }
    }
    // Every health shows up, so the order and counts were tested on each.
    expect(Object.keys(byHealth(await judgedAll(workspace.id))).sort()).toEqual(['at_risk', 'attention', 'critical', 'disconnected', 'ok']);
  });

  it("App Home's lists and counts match judging every channel in use", async () => {
    const workspace = await seeded(300);
    const horizon = addDays(TODAY, 30);
    const all = await judgedAll(workspace.id, (c) => c.retiredAt === null);
    const overdue = all.filter(({ s }) => s.overdue !== null);
    const soon = all.filter(
      ({ s }) => s.overdue === null && ((s.nextDeadline !== null && s.nextDeadline.date <= horizon) || s.findings.some((f) => f.dueAt <= horizon)),
    );
    const mine = all.filter(({ c }) => c.ownerId === 'UBACKUP1' || c.backups.some((b) => b.userId === 'UBACKUP1'));
    const lists = await homeLists(deps(), workspace, 'UBACKUP1', 30, 15);
    expect(lists.overdue.map((c) => c.id)).toEqual(overdue.slice(0, 15).map(({ c }) => c.id));
    expect(lists.soon.map((c) => c.id)).toEqual(soon.slice(0, 15).map(({ c }) => c.id));
    expect(lists.mine.map((c) => c.id)).toEqual(mine.slice(0, 15).map(({ c }) => c.id));
    const sum = (key: 'count' | 'overdue' | 'soon' | 'mine') => lists.counts.reduce((n, c) => n + c[key], 0);
    expect([sum('count'), sum('overdue'), sum('soon'), sum('mine')]).toEqual([all.length, overdue.length, soon.length, mine.length]);
    expect(soon.length).toBeGreaterThan(15);
    expect(overdue.length).toBeGreaterThan(15);
    expect(countsOf(lists.counts)).toEqual(byHealth(all));
    for (const tool of [null, ...TOOLS]) {
      const stored = lists.counts.filter((c) => c.tool === tool).reduce((n, c) => n + c.count, 0);
      expect(stored).toBe(all.filter(({ c }) => c.tool === tool).length);
    }
  });

  it('reads only a page of channels once their health is stored', async () => {
    const workspace = await seeded(120);
    await listPage(deps(), workspace, { retired: false }, { limit: 20, offset: 0 });
    const list = jest.spyOn(store().connections, 'list');
    try {
      await listPage(deps(), workspace, { retired: false }, { limit: 20, offset: 40 });
      await homeLists(deps(), workspace, 'UOWNER1', 30, 15);
      const read = await Promise.all(list.mock.results.map((r) => r.value as Promise<Connection[]>));
      expect(list.mock.calls.length).toBe(4);
      for (const [i, [, filter]] of list.mock.calls.entries()) {
        expect(filter?.ids?.length).toBeLessThanOrEqual(20);
        expect(read[i]!.length).toBeLessThanOrEqual(20);
      }
    } finally {
      list.mockRestore();
    }
  });

  it('lists asked for while the day is being judged wait for that judging instead of judging every channel again', async () => {
    const workspace = await seeded(120);
    const judging = new JudgingQueue();
    const saved = jest.spyOn(store().health, 'save');
    try {
      // Three people open their lists at once on a new day: every channel is stale for the first.
      const pages = await Promise.all([0, 1, 2].map(() => listPage({ ...deps(), judging }, workspace, { retired: false }, { limit: 20, offset: 0 })));
      const judged = saved.mock.calls.reduce((n, [records]) => n + records.length, 0);
      expect(judged).toBe(120);
      expect(pages[1]!.connections.map((c) => c.id)).toEqual(pages[0]!.connections.map((c) => c.id));
      expect(pages[2]!.counts).toEqual(pages[0]!.counts);
      // Without the queue, the same three requests each judge the whole workspace.
      saved.mockClear();
      await Promise.all([0, 1, 2].map(() => listPage(deps(new Date('2026-06-16T12:00:00Z')), workspace, { retired: false }, { limit: 20, offset: 0 })));
      expect(saved.mock.calls.reduce((n, [records]) => n + records.length, 0)).toBe(360);
    } finally {
      saved.mockRestore();
    }
  });

  it('a change made during a judging is judged by the next list, not hidden behind the judging in flight', async () => {
    const workspace = await seeded(30);
    const judging = new JudgingQueue();
    const first = listPage({ ...deps(), judging }, workspace, { retired: false }, { limit: 50, offset: 0 });
    const target = (await store().connections.list(workspace.id, { includeArchived: false })).find((c) => c.retiredAt === null && c.status === 'connected');
    await store().connections.change(workspace.id, target!.id, { status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: TODAY });
    const second = await listPage({ ...deps(), judging }, workspace, { retired: false }, { limit: 50, offset: 0 });
    await first;
    expect(second.connections.find((c) => c.id === target!.id)?.status).toBe('disconnected');
    const { summary } = (await judgedAll(workspace.id)).map(({ c, s }) => ({ c, summary: s })).find(({ c }) => c.id === target!.id)!;
    expect(summary.health).toBe('disconnected');
    expect(countsOf(second.counts)).toEqual(byHealth(await judgedAll(workspace.id, (c) => c.retiredAt === null)));
  });

  it('judges a channel again when its data, its backups, its owner, the policy or the day change', async () => {
    const id = await newWorkspace(store());
    const fresh = await store().connections.create(
      id,
      { network: 'linkedin', kind: 'company_page', name: 'Fresh', ownerId: 'UOWNER1', connectedAt: '2026-06-01', backups: ['UB1'] },
      'U1',
    );
    let workspace = await store().workspaces.getById(id);
    const healthOf = async (now = NOW) => (await listPage(deps(now), workspace, { retired: false }, { limit: 20, offset: 0 })).counts.map((c) => c.health);

    expect(await healthOf()).toEqual(['ok']);
    await store().connections.removeBackup(id, fresh.id, 'UB1');
    expect(await healthOf()).toEqual(['attention']); // no backup
    await store().connections.addBackup(id, fresh.id, 'UB2', 'U1', NOW);
    expect(await healthOf()).toEqual(['ok']);
    await store().members.upsert(id, 'UOWNER1', { active: false });
    expect(await healthOf()).not.toEqual(['ok']); // owner gone
    await store().members.upsert(id, 'UOWNER1', { active: true });
    expect(await healthOf()).toEqual(['ok']);
    // 59 days later the owner is about to pass the 60-day inactivity limit.
    expect(await healthOf(new Date('2026-07-30T12:00:00Z'))).not.toEqual(['ok']);
    await store().connections.change(id, fresh.id, { status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: '2026-06-10' });
    expect(await healthOf()).toEqual(['disconnected']);
    await store().connections.change(id, fresh.id, { status: 'connected', disconnectReason: null, disconnectedAt: null });
    expect(await healthOf()).toEqual(['ok']);
    // A policy that lets an owner be inactive for 10 days only: 14 days since connecting is past it.
    workspace = await store().workspaces.updateSettings(id, { policyOverrides: { networks: { linkedin: { inactivityWarnDays: 10 } } } });
    expect(await healthOf()).not.toEqual(['ok']);
  });
});
