/** App Home buttons, and every option of a digest item's overflow menu pressed exactly as the builder wrote it. */
import type { Overflow, SectionBlock } from '@slack/types';
import { buildDigest } from '../../../src/bot/blocks/digest';
import type { WarningItem } from '../../../src/outbox/warning-item';
import { ACTION, VIEW } from '../../../src/bot/interactions';
import { EXPIRED_STAGE } from '../../../src/rules/finding';
import type { Connection, FindingKind, Warning } from '../../../src/domain';
import type { ConnectionInput } from '../../../src/store/connection-repository';
import { describeEachDatabase, uniqueId } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { blockActions } from '../support/payloads';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, ADMIN, LEAD, MEMBER, newTeam } from '../support/team';

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

  /** Each kind of warning as a digest shows it, with what pressing each option of its menu must do. */
  const SCENARIOS: { kind: FindingKind; stage: string; channel?: Partial<ConnectionInput> }[] = [
    { kind: 'expiry', stage: '7d' },
    { kind: 'expiry', stage: EXPIRED_STAGE },
    { kind: 'inactivity', stage: '60d' },
    { kind: 'no_backup', stage: 'no_backup', channel: { backups: [] } },
    { kind: 'owner_gone', stage: 'owner_gone' },
    { kind: 'disconnected', stage: 'disconnected', channel: { status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: '2026-06-01' } },
  ];

  let posted = 300;

  /** A digest of two warnings exactly as the builder writes it; the first item is the channel's. */
  async function postedDigest(team: string, scenario: (typeof SCENARIOS)[number]) {
    const c = await addChannel(store(), team, { name: `Acme ${uniqueId('')}`, ...scenario.channel });
    const other = await addChannel(store(), team, { name: `Other ${uniqueId('')}` });
    const [made] = await store().warnings.upsertMany([
      newWarning(team, c.id, { kind: scenario.kind, stage: scenario.stage, severity: 'critical', dueAt: '2026-06-16' }),
    ]);
    const [made2] = await store().warnings.upsertMany([newWarning(team, other.id, { dueAt: '2026-07-01' })]);
    const w = (await store().warnings.findById(team, made!.id))!;
    const w2 = (await store().warnings.findById(team, made2!.id))!;
    const item = (connection: Connection, warning: Warning): WarningItem => ({
      connection,
      warning,
      finding: {
        kind: warning.kind,
        stage: warning.stage,
        severity: warning.severity,
        dueAt: warning.dueAt,
        message: `${connection.name}: ${warning.kind}`,
        advice: 'Do it.',
      },
    });
    const { blocks } = buildDigest([item(c, w), item(other, w2)]);
    // Stored as the delivery stores what it posts: a press updates only messages the bot knows.
    const ts = `1700000000.${String(++posted).padStart(6, '0')}`;
    await store().postedMessages.recordMessage({
      workspaceId: team,
      channel: 'CALERTS',
      ts,
      kind: 'digest',
      warnings: [w, w2].map((x) => ({ id: x.id, state: 'posted' as const })),
    });
    const section = blocks.find((b) => b.type === 'section' && (b as SectionBlock).accessory && JSON.stringify(b).includes(c.name)) as SectionBlock;
    const menu = section.accessory as Overflow;
    expect(menu.action_id).toBe(ACTION.itemMenu);
    return { c, w, blocks, section, options: menu.options, ts };
  }

  for (const scenario of SCENARIOS) {
    it(`every option of a digest's ${scenario.kind} (${scenario.stage}) menu, pressed as posted, does what it says`, async () => {
      const team = await newTeam(store());
      const { options } = await postedDigest(team, scenario);
      expect(options.length).toBeGreaterThan(1);
      for (const label of options.map((o) => o.text.text)) {
        // A fresh channel per option: each press starts from the digest as it was posted.
        const { c, w, blocks, section, options: fresh, ts } = await postedDigest(team, scenario);
        const option = fresh.find((o) => o.text.text === label)!;
        slack().fake.reset();
        await slack().interaction(
          blockActions({
            team,
            user: LEAD,
            actionId: ACTION.itemMenu,
            value: '',
            type: 'overflow',
            blockId: section.block_id,
            responseUrl: slack().fake.responseUrl(),
            selectedOption: option.value,
            message: { channel: 'CALERTS', ts, blocks },
          }),
        );
        await expectPressed(label, team, c, w);
      }
    });
  }

  async function expectPressed(label: string, team: string, c: Connection, w: Warning): Promise<void> {
    const updated = async () => SlackHarness.textOf((await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'))).body);
    const opened = async () =>
      ((await slack().waitFor((calls) => calls.find((call) => call.method === 'views.open'))).body.view as { callback_id: string }).callback_id;
    switch (label) {
      case 'Mark refreshed':
        expect(await updated()).toContain(`<@${LEAD}> marked *${c.name}* refreshed on ${TODAY}`);
        expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe(TODAY);
        return;
      case 'I was active':
        expect(await updated()).toContain(`recorded the owner of *${c.name}* active on ${TODAY}`);
        expect((await store().connections.getById(team, c.id)).ownerLastActiveAt).toBe(TODAY);
        return;
      case 'Snooze 1 day':
      case 'Snooze until the next stage':
        expect(await updated()).toContain(`snoozed 1 warning of *${c.name}*`);
        expect((await store().warnings.findById(team, w.id))?.state).toBe('snoozed');
        return;
      case 'Add backup admin':
        expect(await opened()).toBe(VIEW.addBackup);
        return;
      case 'Reassign owner':
        expect(await opened()).toBe(VIEW.reassignOwner);
        return;
      case 'Mark disconnected':
        expect(await opened()).toBe(VIEW.markDisconnected);
        return;
      case 'Mark reconnected':
        expect(await updated()).toContain(`marked *${c.name}* reconnected on ${TODAY}`);
        expect((await store().connections.getById(team, c.id)).status).toBe('connected');
        return;
      case 'I’m on it':
        // The warning stays open; the message says who took it (docs/rules.md "Escalation").
        expect(await updated()).toContain(`<@${LEAD}> is on it`);
        expect(await store().warnings.findById(team, w.id)).toMatchObject({ state: w.state, acknowledgedBy: LEAD, escalationEnded: 'acknowledged' });
        return;
      case 'View history':
        expect(SlackHarness.textOf(await slack().response())).toContain(`History of ${c.name}`);
        expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
        return;
      default:
        throw new Error(`no expectation for the menu option "${label}"`);
    }
  }
});
