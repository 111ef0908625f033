/** Bad input: each gets an ephemeral answer naming what was wrong and what to type, and changes nothing. */
import { describeEachDatabase } from '../../support/databases';
import { SlackHarness, slackPerSuite } from '../support/slack-harness';
import { addChannel, LEAD, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('/channels bad input', (db) => {
  const slack = slackPerSuite(db);
  const store = () => db().store;

  async function answer(team: string, user: string, text: string) {
    await slack().command(team, user, text);
    const reply = await slack().response();
    expect(reply.response_type).toBe('ephemeral');
    return SlackHarness.textOf(reply);
  }

  async function auditCount(team: string): Promise<number> {
    return store().audit.count(team);
  }

  it('an unknown subcommand suggests the closest', async () => {
    const team = await newTeam(store());
    const text = await answer(team, MEMBER, 'stauts');
    expect(text).toContain("I don't know “stauts”");
    expect(text).toContain('Did you mean `/channels status`?');
  });

  it('a missing channel name says which command to type', async () => {
    const team = await newTeam(store());
    expect(await answer(team, OWNER, 'refresh')).toContain('Which channel? Type its name: `/channels refresh <name>');
  });

  it('extra arguments are named and refused', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const before = await auditCount(team);
    const text = await answer(team, LEAD, `owner Acme <@UNEW1> <@UNEW2>`);
    expect(text).toContain('I did not expect “&lt;@UNEW2&gt;” there');
    expect(text).toContain('/channels owner &lt;name&gt; @person'.replace('&lt;name&gt;', '<name>'));
    expect((await store().connections.getById(team, c.id)).ownerId).toBe(OWNER);
    expect(await auditCount(team)).toBe(before);
  });

  it('an unknown channel answers with the closest names', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme Corp' });
    await addChannel(store(), team, { name: 'Acme Showcase' });
    await addChannel(store(), team, { name: 'Zebra' });
    const text = await answer(team, MEMBER, 'show acme crop');
    expect(text).toContain('No channel named “acme crop”');
    expect(text).toContain('Did you mean *Acme Corp*');
    expect(text).not.toContain('*Zebra*');
  });

  it('a date that is not a date, or lies in the future, is refused with the formats', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    expect(await answer(team, OWNER, 'refresh Acme 2026-02-30')).toContain('is not a date: use YYYY-MM-DD');
    slack().fake.reset();
    expect(await answer(team, OWNER, 'refresh Acme 2026-07-01')).toContain('2026-07-01 is in the future (today is 2026-06-15)');
    slack().fake.reset();
    expect(await answer(team, OWNER, 'active Acme soonish')).toContain('"soonish" is not a date');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBeNull();
  });

  it('a refresh before the connection date is refused', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme', connectedAt: '2026-03-01' });
    expect(await answer(team, OWNER, 'refresh Acme 2026-02-01')).toContain('is before Acme was connected (2026-03-01)');
  });

  it('a mention of nobody (plain "@bob") is refused with how to mention', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Acme' });
    const text = await answer(team, LEAD, 'owner Acme @bob');
    expect(text).toContain('I expected the new owner as a mention but got “@bob”');
    expect(text).toContain('Type @ and pick the person');
    expect((await store().connections.getById(team, c.id)).ownerId).toBe(OWNER);
  });

  it('4,000 characters of text are refused without being echoed', async () => {
    const team = await newTeam(store());
    const text = await answer(team, MEMBER, `show ${'x'.repeat(4000)}`);
    expect(text).toContain('That is 4005 characters; I read at most 500');
    expect(text.length).toBeLessThan(1000);
  });

  it('emoji and right-to-left names work, case-insensitively', async () => {
    const team = await newTeam(store());
    const arabic = await addChannel(store(), team, { name: 'شركة أكمي' });
    const emoji = await addChannel(store(), team, { name: '🚀 Rocket Team' });
    expect(await answer(team, OWNER, 'refresh شركة أكمي 2026-06-01')).toContain('*شركة أكمي* refreshed on 2026-06-01');
    slack().fake.reset();
    expect(await answer(team, OWNER, 'refresh 🚀 rocket TEAM')).toContain('*🚀 Rocket Team* refreshed');
    expect((await store().connections.getById(team, arabic.id)).lastRefreshedAt).toBe('2026-06-01');
    expect((await store().connections.getById(team, emoji.id)).lastRefreshedAt).toBe('2026-06-15');
  });

  it('text that looks like SQL is only a name that does not exist', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    const text = await answer(team, MEMBER, 'show x\'; DROP TABLE "Connection"; --');
    expect(text).toContain('No channel named');
    expect(await store().connections.count(team)).toBe(1);
  });

  it('Block Kit / mrkdwn markup in names is escaped, never interpreted', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: '<!channel> <https://evil.example|click> & co' });
    await slack().command(team, MEMBER, 'status');
    const text = SlackHarness.textOf(await slack().response());
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
    slack().fake.reset();
    const unknown = await answer(team, MEMBER, 'show <!here> *bold*');
    expect(unknown).not.toContain('<!here>');
    expect(unknown).toContain('&lt;!here&gt;');
  });

  it('quotes keep a name that ends like a date together', async () => {
    const team = await newTeam(store());
    const c = await addChannel(store(), team, { name: 'Launch 2026-01-01' });
    expect(await answer(team, OWNER, 'refresh "Launch 2026-01-01" 2026-06-01')).toContain('refreshed on 2026-06-01');
    expect((await store().connections.getById(team, c.id)).lastRefreshedAt).toBe('2026-06-01');
  });

  it('two networks sharing a name: asked to put the network first, which then works', async () => {
    const team = await newTeam(store());
    await addChannel(store(), team, { name: 'Acme' });
    const fb = await addChannel(store(), team, { name: 'Acme', network: 'facebook', kind: 'page' });
    expect(await answer(team, OWNER, 'refresh Acme')).toContain('put the network first');
    slack().fake.reset();
    await answer(team, OWNER, 'refresh facebook Acme');
    expect((await store().connections.getById(team, fb.id)).lastRefreshedAt).toBe('2026-06-15');
  });
});
