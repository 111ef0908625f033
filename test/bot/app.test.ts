/** The HTTP surface: signed requests only, one path for everything, health on /healthz. */
import { describeEachDatabase } from '../support/databases';
import { SIGNING_SECRET, SlackHarness, slackPerSuite } from './support/slack-harness';
import { MEMBER, newTeam } from './support/team';

describeEachDatabase('bot HTTP app', (db) => {
  const slack = slackPerSuite(db);

  it('handles a validly signed slash command: acks at once, then answers on response_url', async () => {
    const team = await newTeam(db().store);
    const answer = await slack().command(team, MEMBER, 'help');
    expect(answer.status).toBe(200);
    const reply = await slack().response();
    expect(reply.response_type).toBe('ephemeral');
    expect(SlackHarness.textOf(reply)).toContain('/channels status');
  });

  it('acks before doing the work: a slow Slack lookup delays the answer, never the ack', async () => {
    const team = await newTeam(db().store);
    slack().fake.addUser('USLOW1');
    slack().fake.fail('users.info', { delayMs: 1500, error: 'user_not_found' });
    const started = Date.now();
    const answer = await slack().command(team, 'USLOW1', 'help');
    const ackMs = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(ackMs).toBeLessThan(1000);
    await slack().response();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it('refuses a request signed with another secret (401) and does nothing', async () => {
    const team = await newTeam(db().store);
    const answer = await slack().command(team, 'UNOBODY', 'help', { secret: `${SIGNING_SECRET}-wrong` });
    expect(answer.status).toBe(401);
    // A valid request after it: once its answer is in, the refused one would have answered too.
    await slack().command(team, MEMBER, 'status');
    await slack().response();
    expect(slack().fake.callsTo('response_url')).toHaveLength(1);
    expect(await db().store.members.find(team, 'UNOBODY')).toBeNull();
  });

  it('refuses a stale request (timestamp more than 5 minutes old) with 401', async () => {
    const team = await newTeam(db().store);
    const answer = await slack().command(team, MEMBER, 'help', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(answer.status).toBe(401);
  });

  it('refuses an unsigned request with 401', async () => {
    const answer = await slack().post('command=/channels&text=help', 'application/x-www-form-urlencoded', { signature: '' });
    expect(answer.status).toBe(401);
  });

  it('answers GET /healthz with 200 {ok:true} while the database answers', async () => {
    const response = await fetch(`${slack().baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });
});
