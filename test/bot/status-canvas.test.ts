/**
 * The status canvas in the alert channel: made once when the workspace is first served, edited
 * after a change (at most once a minute), never made twice: not after a restart, not by two
 * replicas on one database. A plan without channel canvases gets the admins one note.
 */
import { createApp, EVENTS_PATH, type ChannelKeeperApp } from '../../src/bot/app';
import type { Config } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { openStore, type Store } from '../../src/store/store';
import { describeEachDatabase } from '../support/databases';
import { FakeSlack } from '../support/fake-slack';
import { NOW, SIGNING_SECRET, signatureOf } from './support/slack-harness';
import { addChannel, ADMIN, LEAD, newTeam, OWNER } from './support/team';
import { uniqueId } from '../support/databases';

/** One replica: the real app over HTTP with the canvas kept, on `store`, talking to `fake`. */
class Replica {
  private constructor(
    readonly bot: ChannelKeeperApp,
    private readonly baseUrl: string,
  ) {}

  static async start(store: Store, fake: FakeSlack, now: () => Date, holder: string): Promise<Replica> {
    const config: Config = {
      database: store.target,
      slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, appToken: null, socketMode: false, apiUrl: fake.apiUrl },
      alertChannel: null,
      port: 0,
      logLevel: 'silent',
    };
    // No settling delay: a change is looked at as soon as its request is handled.
    const bot = createApp({ config, store, logger: silentLogger, now, statusCanvas: { holder, settleMs: 0 } });
    const port = await bot.start(0);
    return new Replica(bot, `http://127.0.0.1:${port}`);
  }

  get keeper() {
    return this.bot.statusCanvas!;
  }

  /** `/channels <text>`, signed as Slack signs it. */
  async command(team: string, user: string, text: string, fake: FakeSlack): Promise<void> {
    const body = new URLSearchParams({
      team_id: team,
      user_id: user,
      command: '/channels',
      text,
      channel_id: 'CWORK',
      response_url: fake.responseUrl(),
      trigger_id: `t-${uniqueId('')}`,
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${this.baseUrl}${EVENTS_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signatureOf(SIGNING_SECRET, timestamp, body),
      },
      body,
    });
    expect(response.status).toBe(200);
  }

  stop(): Promise<void> {
    return this.bot.stop();
  }
}

async function until<T>(find: () => T | undefined | null | false | Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeEachDatabase('the status canvas', (db) => {
  const store = () => db().store;
  let fake: FakeSlack;
  let clock: Date;
  /** Each test's own alert channel: the fake keeps canvases between tests. */
  let ALERTS: string;
  const now = () => clock;
  const replicas: Replica[] = [];
  const extraStores: Store[] = [];

  beforeAll(async () => {
    fake = await new FakeSlack().start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    clock = NOW;
    ALERTS = uniqueId('C');
    fake.reset();
  });
  afterEach(async () => {
    for (const replica of replicas.splice(0)) await replica.stop();
    for (const s of extraStores.splice(0)) await s.close();
  });

  async function replica(on: Store = store(), holder = uniqueId('replica-')): Promise<Replica> {
    const started = await Replica.start(on, fake, now, holder);
    replicas.push(started);
    return started;
  }

  /** A team whose alert channel is chosen, with one channel whose refresh is overdue. */
  async function team(): Promise<string> {
    const id = await newTeam(store());
    await store().workspaces.updateSettings(id, { alertChannel: ALERTS });
    await addChannel(store(), id, { name: 'Acme', connectedAt: '2025-08-01' });
    return id;
  }

  const canvasIn = (channel: string) => fake.canvasesIn(channel);

  it('is made once, with the status, after the first request, then edited after a refresh', async () => {
    const id = await team();
    const a = await replica();
    await a.command(id, OWNER, 'status', fake);
    const [canvas] = await until(() => (canvasIn(ALERTS).length ? canvasIn(ALERTS) : null));
    expect(canvas!.title).toBe('Channel Keeper status');
    expect(canvas!.markdown).toContain('# Channel Keeper status');
    expect(canvas!.markdown).toContain('## Health');
    expect(canvas!.markdown).toContain('## Needs action, by owner');
    expect(canvas!.markdown).toContain(`### ![](@${OWNER})`);
    expect(canvas!.markdown).toContain('**Acme**');
    expect(canvas!.markdown).toContain('## Deadlines in the next 30 days');
    // No sources wired in: no sources part.
    expect(canvas!.markdown).not.toContain('## Sources');
    const row = await until(async () => {
      const r = await store().statusCanvases.find(id);
      return r?.state === 'ready' && r.claimedBy === null && r;
    });
    expect(row.canvasId).toBe(canvas!.id);
    expect(Object.keys(row.sectionIds).sort()).toEqual(['action', 'deadlines', 'health', 'title']);
    const before = canvas!.markdown;

    // A minute later, a refresh changes what the canvas shows: it is edited in place.
    clock = new Date(NOW.getTime() + 61_000);
    await a.command(id, OWNER, 'refresh Acme', fake);
    await until(() => canvas!.edits === 1);
    expect(canvas!.markdown).not.toEqual(before);
    expect(canvasIn(ALERTS)).toHaveLength(1);
    expect(fake.callsTo('conversations.canvases.create')).toHaveLength(1);
  });

  it('is edited at most once a minute: a change within the minute waits for its end', async () => {
    const id = await team();
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'created' });
    await addChannel(store(), id, { name: 'Beta', connectedAt: '2025-08-01' });
    clock = new Date(NOW.getTime() + 30_000);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'later', at: new Date(NOW.getTime() + 60_000) });
    expect(canvasIn(ALERTS)[0]!.edits).toBe(0);
    clock = new Date(NOW.getTime() + 60_000);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'edited' });
    expect(canvasIn(ALERTS)[0]!.markdown).toContain('**Beta**');
    // Nothing changed since: nothing is written.
    clock = new Date(NOW.getTime() + 200_000);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'unchanged' });
    expect(canvasIn(ALERTS)[0]!.edits).toBe(1);
  });

  it('is not made again after a restart: the new process edits the same canvas', async () => {
    const id = await team();
    const first = await replica();
    expect(await first.keeper.refresh(id)).toEqual({ outcome: 'created' });
    await first.stop();
    replicas.splice(replicas.indexOf(first), 1);

    const second = await replica();
    await addChannel(store(), id, { name: 'Beta', connectedAt: '2025-08-01' });
    clock = new Date(NOW.getTime() + 61_000);
    expect(await second.keeper.refresh(id)).toEqual({ outcome: 'edited' });
    expect(canvasIn(ALERTS)).toHaveLength(1);
    expect(fake.callsTo('conversations.canvases.create')).toHaveLength(1);
  });

  it('is made once by two replicas on one database asking at the same moment', async () => {
    const id = await team();
    const other = openStore(db().target);
    extraStores.push(other);
    const [a, b] = [await replica(store(), 'replica-a'), await replica(other, 'replica-b')];
    // Twice each: a replica has one look in flight at a time, and the two replicas one claim between them.
    const [a1, b1, a2, b2] = await Promise.all([a.keeper.refresh(id), b.keeper.refresh(id), a.keeper.refresh(id), b.keeper.refresh(id)]);
    expect([a2, b2]).toEqual([a1, b1]);
    expect([a1!.outcome, b1!.outcome].sort()).toEqual(['created', 'later']);
    expect(canvasIn(ALERTS)).toHaveLength(1);
    expect(fake.callsTo('conversations.canvases.create')).toHaveLength(1);
    // Both replicas then edit that canvas, never another.
    await addChannel(store(), id, { name: 'Beta', connectedAt: '2025-08-01' });
    clock = new Date(NOW.getTime() + 61_000);
    expect(await b.keeper.refresh(id)).toEqual({ outcome: 'edited' });
    expect(canvasIn(ALERTS)).toHaveLength(1);
  });

  it("finds the channel's canvas it made before (the database lost it) and uses it", async () => {
    const id = await team();
    const earlier = fake.addCanvas(ALERTS, 'Channel Keeper status', '# Channel Keeper status\n\nold\n');
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'adopted' });
    expect(canvasIn(ALERTS)).toEqual([earlier]);
    expect(earlier.markdown).toContain('**Acme**');
    expect((await store().statusCanvases.find(id))?.canvasId).toBe(earlier.id);
  });

  it('never writes over a canvas the team wrote: the admins get one note and the bot carries on', async () => {
    const id = await team();
    const theirs = fake.addCanvas(ALERTS, 'Team notes', '# Our notes\n\nDo not touch.\n');
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'unavailable', code: 'channel_canvas_not_ours' });
    expect(theirs.markdown).toBe('# Our notes\n\nDo not touch.\n');
    const notes = fake.callsTo('chat.postMessage');
    expect(notes.map((c) => c.body.channel)).toEqual([ADMIN]);
    expect(String(notes[0]!.body.text)).toContain('already has a canvas the team wrote');
  });

  it('on a plan without channel canvases, tells the admins once, tries no more, and tries again once settings are saved', async () => {
    const id = await team();
    fake.fail('conversations.canvases.create', { error: 'team_tier_cannot_create_channel_canvases' });
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'unavailable', code: 'team_tier_cannot_create_channel_canvases' });
    const notes = fake.callsTo('chat.postMessage');
    expect(notes.map((c) => c.body.channel)).toEqual([ADMIN]);
    expect(String(notes[0]!.body.text)).toContain('channel canvases need a paid plan');
    expect(String(notes[0]!.body.text)).toContain('`team_tier_cannot_create_channel_canvases`');

    // Later changes: no second attempt, no second note; a status command still answers.
    await a.command(id, LEAD, 'status', fake);
    await until(() => fake.callsTo('response_url').length === 1);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'unavailable', code: 'team_tier_cannot_create_channel_canvases' });
    expect(fake.callsTo('conversations.canvases.create')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    // The plan was upgraded and an admin saved the settings: it is made.
    const { changeSettings } = await import('../../src/services/workspace');
    const workspace = await store().workspaces.getById(id);
    await changeSettings({ store: store(), now }, { workspace, actor: { userId: ADMIN, role: 'admin' } }, {});
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'created' });
  });

  it('is not kept when the workspace turned it off', async () => {
    const id = await team();
    await store().workspaces.updateSettings(id, { statusCanvas: false });
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'off' });
    expect(fake.callsTo('conversations.canvases.create')).toHaveLength(0);
  });

  it('goes with its workspace when the workspace is purged, and is not kept while uninstalled', async () => {
    const id = await team();
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'created' });
    await store().workspaces.setUninstalled(id, NOW);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'off' });
    expect(await store().workspaces.purgeUninstalled(new Date(NOW.getTime() + 1))).toContain(id);
    expect(await store().statusCanvases.find(id)).toBeNull();
  });

  it('is made again when someone deleted it', async () => {
    const id = await team();
    const a = await replica();
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'created' });
    fake.canvases.clear();
    await addChannel(store(), id, { name: 'Beta', connectedAt: '2025-08-01' });
    clock = new Date(NOW.getTime() + 61_000);
    expect(await a.keeper.refresh(id)).toEqual({ outcome: 'created' });
    expect(canvasIn(ALERTS)).toHaveLength(1);
  });
});
