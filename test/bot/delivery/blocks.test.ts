/** The pure builders: words equal the rules', Block Kit stays within Slack's limits, names are escaped. */
import { ACTION } from '../../../src/bot/interactions';
import { buildDigest } from '../../../src/bot/blocks/digest';
import { buildDmMessage, DM_MAX_ITEMS, buildNoAlertChannelNotice, buildDeliveryFailedNotice } from '../../../src/bot/blocks/dm';
import { buildWarningMessage, renderWarningText } from '../../../src/bot/blocks/warning-message';
import { toWarningItem } from '../../../src/outbox/warning-item';
import type { Severity } from '../../../src/domain';
import { evaluate, LINKEDIN, makeConnection } from '../../rules/factories';
import { checkMessageLimits } from '../support/block-kit-limits';
import { makeItem, warningFrom } from './items';

const TODAY = '2026-11-28';

/** Connections that, between them, trigger every finding kind and most stages. */
const CASES = [
  makeConnection({ connectedAt: '2025-12-20' }), // expiry 30d
  makeConnection({ connectedAt: '2025-11-29', ownerLastActiveAt: '2026-11-20' }), // expiry 1d, no inactivity
  makeConnection({ connectedAt: '2025-11-20' }), // expired, inactivity critical, refresh overdue
  makeConnection({ connectedAt: '2026-08-20', ownerLastActiveAt: null }), // refresh recommended, inactivity warn
  makeConnection({ ownerId: null, backups: [], connectedAt: '2026-06-01' }), // owner gone, no backup
  makeConnection({ security: { sharedLogin: true, twoFactor: false, ownerSuperAdmin: false, permissionsGranted: false } }),
  makeConnection({ status: 'disconnected', disconnectReason: 'password_change', disconnectedAt: '2026-11-01' }),
];

function allFindings() {
  return CASES.flatMap((c) => evaluate(c, TODAY, LINKEDIN, c.ownerId === null).map((f) => ({ c, f })));
}

describe('warning words', () => {
  it('are the words of the rule that planned the warning, for every kind', () => {
    const findings = allFindings();
    expect(new Set(findings.map(({ f }) => f.kind))).toEqual(
      new Set(['expiry', 'inactivity', 'refresh_due', 'no_backup', 'owner_gone', 'security', 'disconnected']),
    );
    for (const { c, f } of findings) {
      const item = toWarningItem(warningFrom(f), c, { today: TODAY, policy: LINKEDIN });
      expect({ key: f.dedupKey, message: item.finding.message, advice: item.finding.advice }).toEqual({
        key: f.dedupKey,
        message: f.message,
        advice: f.advice,
      });
    }
  });
});

describe('single warning message', () => {
  it('has a header, the finding, due date, owner, backups and buttons whose value names the warning', () => {
    const item = makeItem({ id: 42, connectionId: 7 }, { name: 'Acme Corp' });
    const { text, blocks } = buildWarningMessage(item);
    expect(checkMessageLimits({ text, blocks })).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '🟡 LinkedIn “Acme Corp”' } });
    const json = JSON.stringify(blocks);
    expect(json).toContain('token expires in 22 days, on 2026-12-20');
    expect(json).toContain('<@U_OWNER>');
    expect(json).toContain('<@U_BACKUP>');
    const actions = blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value?: string; options?: { value: string }[] }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual([ACTION.markRefreshed, ACTION.snooze, ACTION.viewHistory]);
    expect(JSON.parse(actions.elements[0]!.value!)).toEqual({ connectionId: 7, warningIds: [42] });
    expect(actions.elements[1]!.options!.map((o) => JSON.parse(o.value))).toEqual([
      { connectionId: 7, warningIds: [42], snooze: '1d' },
      { connectionId: 7, warningIds: [42], snooze: '7d' },
      { connectionId: 7, warningIds: [42], snooze: 'next' },
    ]);
  });

  it('escapes &, < and > in names, so a name cannot ping the channel or fake a link', () => {
    const item = makeItem({}, { name: '<!channel> & <https://evil.example|Acme>', ownerId: 'U1' });
    const { text, blocks } = buildWarningMessage(item);
    const mrkdwn = [text, ...blocks.filter((b) => b.type !== 'header').map((b) => JSON.stringify(b))].join('\n');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<https://evil');
    expect(mrkdwn).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|Acme&gt;');
    expect(mrkdwn).toContain('<@U1>'); // our own mentions stay live
  });

  it('renders as plain text the way it reads in Slack', () => {
    const c = makeConnection({ connectedAt: '2025-11-29', ownerLastActiveAt: '2026-11-20' });
    const finding = evaluate(c, TODAY).find((f) => f.kind === 'expiry')!;
    expect(renderWarningText({ connection: c, finding, warning: null })).toBe(
      [
        '🔴 LinkedIn “Acme” · Critical',
        'LinkedIn “Acme”: token expires in 1 day, on 2026-11-29 (predicted from the connection on 2025-11-29).',
        finding.advice,
        'Due 2026-11-29 · Owner @U_OWNER · Backups @U_BACKUP',
        '[Mark refreshed] [Snooze] [View history]',
      ].join('\n'),
    );
  });
});

describe('digest', () => {
  const severities: Severity[] = ['attention', 'at_risk', 'critical', 'disconnected'];
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      makeItem(
        { id: i + 1, connectionId: i + 1, severity: severities[i % 4]!, dueAt: `2026-12-${String(10 + (i % 17)).padStart(2, '0')}` },
        { name: `Page ${i + 1}` },
      ),
    );

  it('lists every warning worst first, then by due date, each with an overflow menu of its actions', () => {
    const { text, blocks } = buildDigest(many(8));
    expect(checkMessageLimits({ text, blocks })).toEqual([]);
    const items = blocks.filter((b) => b.block_id?.startsWith('ck_item_')) as {
      text: { text: string };
      accessory: { action_id: string; options: { value: string }[] };
    }[];
    expect(items).toHaveLength(8);
    const order = items.map((s) => Array.from(s.text.text)[0]);
    expect(order).toEqual(['⚫', '⚫', '🔴', '🔴', '🟠', '🟠', '🟡', '🟡']);
    const dues = items.slice(0, 2).map((s) => /due (\S+)/.exec(s.text.text)![1]);
    expect(dues).toEqual([...dues].sort());
    expect(items[0]!.accessory.action_id).toBe(ACTION.itemMenu);
    expect(JSON.parse(items[0]!.accessory.options[0]!.value)).toMatchObject({ action: ACTION.markRefreshed, warningIds: [expect.any(Number)] });
    // Everything fits: no "more", no full list.
    expect(JSON.stringify(blocks)).not.toContain(ACTION.fullList);
    expect(JSON.stringify(blocks[1])).toContain('⚫ 2 disconnected · 🔴 2 critical · 🟠 2 at risk · 🟡 2 attention');
  });

  it('stays within 50 blocks: the totals of all, the most urgent, and "and N more" with the full list button', () => {
    const { text, blocks } = buildDigest(many(120));
    expect(checkMessageLimits({ text, blocks })).toEqual([]);
    expect(blocks).toHaveLength(50);
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ 120 channel warnings' } });
    const shown = blocks.filter((b) => b.block_id?.startsWith('ck_item_')).length;
    const totals = JSON.stringify(blocks[1]);
    expect(totals).toContain('⚫ 30 disconnected · 🔴 30 critical · 🟠 30 at risk · 🟡 30 attention');
    expect(totals).toContain(`and ${120 - shown} more`);
    expect((blocks[1] as { accessory: { action_id: string; value: string } }).accessory).toMatchObject({ action_id: ACTION.fullList });
    expect(text).toBe('120 channel warnings: ⚫ 30 disconnected · 🔴 30 critical · 🟠 30 at risk · 🟡 30 attention');
  });

  it('holds at 100,000 warnings: within Block Kit limits, with the true totals and the worst first', () => {
    const items = many(100_000);
    for (const message of [buildDigest(items), buildDmMessage({ userId: 'U_OWNER', items, alertChannel: 'CALERT' })]) {
      expect(checkMessageLimits(message)).toEqual([]);
      const json = JSON.stringify(message.blocks);
      expect(json).toContain('⚫ 25,000 disconnected · 🔴 25,000 critical · 🟠 25,000 at risk · 🟡 25,000 attention');
      const shown = message.blocks.filter((b) => b.block_id?.startsWith('ck_item_') || b.block_id?.startsWith('ck_dm_'));
      expect(json).toContain(`and ${(100_000 - shown.length).toLocaleString('en-US')} more`);
      expect(shown.every((b) => JSON.stringify(b).includes('⚫'))).toBe(true);
    }
    expect(buildDigest(items).blocks[0]).toMatchObject({ type: 'header', text: { text: '⚠️ 100,000 channel warnings' } });
  });
});

describe('direct messages and notices', () => {
  it('lists a person’s warnings with their role, the rest counted', () => {
    const items = Array.from({ length: DM_MAX_ITEMS + 3 }, (_, i) => makeItem({ id: i + 1 }, { ownerId: i === 0 ? 'U_ME' : 'U_OTHER', backups: [] }));
    const { text, blocks } = buildDmMessage({ userId: 'U_ME', items, alertChannel: 'CALERT' });
    expect(checkMessageLimits({ text, blocks })).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('<#CALERT>');
    expect(JSON.stringify(blocks)).toContain('you own it');
    expect(JSON.stringify(blocks[1])).toContain('and 3 more');
    expect(JSON.stringify(blocks[1])).toContain(ACTION.fullList);
    expect(text).toMatch(/^23 warnings about channels you look after need attention/);
  });

  it('notices tell admins what to do', () => {
    expect(buildNoAlertChannelNotice(3).text).toMatch(/`\/channels settings`.*SLACK_ALERT_CHANNEL/);
    expect(buildDeliveryFailedNotice('the bot is not in <#C1>: invite it', 2).text).toContain('could not post 2 warnings');
  });
});

describe('Block Kit limits over every builder', () => {
  const nasty = ['🔥'.repeat(400), `${'&<>'.repeat(700)}`, 'x'.repeat(5000), 'Ünïcødé “quoted” Page'];
  const backups = Array.from({ length: 40 }, (_, i) => ({ connectionId: 1, userId: `UBACKUP${i}`, addedBy: 'U1', addedAt: new Date(0) }));

  it('holds for long, escaped and emoji names, many backups and every kind', () => {
    for (const name of nasty) {
      const itemsOf = () => allFindings().map(({ c, f }) => toWarningItem(warningFrom(f), { ...c, name, backups }, { today: TODAY, policy: LINKEDIN }));
      const items = itemsOf();
      const messages = [
        ...items.map(buildWarningMessage),
        buildDigest(items),
        buildDigest(Array.from({ length: 5 }, itemsOf).flat()),
        buildDmMessage({ userId: 'U_OWNER', items, alertChannel: 'C1' }),
      ];
      for (const message of messages) expect(checkMessageLimits(message)).toEqual([]);
    }
  });

  it('the checker itself catches what Slack would refuse', () => {
    const tooMany = { text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })) };
    expect(checkMessageLimits(tooMany)).toEqual(['51 blocks; a message allows 50']);
    const longButton = {
      text: 't',
      blocks: [
        { type: 'actions' as const, elements: [{ type: 'button' as const, action_id: 'a', text: { type: 'plain_text' as const, text: 'b'.repeat(76) } }] },
      ],
    };
    expect(checkMessageLimits(longButton)).toEqual(['blocks[0].elements[0]: button text has 76 characters; allowed 1–75']);
    const header = { text: 't', blocks: [{ type: 'header' as const, text: { type: 'plain_text' as const, text: 'h'.repeat(151) } }] };
    expect(checkMessageLimits(header)).toEqual(['blocks[0]: header text has 151 characters; allowed 1–150']);
    const overflow = {
      text: 't',
      blocks: [
        {
          type: 'section' as const,
          text: { type: 'mrkdwn' as const, text: 's' },
          accessory: {
            type: 'overflow' as const,
            action_id: 'o',
            options: Array.from({ length: 6 }, (_, i) => ({ text: { type: 'plain_text' as const, text: `o${i}` }, value: `${i}` })),
          },
        },
      ],
    };
    expect(checkMessageLimits(overflow)).toEqual(['blocks[0].accessory: 6 overflow options; allowed 2–5']);
    const halfEmoji = { text: 't', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '🙂'.slice(0, 1) } }] };
    expect(checkMessageLimits(halfEmoji)).toEqual(['blocks[0]: half an emoji (lone surrogate)']);
    expect(checkMessageLimits({ text: '', blocks: [{ type: 'divider' as const }] })).toEqual(['fallback text has 0 characters; allowed 1–40000']);
  });
});
