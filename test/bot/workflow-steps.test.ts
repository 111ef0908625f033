/**
 * Workflow Builder steps: Slack sends a signed `function_executed` event for each run; the step
 * ends in functions.completeSuccess (with its outputs) or functions.completeError (with why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { uniqueId, describeEachDatabase } from '../support/databases';
import type { SlackCall } from '../support/fake-slack';
import { slackPerSuite, type SlackHarness } from './support/slack-harness';
import { addChannel, ADMIN, BACKUP, LEAD, MEMBER, newTeam, OWNER } from './support/team';

const MANIFEST = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'manifest.yml'), 'utf8'));
const WORKFLOW_TOKEN = 'xwfp-workflow-token';

/** The person a workflow runs for, as Slack passes a `slack#/types/user_context` input. */
function runBy(userId: string) {
  return { id: userId, secret: `secret-${userId}` };
}

/** Runs a step as Slack does, and returns the call that ended it (completeSuccess or completeError). */
async function runStep(slack: SlackHarness, team: string, step: string, inputs: Record<string, unknown>): Promise<SlackCall> {
  const execution = uniqueId('Fx');
  const answer = await slack.event(team, {
    type: 'function_executed',
    function: {
      id: uniqueId('Fn'),
      callback_id: step,
      title: step,
      description: '',
      type: 'app',
      app_id: 'A0001',
      input_parameters: [],
      output_parameters: [],
    },
    inputs,
    function_execution_id: execution,
    workflow_execution_id: uniqueId('Wf'),
    event_ts: '1700000000.000100',
    bot_access_token: WORKFLOW_TOKEN,
  });
  expect(answer.status).toBe(200);
  return slack.waitFor((calls) =>
    calls.find((c) => (c.method === 'functions.completeSuccess' || c.method === 'functions.completeError') && c.body.function_execution_id === execution),
  );
}

function outputsOf(call: SlackCall): Record<string, unknown> {
  expect(call.method).toBe('functions.completeSuccess');
  return call.body.outputs as Record<string, unknown>;
}

/** The outputs a step may give are the ones its manifest declares. */
function expectDeclared(step: string, outputs: Record<string, unknown>): void {
  const declared = Object.keys(MANIFEST.functions[step].output_parameters.properties ?? {});
  expect(declared).toEqual(expect.arrayContaining(Object.keys(outputs)));
}

describeEachDatabase('Workflow Builder steps', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  describe('hand_over_channels', () => {
    it('hands every channel of the leaving person to the successor, for a team leader, with the workflow token', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      await addChannel(store(), team, { name: 'Beta', ownerId: MEMBER, backups: [OWNER] });
      const end = await runStep(slack(), team, 'hand_over_channels', { leaving_user: OWNER, successor: BACKUP, acting_user: runBy(LEAD) });
      const outputs = outputsOf(end);
      expectDeclared('hand_over_channels', outputs);
      expect(outputs.count).toBe(2);
      expect(outputs.summary).toContain('2 channels handed over from');
      expect(outputs.summary).toContain('Acme');
      // The step calls Slack with the token Slack gave this run.
      expect(end.headers.authorization).toBe(`Bearer ${WORKFLOW_TOKEN}`);
      const channels = await store().connections.list(team, { involving: OWNER });
      expect(channels).toEqual([]);
      const acme = (await store().connections.findByName(team, 'Acme'))[0]!;
      expect(acme.ownerId).toBe(BACKUP);
    });

    it('without a successor, sends the list to the team leaders and hands nothing over', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'hand_over_channels', { leaving_user: OWNER });
      const outputs = outputsOf(end);
      expect(outputs.count).toBe(1);
      expect(outputs.summary).toContain('The list went to the team leaders');
      const dm = slack()
        .fake.callsTo('chat.postMessage')
        .find((c) => c.body.channel === LEAD);
      expect(String(dm?.body.text)).toContain(`<@${OWNER}> is leaving and holds 1 channel`);
      expect(JSON.stringify(dm?.body.blocks)).toContain('Acme');
      expect((await store().connections.findByName(team, 'Acme'))[0]!.ownerId).toBe(OWNER);
    });

    it('fails for a member, saying who may hand over, and changes nothing', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'hand_over_channels', { leaving_user: OWNER, successor: BACKUP, acting_user: runBy(MEMBER) });
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('Only team leaders and admins may hand channels over; you are a member');
      expect((await store().connections.findByName(team, 'Acme'))[0]!.ownerId).toBe(OWNER);
    });

    it('fails when the workflow does not say who runs it, naming the input to set', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'hand_over_channels', { leaving_user: OWNER, successor: BACKUP });
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('“Person who used this workflow”');
      expect((await store().connections.findByName(team, 'Acme'))[0]!.ownerId).toBe(OWNER);
    });
  });

  describe('record_refresh', () => {
    it('records the refresh on the date given, for the owner', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme Corp' });
      const end = await runStep(slack(), team, 'record_refresh', { channel_name: 'acme corp', date: '2026-06-10', acting_user: runBy(OWNER) });
      expect(outputsOf(end)).toEqual({});
      expect((await store().connections.findByName(team, 'Acme Corp'))[0]!.lastRefreshedAt).toBe('2026-06-10');
    });

    it('without a date, records today', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      outputsOf(await runStep(slack(), team, 'record_refresh', { channel_name: 'Acme', acting_user: runBy(ADMIN) }));
      expect((await store().connections.findByName(team, 'Acme'))[0]!.lastRefreshedAt).toBe('2026-06-15');
    });

    it('fails for someone who does not look after the channel', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'record_refresh', { channel_name: 'Acme', acting_user: runBy(MEMBER) });
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain("Only the channel's owner, its backup admins, team leaders and admins may mark a channel refreshed");
      expect((await store().connections.findByName(team, 'Acme'))[0]!.lastRefreshedAt).toBeNull();
    });

    it('fails on a channel that does not exist, with the closest name', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'record_refresh', { channel_name: 'Acne', acting_user: runBy(OWNER) });
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('No channel named “Acne”');
      expect(end.body.error).toContain('Did you mean Acme?');
    });

    it('fails on a date in the future', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme' });
      const end = await runStep(slack(), team, 'record_refresh', { channel_name: 'Acme', date: '2026-07-01', acting_user: runBy(OWNER) });
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('2026-07-01 is in the future');
    });
  });

  it('a run for a workspace the bot does not serve is acknowledged and does nothing', async () => {
    const execution = uniqueId('Fx');
    const answer = await slack().event(uniqueId('T'), {
      type: 'function_executed',
      function: {
        id: 'Fn1',
        callback_id: 'channel_status',
        title: 'x',
        description: '',
        type: 'app',
        app_id: 'A0001',
        input_parameters: [],
        output_parameters: [],
      },
      inputs: { channel_name: 'Acme' },
      function_execution_id: execution,
      workflow_execution_id: 'Wf1',
      event_ts: '1700000000.000100',
      bot_access_token: WORKFLOW_TOKEN,
    });
    expect(answer.status).toBe(200);
    expect(slack().fake.calls.filter((c) => c.body.function_execution_id === execution)).toEqual([]);
  });

  describe('channel_status', () => {
    it("gives the channel's health, next deadline and owner, to anyone", async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme', lastRefreshedAt: '2026-06-01' });
      const outputs = outputsOf(await runStep(slack(), team, 'channel_status', { channel_name: 'Acme' }));
      expectDeclared('channel_status', outputs);
      expect(outputs.owner).toBe(OWNER);
      expect(['Healthy', 'Needs attention', 'At risk', 'Critical', 'Disconnected']).toContain(outputs.health);
      expect(String(outputs.next_deadline)).toMatch(/^2026-\d\d-\d\d$/);
      expect(String(outputs.next_deadline) >= '2026-06-15').toBe(true);
    });

    it('says Disconnected for a channel marked disconnected, with no deadline', async () => {
      const team = await newTeam(store());
      await addChannel(store(), team, { name: 'Acme', status: 'disconnected', disconnectReason: 'token_expired', disconnectedAt: '2026-06-01' });
      const outputs = outputsOf(await runStep(slack(), team, 'channel_status', { channel_name: 'Acme', acting_user: runBy(MEMBER) }));
      expect(outputs.health).toBe('Disconnected');
      expect(outputs).not.toHaveProperty('next_deadline');
    });

    it('fails without a channel name', async () => {
      const team = await newTeam(store());
      const end = await runStep(slack(), team, 'channel_status', {});
      expect(end.method).toBe('functions.completeError');
      expect(end.body.error).toContain('The step has no channel_name');
    });
  });
});
