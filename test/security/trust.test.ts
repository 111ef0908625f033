/**
 * "Trust only what the bot stored", driven like the bot tests: signed requests against the real
 * Bolt app, fake Slack on loopback. The message a press updates is found in the database, its
 * blocks rebuilt from the database; a modal's private_metadata carries ids only; a response URL
 * is used only when it points at Slack (here: the configured SLACK_API_URL host).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KnownBlock } from '@slack/types';
import { buildWarningMessage } from '../../src/bot/blocks/warning-message';
import { ACTION, CODEC, VIEW } from '../../src/bot/interactions';
import { isTrustedResponseUrl } from '../../src/bot/acted-message';
import type { Connection } from '../../src/domain';
import { describeEachDatabase } from '../support/databases';
import { newWarning } from '../support/factories';
import { blockActions, fieldValue, viewSubmission } from '../bot/support/payloads';
import { eventually, slackPerSuite } from '../bot/support/slack-harness';
import { addChannel, newTeam, OWNER } from '../bot/support/team';

/** A local server that counts the requests it gets: an "internal address" a forged URL points at. */
async function internalServer(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/internal`, hits: () => hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('response URLs', () => {
  it('are trusted only on Slack, or on the configured SLACK_API_URL host', () => {
    expect(isTrustedResponseUrl('https://hooks.slack.com/actions/T1/1/abc')).toBe(true);
    expect(isTrustedResponseUrl('http://hooks.slack.com/actions/T1/1/abc')).toBe(false);
    expect(isTrustedResponseUrl('https://hooks.slack.com.evil.example/actions')).toBe(false);
    expect(isTrustedResponseUrl('https://169.254.169.254/latest/meta-data')).toBe(false);
    expect(isTrustedResponseUrl('http://127.0.0.1:9999/response/x', 'http://127.0.0.1:8888/api/')).toBe(false);
    expect(isTrustedResponseUrl('http://127.0.0.1:8888/response/x', 'http://127.0.0.1:8888/api/')).toBe(true);
    expect(isTrustedResponseUrl('not a url')).toBe(false);
    expect(isTrustedResponseUrl(undefined)).toBe(false);
  });
});

describeEachDatabase('trust only what the bot stored', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;
  let tsCounter = 500;

  /** A warning message as the delivery posts and stores it. */
  async function posted(team: string, c: Connection) {
    const [made] = await store().warnings.upsertMany([newWarning(team, c.id, { kind: 'expiry', stage: '7d', severity: 'at_risk', dueAt: '2026-06-20' })]);
    const warning = (await store().warnings.findById(team, made!.id))!;
    const ts = `1700000000.${String(++tsCounter).padStart(6, '0')}`;
    await store().postedMessages.recordMessage({ workspaceId: team, channel: 'CALERTS', ts, kind: 'alert', warnings: [{ id: warning.id, state: 'posted' }] });
    const finding = {
      kind: warning.kind,
      stage: warning.stage,
      severity: warning.severity,
      dueAt: warning.dueAt,
      message: `${c.name}: token expires soon`,
      advice: 'Refresh it.',
    };
    return { warning, ts, blocks: buildWarningMessage({ connection: c, warning, finding }).blocks };
  }

  function press(
    team: string,
    c: Connection,
    warningId: number,
    message: { channel: string; ts: string; blocks: KnownBlock[] },
    responseUrl = slack().fake.responseUrl(),
  ) {
    return slack().interaction(
      blockActions({
        team,
        user: OWNER,
        actionId: ACTION.markRefreshed,
        value: CODEC.button.encode({ connectionId: c.id, warningIds: [warningId] }),
        blockId: 'ck_warning_actions',
        responseUrl,
        message,
      }),
    );
  }

  it('rebuilds the pressed message from the database: forged blocks in the payload never reach chat.update', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning, ts } = await posted(team, c);
    const forged: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '<!channel> FORGED click https://evil.example' } }];
    await press(team, c, warning.id, { channel: 'CALERTS', ts, blocks: forged });
    const update = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.update'));
    expect(update.body).toMatchObject({ channel: 'CALERTS', ts });
    const text = JSON.stringify(update.body.blocks);
    expect(text).not.toContain('FORGED');
    expect(text).toContain('Acme');
    expect(text).toContain(`<@${OWNER}> marked *Acme* refreshed`);
  });

  it('never rewrites a message the bot did not store: the note goes to its thread only', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const { warning } = await posted(team, c);
    await press(team, c, warning.id, { channel: 'CSOMEONE', ts: '1699999999.000001', blocks: [] });
    const reply = await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.postMessage'));
    expect(reply.body).toMatchObject({ channel: 'CSOMEONE', thread_ts: '1699999999.000001' });
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
  });

  it("never rewrites another workspace's stored message named in a payload", async () => {
    const team = await newTeam(store());
    const other = await newTeam(store());
    const mine = await addChannel(store(), team, { name: 'Mine' });
    const theirs = await addChannel(store(), other, { name: 'Theirs' });
    const { warning } = await posted(team, mine);
    const { ts: theirTs } = await posted(other, theirs);
    await press(team, mine, warning.id, { channel: 'CALERTS', ts: theirTs, blocks: [] });
    await slack().waitFor((calls) => calls.find((call) => call.method === 'chat.postMessage'));
    expect(slack().fake.callsTo('chat.update')).toHaveLength(0);
  });

  it('ignores a response URL that does not point at Slack, in a press and in private_metadata', async () => {
    const internal = await internalServer();
    try {
      const team = await newTeam(store());
      const c = await addChannel(store(), team, { name: 'Acme', backups: [] });
      // A press whose response_url points at an internal address: the reply is not sent there.
      await slack().interaction(
        blockActions({
          team,
          user: OWNER,
          actionId: ACTION.viewHistory,
          value: CODEC.button.encode({ connectionId: c.id, warningIds: [] }),
          responseUrl: internal.url,
        }),
      );
      // A modal submission whose private_metadata was forged with such a URL (and blocks).
      const metadata = JSON.stringify({ connectionId: c.id, responseUrl: internal.url, fromCard: true, message: undefined, blocks: [{ type: 'section' }] });
      const answer = await slack().interaction(
        viewSubmission(team, OWNER, VIEW.addBackup, fieldValue('person', { type: 'users_select', selected_user: 'UNEW1' }), metadata),
      );
      expect(answer.status).toBe(200);
      expect((await store().connections.getById(team, c.id)).backups.map((b) => b.userId)).toEqual(['UNEW1']);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(internal.hits()).toBe(0);
    } finally {
      await internal.close();
    }
  });

  it('ignores a slash command’s response_url that does not point at Slack: the write happens, nothing is posted there', async () => {
    const internal = await internalServer();
    try {
      const team = await newTeam(store());
      const c = await addChannel(store(), team, { name: 'Acme', lastRefreshedAt: '2026-02-01' });
      const form = (text: string, responseUrl: string) =>
        new URLSearchParams({
          token: 'legacy',
          team_id: team,
          team_domain: 'test',
          channel_id: 'CWORK',
          channel_name: 'work',
          user_id: OWNER,
          user_name: 'owner',
          command: '/channels',
          text,
          api_app_id: 'A0001',
          response_url: responseUrl,
          trigger_id: 'trigger-forged',
        }).toString();
      const answer = await slack().post(form('refresh Acme 2026-06-14', internal.url), 'application/x-www-form-urlencoded');
      expect(answer.status).toBe(200);
      // The signed command is still served (the refresh is recorded)…
      await eventually(async () => (await store().connections.getById(team, c.id)).lastRefreshedAt === '2026-06-14');
      // …and a later command with Slack's own URL is answered there, while the forged URL got nothing.
      await slack().post(form('help', slack().fake.responseUrl()), 'application/x-www-form-urlencoded');
      expect((await slack().response()).text).toBeTruthy();
      expect(slack().fake.callsTo('response_url')).toHaveLength(1);
      expect(internal.hits()).toBe(0);
    } finally {
      await internal.close();
    }
  });

  it('keeps ids only from private_metadata: blocks and unknown fields are dropped when it is read', () => {
    const decoded = CODEC.modal.decode(
      JSON.stringify({ connectionId: 7, message: { channel: 'C1', ts: '1.2', blockId: 'b', blocks: [{ type: 'section' }], text: 'x' } }),
    );
    expect(decoded).toEqual({ connectionId: 7, message: { channel: 'C1', ts: '1.2', blockId: 'b' } });
  });
});
