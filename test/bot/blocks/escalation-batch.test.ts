/**
 * The batched escalation messages (docs/rules.md "Escalation") at any size: one DM listing every
 * warning that climbed to a person, one alert-channel post listing every warning that reached it,
 * each with the true totals, the most urgent items first, "and N more", and within Block Kit's limits.
 */
import { buildEscalationDm, buildEscalationPost } from '../../../src/bot/blocks/escalation';
import type { EscalationRung, Severity } from '../../../src/domain';
import type { EscalatedItem } from '../../../src/outbox/slack-port';
import { checkMessageLimits } from '../support/block-kit-limits';
import { makeItem } from '../delivery/items';

const LEADERS: EscalationRung = { to: 'leaders', afterHours: 8 };
const CHANNEL: EscalationRung = { to: 'channel', afterHours: 12 };
const climbedAt = new Date('2026-11-28T17:00:00Z');

/** `n` warnings that climbed, one in three critical (the most urgent have the lowest ids past the first third). */
function climbed(n: number, rung: EscalationRung, step: number, name = (i: number) => `Page ${i}`): EscalatedItem[] {
  return Array.from({ length: n }, (_, i) => {
    const severity: Severity = i % 3 === 2 ? 'critical' : 'at_risk';
    const item = makeItem(
      { id: 500_000 + i, connectionId: 10_000 + i, severity, stage: '3d', dueAt: '2026-12-01', escalationStep: step, escalatedAt: climbedAt, state: 'posted' },
      { name: name(i), ownerId: `UOWNER${i % 40}` },
    );
    return { item, rung };
  });
}

const textOf = (blocks: unknown) => JSON.stringify(blocks);
const sectionCount = (blocks: readonly { type: string; block_id?: string }[], prefix: string) => blocks.filter((b) => b.block_id?.startsWith(prefix)).length;

describe('a batched escalation DM', () => {
  it('at 10,000 warnings: the true totals, the most urgent first, "and N more", within Block Kit', () => {
    const items = climbed(10_000, LEADERS, 3);
    const message = buildEscalationDm({ userId: 'ULEAD', escalated: items, alertChannel: 'CALERT', escalation: {} });
    expect(checkMessageLimits(message)).toEqual([]);
    const critical = items.filter((i) => i.item.finding.severity === 'critical').length;
    const atRisk = items.length - critical;
    expect(message.text).toContain('10,000 warnings nobody acted on');
    expect(message.text).toContain(`🔴 ${critical.toLocaleString('en-US')} critical · 🟠 ${atRisk.toLocaleString('en-US')} at risk`);
    const shown = sectionCount(message.blocks, 'ck_dm_');
    expect(shown).toBeGreaterThan(0);
    expect(textOf(message.blocks)).toContain(`and ${(items.length - shown).toLocaleString('en-US')} more`);
    // The most urgent: every item shown is critical.
    const shownIds = message.blocks.filter((b) => b.block_id?.startsWith('ck_dm_')).map((b) => Number(b.block_id!.slice('ck_dm_'.length)));
    expect(shownIds.every((id) => items.find((i) => i.item.warning!.id === id)!.item.finding.severity === 'critical')).toBe(true);
    expect(textOf(message.blocks)).toContain('you lead the team');
    // A team leader is not told these are channels they look after.
    expect(textOf(message.blocks)).not.toContain('channels you look after');
    expect(textOf(message.blocks)).toContain('Escalated to team leaders');
  });

  it('one warning reads as it always did: why it comes to them and how long nobody acted', () => {
    const message = buildEscalationDm({ userId: 'UOWNER0', escalated: climbed(1, { to: 'owner', afterHours: 4 }, 1), alertChannel: 'CALERT', escalation: {} });
    expect(checkMessageLimits(message)).toEqual([]);
    expect(textOf(message.blocks)).toContain('Nobody has acted on this warning for 4 hours, so it comes to you (you own this channel)');
  });

  it('says each reason once when the warnings came by different steps', () => {
    const items = [...climbed(2, { to: 'owner', afterHours: 4 }, 1), ...climbed(2, LEADERS, 3)];
    const message = buildEscalationDm({ userId: 'UOWNER0', escalated: items, alertChannel: 'CALERT', escalation: {} });
    expect(textOf(message.blocks)).toContain('(you own some of these channels; you lead the team)');
  });
});

describe('a batched alert-channel post', () => {
  it('at 10,000 warnings: the true totals, a menu with "I’m on it" per item shown, "and N more", the people within limits', () => {
    const items = climbed(10_000, CHANNEL, 4, (i) => `${'Long page name '.repeat(20)}${i}`);
    const people = [...new Set(items.map((i) => i.item.connection.ownerId!))];
    const message = buildEscalationPost({ escalated: items, mentions: people, here: true, escalation: {} });
    expect(checkMessageLimits(message)).toEqual([]);
    const text = textOf(message.blocks);
    expect(message.text).toContain('@here Escalated: 10,000 warnings nobody acted on');
    const intro = textOf(message.blocks[0]);
    expect(intro).toContain('<!here>');
    const named = people.filter((id) => intro.includes(`<@${id}>`));
    expect(named.length).toBeGreaterThan(0);
    expect(intro).toContain(`and ${people.length - named.length} others: 10,000 warnings nobody acted on reached this channel`);
    const shown = sectionCount(message.blocks, 'ck_item_');
    expect(text).toContain(`and ${(items.length - shown).toLocaleString('en-US')} more`);
    expect(text.split('ck_acknowledge').length - 1).toBeGreaterThanOrEqual(shown);
    // Each item shown says how far it climbed, though the message is at the block limit.
    expect(text.split('Escalated to the alert channel').length - 1).toBe(shown);
  });

  it('one warning is its own message with its buttons, as before', () => {
    const message = buildEscalationPost({ escalated: climbed(1, CHANNEL, 4), mentions: ['UOWNER0'], here: false, escalation: {} });
    expect(checkMessageLimits(message)).toEqual([]);
    const text = textOf(message.blocks);
    expect(text).toContain('<@UOWNER0> Nobody has acted on');
    expect(text).toContain('ck_acknowledge');
    expect(text).not.toContain('<!here>');
  });
});
