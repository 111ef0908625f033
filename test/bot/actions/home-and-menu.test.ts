/** App Home buttons and a digest item's overflow menu. */
import { ACTION, VIEW } from '../../../src/bot/interactions';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { blockActions } from '../support/payloads';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, ADMIN, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('Home buttons and item menus', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it('"Settings" on Home opens the settings modal for an admin', async () => {
    const team = await newTeam(store());
    await slack().interaction(blockActions({ team, user: ADMIN, actionId: ACTION.openSettings, value: 'home', responseUrl: '' }));
    const open = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.open'));
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEW.settings);
  });

  it('"Add a channel" on Home, pressed by a member, opens a notice saying who may', async () => {
    const team = await newTeam(store());
    await slack().interaction(blockActions({ team, user: MEMBER, actionId: ACTION.openAddChannel, value: 'home', responseUrl: '' }));
    const open = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.open'));
    expect(JSON.stringify(open.body.view)).toContain('Only team leaders and admins may add channels');
    expect((open.body.view as { callback_id?: string }).callback_id).toBeUndefined();
  });

  it('a digest item menu "refresh" records the refresh and updates the digest in place', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const [w] = await store().warnings.upsertMany([newWarning(team, c.id)]);
    const blocks = [
      { type: 'section' as const, block_id: 'item_1', text: { type: 'mrkdwn' as const, text: 'Acme: expires soon' }, accessory: { type: 'overflow' as const, action_id: ACTION.itemMenu, options: [{ text: { type: 'plain_text' as const, text: 'Mark refreshed' }, value: '{}' }] } },
      { type: 'section' as const, block_id: 'item_2', text: { type: 'mrkdwn' as const, text: 'Other: expires soon' } },
    ];
    await slack().interaction(
      blockActions({
        team, user: OWNER, actionId: ACTION.itemMenu, value: '', type: 'overflow', blockId: 'item_1', responseUrl: slack().fake.responseUrl(),
        selectedOption: JSON.stringify({ connectionId: c.id, warningIds: [w!.id], do: 'refresh' }),
        message: { channel: 'CALERTS', ts: '1700000000.000300', blocks },
      }),
    );
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    const updated = JSON.stringify(update.body.blocks);
    expect(updated).toContain('Other: expires soon');
    const acted = (update.body.blocks as { block_id?: string; accessory?: unknown; type: string }[]);
    expect(acted.map((b) => b.type)).toEqual(['section', 'context', 'section']);
    expect(acted[0]!.accessory).toBeUndefined();
    expect(updated).toContain('Acme: expires soon');
    expect(updated).toContain(`refreshed on ${TODAY}`);
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe(TODAY);
  });
});
