import { describeEachDatabase } from '../../support/databases';
import { ACTION } from '../../../src/bot/interactions';
import { checkBlockKitLimits } from '../support/block-kit-limits';
import { blockActions } from '../support/payloads';
import { SlackHarness, slackPerSuite } from '../support/slack-harness';
import { addChannel, MEMBER, newTeam, OWNER } from '../support/team';

describeEachDatabase('/channels status', (db) => {
  const slack = slackPerSuite(db);

  it('lists every channel most urgent first, with health, next deadline, owner and what to do', async () => {
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
    expect(text).toMatch(/Dying Page\* · LinkedIn\\nnext deadline \d{4}-\d{2}-\d{2}/);
    expect(text).toContain('Calm Page* · LinkedIn\\nno deadline');
    expect(text).toContain(`<@${OWNER}>`);
    expect(text).toContain('What to do');
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
    await slack().interaction(blockActions({ team, user: MEMBER, actionId: ACTION.nextPage, value: next!.value!, responseUrl: slack().fake.responseUrl() }));
    const second = await slack().response(1);
    expect(second.replace_original).toBe(true);
    expect(SlackHarness.textOf(second)).toContain('Page 20');
    expect(SlackHarness.textOf(second)).not.toContain('Page 00');
    expect(SlackHarness.textOf(second)).toContain('page 2 of 3');
  });
});
