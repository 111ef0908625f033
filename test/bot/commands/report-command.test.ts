/**
 * `/channels report` through a signed slash command: the report comes back for the asker alone, and
 * the chart goes to their DM through files.uploadV2 (the three steps on the fake Slack).
 */
import { PNG } from 'pngjs';
import { CHART_HEIGHT, CHART_WIDTH } from '../../../src/chart/deadline-chart';
import { describeEachDatabase } from '../../support/databases';
import { checkBlockKitLimits } from '../support/block-kit-limits';
import { SlackHarness, slackPerSuite } from '../support/slack-harness';
import { addChannel, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('/channels report', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  it('answers the asker alone with the report, and sends the chart to their DM in three upload steps', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme', connectedAt: '2025-06-20', ownerLastActiveAt: '2026-06-10' });
    const answer = await slack().command(team, MEMBER, 'report');
    expect(answer.status).toBe(200);
    const reply = await slack().response();
    expect(reply.response_type ?? 'ephemeral').toBe('ephemeral');
    const text = SlackHarness.textOf(reply);
    expect(text).toContain('Weekly channel report: Test team, week to 2026-06-15');
    expect(text).toContain('2026-06-20');
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain('The chart of deadlines per week is in your DM');
    expect(checkBlockKitLimits(reply.blocks!, 'message')).toEqual([]);

    const dm = slack()
      .fake.callsTo('chat.postMessage')
      .find((c) => c.body.channel === MEMBER);
    expect(dm).toBeDefined();
    const steps = slack()
      .fake.calls.map((c) => c.method)
      .filter((m) => m.startsWith('files.') || m === 'upload');
    expect(steps).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const complete = slack().fake.callsTo('files.completeUploadExternal')[0]!;
    // Shared into the DM the post named, never into the channel the command was typed in.
    expect(complete.body.channel_id).toBe(MEMBER);
    expect(complete.body.channel_id).not.toBe('CWORK');
    const fileId = (complete.body.files as { id: string }[])[0]!.id;
    const png = PNG.sync.read(slack().fake.uploads.get(fileId)!.bytes);
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  it('still answers with the numbers when Slack refuses the upload', async () => {
    const team = await newTeam(store());
    slack().fake.fail('files.getUploadURLExternal', { error: 'missing_scope' });
    await slack().command(team, MEMBER, 'report');
    const text = SlackHarness.textOf(await slack().response());
    expect(text).toContain('Weekly channel report');
    expect(text).toContain('I could not send you the chart');
    expect(slack().fake.callsTo('files.completeUploadExternal')).toHaveLength(0);
  });

  it('takes no arguments', async () => {
    const team = await newTeam(store());
    await slack().command(team, MEMBER, 'report now');
    expect(SlackHarness.textOf(await slack().response())).toContain('/channels report');
  });
});
