import { describeEachDatabase } from '../../support/databases';
import { ACTION } from '../../../src/bot/interactions';
import { checkBlockKitLimits } from '../support/block-kit-limits';
import { blockActions } from '../support/payloads';
import { SlackHarness, slackPerSuite, TODAY } from '../support/slack-harness';
import { addChannel, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('/channels status', (db) => {
  const slack = slackPerSuite(db);

  it('lists every channel most urgent first, with health, what is overdue, its token end, what is due next, owner and what to do', async () => {
    const team = await newTeam(db().store);
    await addChannel(db().store, team, { name: 'Calm Page', connectedAt: '2026-06-01' });
    await addChannel(db().store, team, { name: 'Dying Page', connectedAt: '2025-06-20' }); // expires 2026-06-20: 5 days left
    await addChannel(db().store, team, {
      name: 'Gone Page',
      connectedAt: '2026-01-10',
      status: 'disconnected',
      disconnectReason: 'password_change',
      disconnectedAt: '2026-06-01',
    });
    await slack().command(team, MEMBER, 'status');
    const reply = await slack().response();
    const text = SlackHarness.textOf(reply);
    expect(reply.response_type).toBe('ephemeral');
    const order = ['Gone Page', 'Dying Page', 'Calm Page'].map((name) => text.indexOf(name));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Connected 2025-06-20, no login since: past the 60-day inactivity limit since 2025-08-19; the token ends on 2026-06-20.
    expect(text).toContain('Dying Page* · LinkedIn\\nowner past the inactivity limit since 2025-08-19 · next: token expires on 2026-06-20');
    expect(text).toContain('Gone Page* · LinkedIn\\ndisconnected since 2026-06-01');
    // Healthy, yet its token end and what is due next are shown.
    expect(text).toContain('Calm Page* · LinkedIn\\ntoken expires on 2027-06-01 · next: owner to log in by 2026-07-31');
    expect(text).not.toContain('next deadline');
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain('What to do');
  });

  it('never calls a past date the next deadline: status and show say since when it is overdue, and the card when the token ends', async () => {
    const team = await newTeam(db().store);
    // Refreshed 2025-04-06: the token ended on 2026-04-06, months before today (2026-06-15); the owner logged in on 2026-06-01.
    await addChannel(db().store, team, { name: 'Long Gone', connectedAt: '2024-01-10', lastRefreshedAt: '2025-04-06', ownerLastActiveAt: '2026-06-01' });
    await addChannel(db().store, team, { name: 'Calm Page', connectedAt: '2026-06-01' });
    await slack().command(team, MEMBER, 'status');
    const status = SlackHarness.textOf(await slack().response(0));
    expect(status).toContain('Long Gone* · LinkedIn\\nrefresh overdue since 2025-08-04 · token expired on 2026-04-06 · next: owner to log in by 2026-07-31');
    await slack().command(team, MEMBER, 'show Long Gone');
    const card = await slack().response(1);
    const shown = SlackHarness.textOf(card);
    expect(card.text).toBe('Long Gone: Critical');
    expect(shown).toContain('refresh overdue since 2025-08-04 · token expired on 2026-04-06');
    expect(shown).toContain('*Token expired on*\\n2026-04-06');
    // One item for what one refresh fixes: the expired token and the overdue refresh.
    expect(shown).toContain('LinkedIn “Long Gone”: reconnect it now. Token expired on 2026-04-06, 70 days ago (predicted from the refresh on 2025-04-06).');
    expect(shown.match(/Token expired on 2026-04-06, 70 days ago/g)).toHaveLength(1);
    expect(shown).toContain('Last refreshed 435 days ago; the refresh has been overdue since 2025-08-04.');
    for (const text of [status, shown]) {
      expect(text).not.toContain('next deadline');
      for (const [, date] of text.matchAll(/next: [a-z ]+ (\d{4}-\d{2}-\d{2})/g)) expect(date! >= TODAY).toBe(true);
    }
    await slack().command(team, MEMBER, 'show Calm Page');
    const calm = SlackHarness.textOf(await slack().response(2));
    expect(calm).toContain('Healthy · token expires on 2027-06-01 · next: owner to log in by 2026-07-31');
    expect(calm).toContain('*Token expires on*\\n2027-06-01');
  });

  it('filters: at-risk, a network, an owner', async () => {
    const team = await newTeam(db().store);
    await addChannel(db().store, team, { name: 'Calm Page', connectedAt: '2026-06-01' });
    await addChannel(db().store, team, { name: 'Dying Page', connectedAt: '2025-06-20' });
    await addChannel(db().store, team, { name: 'Face Page', network: 'facebook', kind: 'page', connectedAt: '2026-06-01', ownerId: 'UOTHER1' });
    await slack().command(team, MEMBER, 'status at-risk');
    const atRisk = SlackHarness.textOf(await slack().response(0));
    expect(atRisk).toContain('Dying Page');
    expect(atRisk).not.toContain('Calm Page');
    await slack().command(team, MEMBER, 'status facebook');
    const facebook = SlackHarness.textOf(await slack().response(1));
    expect(facebook).toContain('Face Page');
    expect(facebook).not.toContain('Dying Page');
    await slack().command(team, MEMBER, 'status <@UOTHER1|other>');
    const owned = SlackHarness.textOf(await slack().response(2));
    expect(owned).toContain('Face Page');
    expect(owned).not.toContain('Calm Page');
  });

  it('refuses a filter it does not know, saying what to type', async () => {
    const team = await newTeam(db().store);
    await slack().command(team, MEMBER, 'status purple');
    const text = SlackHarness.textOf(await slack().response());
    expect(text).toContain('cannot filter by “purple”');
    expect(text).toContain('/channels status [at-risk | linkedin | hootsuite | @person | retired]');
  });

  it('paginates long lists within 50 blocks and "Next page" shows the next one', async () => {
    const team = await newTeam(db().store);
    for (let i = 0; i < 45; i += 1) await addChannel(db().store, team, { name: `Page ${String(i).padStart(2, '0')}`, connectedAt: '2026-06-01' });
    await slack().command(team, MEMBER, 'status');
    const first = await slack().response(0);
    expect(checkBlockKitLimits(first.blocks!, 'message')).toEqual([]);
    const next = first
      .blocks!.flatMap((b) => ('elements' in b ? (b.elements as { action_id?: string; value?: string }[]) : []))
      .find((e) => e.action_id === ACTION.nextPage);
    expect(next).toBeDefined();
    expect(SlackHarness.textOf(first)).toContain('Page 00');
    // The page ends saying how many follow.
    expect(SlackHarness.textOf(first)).toContain('"and 25 more"');
    await slack().interaction(blockActions({ team, user: MEMBER, actionId: ACTION.nextPage, value: next!.value!, responseUrl: slack().fake.responseUrl() }));
    const second = await slack().response(1);
    expect(second.replace_original).toBe(true);
    expect(SlackHarness.textOf(second)).toContain('Page 20');
    expect(SlackHarness.textOf(second)).not.toContain('Page 00');
    expect(SlackHarness.textOf(second)).toContain('page 2 of 3');
  });
});
