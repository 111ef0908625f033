/**
 * `/channels sources` through signed Slack requests: admins see each source with its last sync,
 * counts and errors and a "Sync now" button, which syncs at once; others are refused.
 */
import { randomBytes } from 'node:crypto';
import { addSource } from '../../../src/services/sources';
import { CLI_ACTOR } from '../../../src/services/permissions';
import type { SyncReport } from '../../../src/services/sync-report';
import { describeEachDatabase } from '../../support/databases';
import { blockActions, viewSubmission } from '../support/payloads';
import { SlackHarness, slackPerSuite, NOW } from '../support/slack-harness';
import { ADMIN, addChannel, MEMBER, newTeam } from '../support/team';

const keys = { current: randomBytes(32) };
const synced: string[] = [];

describeEachDatabase('/channels sources', (db) => {
  const slack = slackPerSuite(db, {
    sourceKeys: keys,
    syncSources: async (workspaceId): Promise<SyncReport> => {
      synced.push(workspaceId);
      await db().store.sources().recordSync(workspaceId, 'buffer', { at: NOW, ok: false, error: 'Buffer refused the credential (401)', needsCredential: true });
      return {
        workspaceId,
        dryRun: false,
        sources: [],
        created: [{ id: 1, name: 'Acme', network: 'x', source: 'buffer', reason: null }],
        disconnected: [],
        reconnected: [],
      };
    },
  });
  const store = () => db().store;

  it('lists each source for an admin with a Sync now button; the button syncs and shows the outcome', async () => {
    const team = await newTeam(store());
    const workspace = (await store().workspaces.findById(team))!;
    await addSource({ store: store(), now: () => NOW }, keys, { workspace, actor: CLI_ACTOR }, { kind: 'buffer', secret: 'k' });
    await store()
      .sources()
      .recordSync(team, 'buffer', { at: new Date('2026-06-15T10:42:00Z'), ok: true, counts: { seen: 3, created: 1, superseded: 0, dated: 2 } });
    await slack().command(team, ADMIN, 'sources');
    const page = await slack().response();
    const text = SlackHarness.textOf(page);
    expect(text).toContain('*Buffer* (`buffer`): synced 15 Jun 2026, 10:42');
    expect(text).toContain('Last sync: 3 seen, 1 created, 2 token dates recorded');
    const button = JSON.stringify(page.blocks).includes('"action_id":"ck_sync_sources"');
    expect(button).toBe(true);

    await slack().interaction(blockActions({ team, user: ADMIN, actionId: 'ck_sync_sources', value: 'sync', responseUrl: slack().fake.responseUrl() }));
    const after = await slack().response(1);
    expect(synced).toContain(team);
    const afterText = SlackHarness.textOf(after);
    expect(afterText).toContain('Synced now: 1 created, 0 disconnected, 0 reconnected');
    expect(afterText).toContain('needs a new credential');
    expect(afterText).toContain('Buffer refused the credential (401)');
  });

  it('a member is refused, and nothing is synced', async () => {
    const team = await newTeam(store());
    await slack().command(team, MEMBER, 'sources');
    expect(SlackHarness.textOf(await slack().response())).toMatch(/admin/i);
    slack().fake.reset();
    await slack().interaction(blockActions({ team, user: MEMBER, actionId: 'ck_sync_sources', value: 'sync', responseUrl: slack().fake.responseUrl() }));
    expect(SlackHarness.textOf(await slack().response())).toMatch(/admin/i);
    expect(synced).not.toContain(team);
  });

  it('a card says where each date comes from: the tool, the observed disconnection with its time, the introspected end, the predicted one', async () => {
    const team = await newTeam(store());
    const held = await addChannel(store(), team, { name: 'Held', lastRefreshedAt: '2026-02-01' });
    await store().sources().observe(team, held.id, { source: 'hootsuite', externalId: '9', observedState: 'ok', observedAt: NOW });
    await slack().command(team, MEMBER, 'show Held');
    const heldCard = SlackHarness.textOf(await slack().response());
    expect(heldCard).toContain(':link: Hootsuite');
    expect(heldCard).toContain('predicted from the refresh on 2026-02-01');

    const down = await addChannel(store(), team, { name: 'Down', network: 'facebook', kind: 'page' });
    const at = new Date('2026-06-15T10:42:00Z');
    await store().sources().observe(team, down.id, {
      source: 'hootsuite',
      observedState: 'disconnected',
      observedReason: 'Hootsuite: reconnect needed',
      observedAt: at,
    });
    slack().fake.reset();
    await slack().command(team, MEMBER, 'show Down');
    const downCard = SlackHarness.textOf(await slack().response());
    expect(downCard).toContain(`Hootsuite: reconnect needed (<!date^${at.getTime() / 1000}^`);

    // A Page whose token the team's Meta app introspected: the dates Meta said replace the predicted ones.
    const page = await addChannel(store(), team, { name: 'Said', network: 'facebook', kind: 'page', lastRefreshedAt: '2026-06-01' });
    await store().sources(keys).setIntrospectionToken(team, page.id, 'page-token');
    await store().sources().recordTokenDates(team, page.id, { end: '2027-01-03', from: 'meta-app', on: '2026-06-14', dataAccessEnd: '2026-08-30' });
    slack().fake.reset();
    await slack().command(team, MEMBER, 'show Said');
    const saidCard = SlackHarness.textOf(await slack().response());
    expect(saidCard).toContain('Meta: expires 2027-01-03 (said on 2026-06-14)');
    expect(saidCard).toContain('Meta: data access ends 2026-08-30');
    expect(saidCard).toContain('Healthy · token expires on 2027-01-03 · next: data access ends on 2026-08-30');
    expect(saidCard).not.toContain('predicted from');

    // Refreshed after the bot was given the token: the team holds a newer one; the prediction counts again.
    await store().connections.update(team, page.id, { lastRefreshedAt: '2026-06-15' });
    slack().fake.reset();
    await slack().command(team, MEMBER, 'show Said');
    const staleCard = SlackHarness.textOf(await slack().response());
    expect(staleCard).toContain('Meta describes the token given on 2026-06-14, before the refresh on 2026-06-15: give the new one (“Set introspection token”)');
    expect(staleCard).toContain('Token end 2026-08-14: predicted from the refresh on 2026-06-15');
    expect(staleCard).not.toContain('Meta: expires 2027-01-03');
  });

  it("an admin sets a LinkedIn channel's introspection token from its card; it is stored encrypted; others get no button", async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme Page' });
    await slack().command(team, MEMBER, 'show Acme Page');
    expect(JSON.stringify((await slack().response()).blocks)).not.toContain('ck_set_token');
    slack().fake.reset();
    await slack().command(team, ADMIN, 'show Acme Page');
    const card = await slack().response();
    expect(JSON.stringify(card.blocks)).toContain('"action_id":"ck_set_token"');
    await slack().interaction(blockActions({ team, user: ADMIN, actionId: 'ck_set_token', value: String(c.id), responseUrl: slack().fake.responseUrl() }));
    const opened = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('ck_view_set_token');
    const answer = await slack().interaction(
      viewSubmission(
        team,
        ADMIN,
        'ck_view_set_token',
        { introspection_token: { introspection_token: { type: 'plain_text_input', value: 'li-token-123' } } },
        view.private_metadata,
      ),
    );
    expect(answer.status).toBe(200);
    expect(await store().sources(keys).introspectionTokens(team)).toEqual([{ connectionId: c.id, token: 'li-token-123' }]);
    const audit = await store().audit.list(team, { connectionId: c.id });
    expect(audit.map((e) => e.action)).toContain('source.token');
    expect(JSON.stringify(audit)).not.toContain('li-token-123');
  });

  it('the status list carries a source badge: the tool, or what a source observed', async () => {
    const team = await newTeam(store());
    const held = await addChannel(store(), team, { name: 'Held' });
    const down = await addChannel(store(), team, { name: 'Down' });
    await addChannel(store(), team, { name: 'Typed by hand' });
    await store().sources().observe(team, held.id, { source: 'buffer', externalId: 'b1', observedState: 'ok', observedAt: NOW });
    await store().sources().observe(team, down.id, {
      source: 'hootsuite',
      externalId: '7',
      observedState: 'disconnected',
      observedReason: 'Hootsuite: reconnect needed',
      observedAt: NOW,
    });
    await slack().command(team, MEMBER, 'status');
    const lines = ((await slack().response()).blocks as { type: string; text?: { text: string } }[])
      .filter((b) => b.type === 'section')
      .map((b) => b.text!.text);
    expect(lines.find((l) => l.includes('*Held*'))).toContain(':link: Buffer');
    expect(lines.find((l) => l.includes('*Down*'))).toContain(':link: Hootsuite: reconnect needed');
    expect(lines.find((l) => l.includes('*Typed by hand*'))).not.toContain(':link:');
  });

  it("an admin adds Buffer's API key through the form; it is stored encrypted; a key with spaces is refused under its field", async () => {
    const team = await newTeam(store());
    await slack().command(team, ADMIN, 'sources');
    expect(JSON.stringify((await slack().response()).blocks)).toContain('"action_id":"ck_add_buffer"');
    await slack().interaction(blockActions({ team, user: ADMIN, actionId: 'ck_add_buffer', value: 'buffer', responseUrl: slack().fake.responseUrl() }));
    const opened = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    expect((opened.body.view as { callback_id: string }).callback_id).toBe('ck_view_add_buffer');
    const field = (value: string) => ({ buffer_api_key: { buffer_api_key: { type: 'plain_text_input', value } } });
    const refused = await slack().interaction(viewSubmission(team, ADMIN, 'ck_view_add_buffer', field('two words')));
    expect(refused.json).toMatchObject({ response_action: 'errors', errors: { buffer_api_key: expect.stringContaining('one word') } });
    expect(await store().sources().list(team)).toEqual([]);
    await slack().interaction(viewSubmission(team, ADMIN, 'ck_view_add_buffer', field('buf-key-9')));
    const [credential] = await store().sources(keys).credentials(team);
    expect(credential).toMatchObject({ kind: 'buffer', secret: 'buf-key-9' });
    const audit = await store().audit.list(team);
    expect(audit.find((e) => e.action === 'source.add')).toMatchObject({ actorId: ADMIN, details: { source: 'buffer' } });
  });

  it('a member cannot open the Buffer form', async () => {
    const team = await newTeam(store());
    await slack().interaction(blockActions({ team, user: MEMBER, actionId: 'ck_add_buffer', value: 'buffer', responseUrl: slack().fake.responseUrl() }));
    expect(SlackHarness.textOf(await slack().response())).toMatch(/admin/i);
    expect(slack().fake.calls.some((call) => call.method === 'views.open')).toBe(false);
  });
});
