/** The escalation fields of the settings modal (docs/rules.md "Escalation"), submitted as Slack sends them. */
import { ESCALATION_FIELD } from '../../../src/bot/blocks/escalation-settings';
import { buildSettingsModal, SETTINGS_FIELD } from '../../../src/bot/blocks/settings-modal';
import { VIEW } from '../../../src/bot/interactions';
import { describeEachDatabase } from '../../support/databases';
import { checkModalLimits } from '../support/block-kit-limits';
import { viewSubmission, type StateValues } from '../support/payloads';
import { slackPerSuite } from '../support/slack-harness';
import { ADMIN, newTeam } from '../support/team';

type Input = { block_id?: string; element?: { initial_value?: string; initial_options?: unknown[] } };

describeEachDatabase('settings modal: escalation', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  const modalOf = async (team: string) => buildSettingsModal(await store().workspaces.getById(team), null, { responseUrl: slack().fake.responseUrl() });

  function form(escalation: { critical?: string; atRisk?: string; here?: boolean }): StateValues {
    const one = (id: string, v: Record<string, unknown>) => ({ [id]: { [id]: v } });
    return {
      ...one(SETTINGS_FIELD.alertChannel, { type: 'conversations_select', selected_conversation: 'CALERTS1' }),
      ...one(SETTINGS_FIELD.timeZone, { type: 'plain_text_input', value: 'UTC' }),
      ...one(SETTINGS_FIELD.checkTime, { type: 'timepicker', selected_time: '09:00' }),
      ...one(SETTINGS_FIELD.ladder, { type: 'plain_text_input', value: '' }),
      ...one(ESCALATION_FIELD.critical, { type: 'plain_text_input', value: escalation.critical ?? '' }),
      ...one(ESCALATION_FIELD.atRisk, { type: 'plain_text_input', value: escalation.atRisk ?? '' }),
      ...one(ESCALATION_FIELD.here, { type: 'checkboxes', selected_options: escalation.here ? [{ value: 'here' }] : [] }),
    };
  }

  it('saves a ladder per severity and @here, audited; the form opens again with them', async () => {
    const team = await newTeam(store());
    const modal = await modalOf(team);
    expect(checkModalLimits(modal as unknown as Record<string, unknown>)).toEqual([]);
    const answer = await slack().interaction(
      viewSubmission(team, ADMIN, VIEW.settings, form({ critical: 'owner 1h, channel 2h', atRisk: 'off', here: true }), modal.private_metadata!),
    );
    expect(answer.text).toBe('');
    expect((await store().workspaces.getById(team)).escalation).toEqual({
      critical: [
        { to: 'owner', afterHours: 1 },
        { to: 'channel', afterHours: 2 },
      ],
      at_risk: [],
      here: true,
    });
    const [event] = await store().audit.list(team, { limit: 1 });
    expect(Object.keys(event!.details.changed as object)).toContain('escalation');

    const again = (await modalOf(team)).blocks as Input[];
    const block = (id: string) => again.find((b) => b.block_id === id)!.element!;
    expect(block(ESCALATION_FIELD.critical).initial_value).toBe('owner 1h, channel 2h');
    expect(block(ESCALATION_FIELD.atRisk).initial_value).toBe('off');
    expect(block(ESCALATION_FIELD.here).initial_options).toHaveLength(1);
  });

  it('empty ladders mean the defaults; a bad one is refused under its field and nothing is saved', async () => {
    const team = await newTeam(store());
    const bad = await slack().interaction(
      viewSubmission(team, ADMIN, VIEW.settings, form({ critical: 'channel 1h, owner 2h' }), (await modalOf(team)).private_metadata!),
    );
    expect((bad.json?.errors as Record<string, string>)[ESCALATION_FIELD.critical]).toContain('in this order');
    expect((await store().workspaces.getById(team)).alertChannel).toBeNull();
    await slack().interaction(viewSubmission(team, ADMIN, VIEW.settings, form({}), (await modalOf(team)).private_metadata!));
    expect((await store().workspaces.getById(team)).escalation).toEqual({});
  });
});
