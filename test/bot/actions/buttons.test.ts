/**
 * Every press sends what a builder produced (a warning message, a `show` card, the remove question).
 * Buttons work the same from the `show` card (ephemeral: replaced through response_url) and from a
 * warning message in a channel (updated in place with chat.update, saying who did what).
 */
import type { KnownBlock } from '@slack/types';
import { buildWarningMessage } from '../../../src/bot/blocks/warning-message';
import type { WarningItem } from '../../../src/outbox/warning-item';
import { ACTION, VIEW } from '../../../src/bot/interactions';
import type { Connection, FindingKind } from '../../../src/domain';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { checkModalLimits } from '../support/block-kit-limits';
import { blockActions, fieldValue, viewSubmission } from '../support/payloads';
import { NOW, SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, ADMIN, BACKUP, LEAD, MEMBER, newTeam, OWNER } from '../support/team';
import { writeDisconnected } from '../../../src/services/channels';

type Element = { type: string; action_id?: string; value?: string; options?: { text: { text: string }; value: string }[] };
type Block = KnownBlock & { block_id?: string; elements?: Element[] };

/** The block and element with this action id in built blocks (what the user sees and presses). */
function find(blocks: readonly KnownBlock[], actionId: string): { blockId: string; element: Element } {
  for (const block of blocks as Block[]) {
    const element = block.elements?.find((e) => e.action_id === actionId);
    if (element) return { blockId: block.block_id!, element };
  }
  throw new Error(`no ${actionId} in the blocks`);
}

describeEachDatabase('buttons', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  let postedCount = 100;

  /** A warning message as delivery posts it, built by the same builder, about a stored warning. */
  async function postedWarning(
    team: string,
    c: Connection,
    kind: FindingKind = 'expiry',
    stage = '7d',
    ts = `1700000000.${String(++postedCount).padStart(6, '0')}`,
  ) {
    const [made] = await store().warnings.upsertMany([newWarning(team, c.id, { kind, stage, severity: 'at_risk', dueAt: '2026-06-20' })]);
    const warning = (await store().warnings.findById(team, made!.id))!;
    const item: WarningItem = {
      connection: c,
      warning,
      finding: { kind, stage, severity: warning.severity, dueAt: warning.dueAt, message: `${c.name}: token expires in 5 days`, advice: 'Refresh it.' },
    };
    // Stored as the delivery stores what it posts: a press updates only messages the bot knows.
    await store().postedMessages.recordMessage({ workspaceId: team, channel: 'CALERTS', ts, kind: 'alert', warnings: [{ id: warning.id, state: 'posted' }] });
    return { warning, ts, blocks: buildWarningMessage(item).blocks };
  }

  /** Presses the element with `actionId` on a channel message (a warning), as Slack sends it. */
  const pressOnMessage = (team: string, user: string, actionId: string, blocks: KnownBlock[], ts = '1700000000.000100') => {
    const { blockId, element } = find(blocks, actionId);
    return slack().interaction(
      blockActions({
        team,
        user,
        actionId,
        value: element.value!,
        blockId,
        responseUrl: slack().fake.responseUrl(),
        message: { channel: 'CALERTS', ts, blocks },
      }),
    );
  };

  /** The ephemeral blocks a command answers with (a `show` card, the remove question), its call log then cleared. */
  async function answerTo(team: string, user: string, text: string): Promise<KnownBlock[]> {
    slack().fake.reset();
    await slack().command(team, user, text);
    const reply = await slack().response();
    slack().fake.reset();
    return reply.blocks!;
  }

  /** Presses a button on an ephemeral answer (a card), as Slack sends it. */
  const pressOnCard = (team: string, user: string, actionId: string, blocks: KnownBlock[]) => {
    const { blockId, element } = find(blocks, actionId);
    return slack().interaction(blockActions({ team, user, actionId, value: element.value!, blockId, responseUrl: slack().fake.responseUrl() }));
  };

  it('"Mark refreshed" on a warning message: records it, resolves the warning, updates the message in place', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, blocks: posted, ts } = await postedWarning(team, c);
    const answer = await pressOnMessage(team, BACKUP, ACTION.markRefreshed, posted, ts);
    expect(answer.status).toBe(200);
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(update.body.channel).toBe('CALERTS');
    expect(update.body.ts).toBe(ts);
    const blocks = update.body.blocks as KnownBlock[];
    // The pressed actions block became the note; the rest of the message stays.
    expect(blocks.map((b) => b.type)).toEqual(posted.map((b) => (b.type === 'actions' ? 'context' : b.type)));
    expect(JSON.stringify(blocks)).toContain(`<@${BACKUP}> marked *Acme* refreshed on ${TODAY}`);
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe(TODAY);
    expect((await store().warnings.findById(team, warning.id))?.state).toBe('resolved');
  });

  it('"I was active" on the show card replaces the card with a fresh one carrying the note', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    const c = (await store().connections.findByName(team, 'Acme'))[0]!;
    await pressOnCard(team, OWNER, ACTION.iWasActive, await answerTo(team, OWNER, 'show Acme'));
    const reply = await slack().response();
    expect(reply.replace_original).toBe(true);
    expect(SlackHarness.textOf(reply)).toContain('recorded the owner of *Acme* active on');
    expect(SlackHarness.textOf(reply)).toContain('Acme (LinkedIn)');
    expect((await store().connections.getById(team, c.id)).ownerLastActiveAt).toBe(TODAY);
  });

  it('a refused press answers only the presser and leaves the message and the channel alone', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { blocks } = await postedWarning(team, c);
    await pressOnMessage(team, MEMBER, ACTION.markRefreshed, blocks);
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
    // A card from the other workspace, pressed by someone of this one (a forwarded or forged payload).
    await pressOnCard(team, LEAD, ACTION.markRefreshed, await answerTo(other, LEAD, 'show Theirs'));
    expect((await slack().response()).text).toContain('That channel was removed');
    expect((await store().connections.getById(other, c.id)).lastRefreshedAt).toBeNull();
  });

  it('a button with a value that is not ours is refused politely', async () => {
    const team = await newTeam(store());
    await slack().interaction(blockActions({ team, user: LEAD, actionId: ACTION.markRefreshed, value: 'garbage', responseUrl: slack().fake.responseUrl() }));
    expect((await slack().response()).text).toContain('does not name a channel');
  });

  it('"Add backup" opens a modal remembering the message; its submission adds the backup and updates the message', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme', backups: [] });
    const { blocks, ts } = await postedWarning(team, c, 'no_backup', 'no_backup');
    await pressOnMessage(team, OWNER, ACTION.addBackup, blocks, ts);
    const open = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(VIEW.addBackup);
    expect(checkModalLimits(open.body.view as Record<string, unknown>)).toEqual([]);
    const answer = await slack().interaction(
      viewSubmission(team, OWNER, VIEW.addBackup, fieldValue('person', { type: 'users_select', selected_user: 'UNEW1' }), view.private_metadata),
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(JSON.stringify(update.body.blocks)).toContain('added <@UNEW1> as a backup admin');
    expect((await store().connections.getById(team, c.id)).backups.map((b) => b.userId)).toEqual(['UNEW1']);
  });

  it('"Reassign owner" is refused to members before any modal opens', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    await pressOnCard(team, OWNER, ACTION.reassignOwner, await answerTo(team, OWNER, 'show Acme'));
    expect((await slack().response()).text).toContain('Only team leaders and admins may reassign an owner');
    expect(slack().fake.callsTo('views.open')).toHaveLength(0);
  });

  it('"Mark disconnected" opens the reason modal; "Mark reconnected" reconnects', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await pressOnCard(team, LEAD, ACTION.markDisconnected, await answerTo(team, LEAD, 'show Acme'));
    const open = await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'));
    expect((open.body.view as { callback_id: string }).callback_id).toBe(VIEW.markDisconnected);
    await writeDisconnected(store(), { workspaceId: team, connectionId: c.id, actorId: LEAD, at: new Date() }, 'unknown', TODAY);
    await pressOnCard(team, LEAD, ACTION.markReconnected, await answerTo(team, LEAD, 'show Acme'));
    expect(SlackHarness.textOf(await slack().response())).toContain('reconnected');
    expect((await store().connections.getById(team, c.id)).status).toBe('connected');
  });

  it('"View history" shows the trail to the presser without touching the message', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { blocks } = await postedWarning(team, c);
    await pressOnMessage(team, MEMBER, ACTION.viewHistory, blocks);
    const reply = await slack().response();
    expect(reply.replace_original).toBe(false);
    expect(SlackHarness.textOf(reply)).toContain('*added*');
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
  });

  it('"Snooze" from a warning select snoozes the named warnings', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, blocks } = await postedWarning(team, c, 'expiry', '7d', '1700000000.000200');
    const { blockId, element } = find(blocks, ACTION.snooze);
    const sevenDays = element.options!.find((o) => o.text.text === 'Snooze 7 days')!;
    await slack().interaction(
      blockActions({
        team,
        user: OWNER,
        actionId: ACTION.snooze,
        value: '',
        blockId,
        responseUrl: slack().fake.responseUrl(),
        selectedOption: sevenDays.value,
        message: { channel: 'CALERTS', ts: '1700000000.000200', blocks },
      }),
    );
    await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    const snoozed = await store().warnings.findById(team, warning.id);
    expect(snoozed?.state).toBe('snoozed');
    expect(snoozed?.snoozedUntil?.toISOString()).toBe(new Date(NOW.getTime() + 7 * 86_400_000).toISOString());
  });

  it('"Remove" on the remove question removes the channel; "Cancel" deletes the question', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    await pressOnCard(team, ADMIN, ACTION.cancel, await answerTo(team, ADMIN, 'remove Acme'));
    expect((await slack().response()).delete_original).toBe(true);
    expect(await store().connections.findById(team, c.id)).not.toBeNull();
    await pressOnCard(team, ADMIN, ACTION.confirmRemove, await answerTo(team, ADMIN, 'remove Acme'));
    expect((await slack().response()).text).toContain(`<@${ADMIN}> removed *Acme*`);
    expect(await store().connections.findById(team, c.id)).toBeNull();
  });
});
