/**
 * "Full list" pressed exactly as the outbox posted it (a digest in the alert channel, a DM): the
 * modal lists every warning of that message, worst first, and Previous / Next turn its pages.
 */
import type { KnownBlock } from '@slack/types';
import { ACTION } from '../../../src/bot/interactions';
import type { NewWarning, Severity } from '../../../src/domain';
import { describeEachDatabase } from '../../support/databases';
import { newWarning } from '../../support/factories';
import { FakeClock, makeDelivery, workerFor } from '../delivery/harness';
import { checkModalLimits } from '../support/block-kit-limits';
import { blockActions } from '../support/payloads';
import { NOW, slackPerSuite } from '../support/slack-harness';
import { addChannel, MEMBER, newTeam, OWNER } from '../support/team';

type Json = Record<string, unknown>;
type Element = { action_id?: string; value?: string };
type Block = { type: string; block_id?: string; text?: { text: string }; accessory?: Element; elements?: Element[] };

/** The button with this action id in some blocks (a section's accessory or an actions block). */
function button(blocks: readonly unknown[], actionId: string): { blockId: string; value: string } | null {
  for (const block of blocks as Block[]) {
    const element = [block.accessory, ...(block.elements ?? [])].find((e) => e?.action_id === actionId);
    if (element) return { blockId: block.block_id ?? 'b1', value: element.value! };
  }
  return null;
}

/** The channel names a modal page lists ("Page 12"), in order. */
function namesOn(view: Json): string[] {
  // The first name of each item's section (its message names the channel again).
  return (view.blocks as Block[]).flatMap((b) => {
    const name = b.type === 'section' ? /“(Page \d+)”/.exec(b.text?.text ?? '') : null;
    return name ? [name[1]!] : [];
  });
}

describeEachDatabase('the full list', (db) => {
  const slack = slackPerSuite(db, { now: () => NOW });
  const store = () => db().store;

  it('"Full list" on the posted digest opens a modal of every warning, worst first, whose pages turn both ways; the DM’s lists the owner’s', async () => {
    const team = await newTeam(store());
    await store().workspaces.updateSettings(team, { alertChannel: 'CFULLLIST' });
    const rows: NewWarning[] = [];
    // 50 channels: the first 5 critical, the rest attention; 25 of them the owner's.
    for (let i = 0; i < 50; i++) {
      const c = await addChannel(store(), team, { name: `Page ${i + 1}`, ownerId: i < 25 ? OWNER : 'UOTHER1', backups: [] });
      const severity: Severity = i < 5 ? 'critical' : 'attention';
      rows.push(newWarning(team, c.id, { severity, dueAt: `2026-07-${String(1 + (i % 28)).padStart(2, '0')}` }));
    }
    await store().warnings.upsertMany(rows);
    // Where Slack put each post, as it answers (the DM's ts is the message a press comes from).
    const answered = new Map<string, string>();
    slack().fake.respond('chat.postMessage', (body) => {
      const ts = `1710000000.${String(answered.size + 1).padStart(6, '0')}`;
      answered.set(String(body.channel), ts);
      return { channel: body.channel, ts };
    });
    await workerFor(makeDelivery(store(), slack().fake, new FakeClock()), () => NOW).drain({ workspaceId: team });

    const posts = slack().fake.callsTo('chat.postMessage');
    const digest = posts.find((c) => c.body.channel === 'CFULLLIST')!;
    const ts = answered.get('CFULLLIST')!;
    expect((await store().warnings.listByState(team, 'posted', 100)).map((w) => w.slackTs)).toEqual(Array(50).fill(ts));
    const blocks = digest.body.blocks as KnownBlock[];
    const full = button(blocks, ACTION.fullList)!;
    expect(JSON.stringify(blocks)).toContain('and 2 more');

    // Pressed on the message, as Slack sends it: a modal opens with the first page.
    slack().fake.reset();
    await slack().interaction(
      blockActions({
        team,
        user: MEMBER,
        actionId: ACTION.fullList,
        value: full.value,
        blockId: full.blockId,
        message: { channel: 'CFULLLIST', ts, blocks },
        responseUrl: slack().fake.responseUrl(),
      }),
    );
    const open = await slack().waitFor((calls) => calls.find((c) => c.method === 'views.open'));
    const first = open.body.view as Json;
    expect(checkModalLimits(first)).toEqual([]);
    expect(JSON.stringify(first)).toContain('50 warnings');
    expect(JSON.stringify(first)).toContain('🔴 5 critical · 🟡 45 attention');
    expect(JSON.stringify(first)).toContain('Page 1 of 3');
    const page1 = namesOn(first);
    expect(page1).toHaveLength(20);
    expect(page1.slice(0, 5).sort()).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4', 'Page 5']);
    expect(button(first.blocks as unknown[], ACTION.fullListPrevious)).toBeNull();

    /** A press on a page button inside the open modal, as Slack sends it. */
    const turn = async (view: Json, actionId: string, n: number): Promise<Json> => {
      const pressed = button(view.blocks as unknown[], actionId)!;
      const payload = blockActions({ team, user: MEMBER, actionId, value: pressed.value, blockId: pressed.blockId, responseUrl: '' });
      await slack().interaction({
        ...payload,
        container: { type: 'view', view_id: 'V1' },
        view: { id: 'V1', hash: `h${n}`, type: 'modal', blocks: view.blocks, private_metadata: '', callback_id: '', state: { values: {} } },
      });
      const update = await slack().waitFor((calls) => calls.filter((c) => c.method === 'views.update')[n - 1]);
      expect(update.body.view_id).toBe('V1');
      const next = update.body.view as Json;
      expect(checkModalLimits(next)).toEqual([]);
      return next;
    };
    const second = await turn(first, ACTION.fullListNext, 1);
    expect(JSON.stringify(second)).toContain('Page 2 of 3');
    const third = await turn(second, ACTION.fullListNext, 2);
    expect(JSON.stringify(third)).toContain('Page 3 of 3');
    expect(button(third.blocks as unknown[], ACTION.fullListNext)).toBeNull();
    const all = [...page1, ...namesOn(second), ...namesOn(third)];
    expect(all).toHaveLength(50);
    expect(new Set(all).size).toBe(50);
    const back = await turn(third, ACTION.fullListPrevious, 3);
    expect(namesOn(back)).toEqual(namesOn(second));

    // The owner's DM, in the same form: its full list holds the owner's 25 only.
    const dm = posts.find((c) => c.body.channel === OWNER)!;
    expect(String(dm.body.text)).toBe('25 warnings about channels you look after need attention');
    const dmBlocks = dm.body.blocks as KnownBlock[];
    expect(JSON.stringify(dmBlocks)).toContain('and 5 more');
    const dmFull = button(dmBlocks, ACTION.fullList)!;
    const dmMessage = answered.get(OWNER)!;
    await slack().interaction(
      blockActions({
        team,
        user: OWNER,
        actionId: ACTION.fullList,
        value: dmFull.value,
        blockId: dmFull.blockId,
        message: { channel: OWNER, ts: dmMessage, blocks: dmBlocks },
        responseUrl: slack().fake.responseUrl(),
      }),
    );
    const dmOpen = await slack().waitFor((calls) => calls.filter((c) => c.method === 'views.open')[1]);
    const dmView = dmOpen.body.view as Json;
    expect(JSON.stringify(dmView)).toContain(`<@${OWNER}>'s 25 warnings`);
    expect(JSON.stringify(dmView)).toContain('Page 1 of 2');
    expect(namesOn(dmView).every((name) => Number(name.slice(5)) <= 25)).toBe(true);
  });
});
