/**
 * Buttons work the same from the `show` card (ephemeral: replaced through response_url) and from a
 * warning message in a channel (updated in place with chat.update, saying who did what).
 */
import type { KnownBlock } from '@slack/types';
import { ACTION, VIEW } from '../../../src/bot/interactions';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { checkModalLimits } from '../support/block-kit-limits';
import { blockActions, fieldValue, viewSubmission } from '../support/payloads';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, BACKUP, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

/** A warning message as delivery posts it: text, then the buttons (block `w1_actions`). */
function warningMessage(connectionId: number, warningIds: number[]): KnownBlock[] {
  const value = JSON.stringify({ connectionId, warningIds });
  return [
    { type: 'section', block_id: 'w1_text', text: { type: 'mrkdwn', text: 'Acme: token expires in 5 days' } },
    {
      type: 'actions',
      block_id: 'w1_actions',
      elements: [
        { type: 'button', action_id: ACTION.markRefreshed, text: { type: 'plain_text', text: 'Mark refreshed' }, value },
        { type: 'button', action_id: ACTION.addBackup, text: { type: 'plain_text', text: 'Add backup' }, value },
      ],
    },
  ];
}

describeEachDatabase('buttons', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  const press = (team: string, user: string, actionId: string, value: unknown, message?: { blocks: KnownBlock[] }) =>
    slack().interaction(
      blockActions({
        team, user, actionId, value: JSON.stringify(value), responseUrl: slack().fake.responseUrl(),
        ...(message ? { blockId: 'w1_actions', message: { channel: 'CALERTS', ts: '1700000000.000100', blocks: message.blocks } } : {}),
      }),
    );

  it('"Mark refreshed" on a warning message: records it, resolves the warning, updates the message in place', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const [warning] = await store().warnings.upsertMany([newWarning(team, c.id)]);
    const answer = await press(team, BACKUP, ACTION.markRefreshed, { connectionId: c.id, warningIds: [warning!.id] }, { blocks: warningMessage(c.id, [warning!.id]) });
    expect(answer.status).toBe(200);
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(update.body.channel).toBe('CALERTS');
    expect(update.body.ts).toBe('1700000000.000100');
    const blocks = update.body.blocks as KnownBlock[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(JSON.stringify(blocks)).toContain(`<@${BACKUP}> marked *Acme* refreshed on ${TODAY}`);
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe(TODAY);
    expect((await store().warnings.findById(team, warning!.id))?.state).toBe('resolved');
  });

  it('"I was active" on the show card replaces the card with a fresh one carrying the note', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, OWNER, ACTION.iWasActive, { connectionId: c.id });
    const reply = await slack().response();
    expect(reply.replace_original).toBe(true);
    expect(SlackHarness.textOf(reply)).toContain('recorded the owner of *Acme* active on');
    expect(SlackHarness.textOf(reply)).toContain('Acme (LinkedIn)');
    expect((await store().connections.getById(team, c.id)).ownerLastActiveAt).toBe(TODAY);
  });

  it('a refused press answers only the presser and leaves the message and the channel alone', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, MEMBER, ACTION.markRefreshed, { connectionId: c.id }, { blocks: warningMessage(c.id, []) });
    const reply = await slack().response();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    expect(reply.text).toContain("Only the channel's owner");
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
  });

  it('a button naming a channel of another workspace finds nothing', async () => {
    const team = await newTeam(store());
    const other = await newTeam(store());
    const c = await addChannel(store(), other, { name: 'Theirs' });
    await press(team, LEAD, ACTION.markRefreshed, { connectionId: c.id });
    expect((await slack().response()).text).toContain('That channel was removed');
    expect((await store().connections.getById(other, c.id)).lastRefreshedAt).toBeNull();
  });

  it('a button with a value that is not ours is refused politely', async () => {
    const team = await newTeam(store());
    await press(team, LEAD, ACTION.markRefreshed, 'garbage');
    expect((await slack().response()).text).toContain('does not name a channel');
  });

  it('"Add backup" opens a modal remembering the message; its submission adds the backup and updates the message', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme', backups: [] });
    await press(team, OWNER, ACTION.addBackup, { connectionId: c.id }, { blocks: warningMessage(c.id, []) });
    const open = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.addBackup);
    expect(checkModalLimits(open.body.view as Record<string, unknown>)).toEqual([]);
    const answer = await slack().interaction(viewSubmission(team, OWNER, VIEW.addBackup, fieldValue('person', { type: 'users_select', selected_user: 'UNEW1' }), view.private_metadata));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(JSON.stringify(update.body.blocks)).toContain('added <@UNEW1> as a backup admin');
    expect((await store().connections.getById(team, c.id)).backups.map((b) => b.userId)).toEqual(['UNEW1']);
  });

  it('"Reassign owner" is refused to members before any modal opens', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, OWNER, ACTION.reassignOwner, { connectionId: c.id });
    expect((await slack().response()).text).toContain('Only team leaders and admins may reassign an owner');
    expect(slack().fake.callsTo('views.open')).toHaveLength(0);
  });

  it('"Mark disconnected" opens the reason modal; "Mark reconnected" reconnects', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, LEAD, ACTION.markDisconnected, { connectionId: c.id });
    const open = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEW.markDisconnected);
    await store().connections.markDisconnected(team, c.id, 'unknown', TODAY, LEAD, new Date());
    slack().fake.reset();
    await press(team, LEAD, ACTION.markReconnected, { connectionId: c.id });
    expect(SlackHarness.textOf(await slack().response())).toContain('reconnected');
    expect((await store().connections.getById(team, c.id)).status).toBe('connected');
  });

  it('"View history" shows the trail to the presser without touching the message', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, MEMBER, ACTION.viewHistory, { connectionId: c.id }, { blocks: warningMessage(c.id, []) });
    const reply = await slack().response();
    expect(reply.replace_original).toBe(false);
    expect(SlackHarness.textOf(reply)).toContain('connection.add');
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
  });

  it('"Snooze" from a warning select snoozes the named warnings', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const [w] = await store().warnings.upsertMany([newWarning(team, c.id)]);
    await slack().interaction(
      blockActions({
        team, user: OWNER, actionId: ACTION.snooze, value: '', blockId: 'w1_actions', responseUrl: slack().fake.responseUrl(),
        selectedOption: JSON.stringify({ connectionId: c.id, warningIds: [w!.id], snooze: '7d' }),
        message: { channel: 'CALERTS', ts: '1700000000.000200', blocks: warningMessage(c.id, [w!.id]) },
      }),
    );
    await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect((await store().warnings.findById(team, w!.id))?.state).toBe('snoozed');
  });

  it('"Cancel" on the remove question deletes the question', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await press(team, OWNER, ACTION.cancel, { connectionId: c.id });
    expect((await slack().response()).delete_original).toBe(true);
    expect(await store().connections.findById(team, c.id)).not.toBeNull();
  });
});
