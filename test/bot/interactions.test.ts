/** One codec per interactive element: what a builder encodes, its listener decodes; anything else is not ours. */
import { actionElements, actionsFor, itemMenu } from '../../src/bot/blocks/warning-actions';
import { ACTION, CODEC } from '../../src/bot/interactions';
import { FINDING_KINDS } from '../../src/domain';

describe('interaction codecs', () => {
  it("every digest option and warning element the builders write decodes with its listener's codec", () => {
    for (const kind of FINDING_KINDS) {
      for (const stage of ['7d', 'expired', kind]) {
        const target = { connectionId: 7, warningIds: [3] };
        const actions = actionsFor(kind, stage, true).map((action) => ({ action, target }));
        for (const option of itemMenu(actions).options) {
          const decoded = CODEC.itemMenuOption.decode(option.value);
          expect(decoded).toMatchObject({ ...target, action: expect.any(String) });
          expect(JSON.parse(CODEC.itemMenuOption.encode(decoded!))).toEqual(JSON.parse(option.value ?? 'null'));
        }
        for (const element of actionElements(actions)) {
          if (element.type === 'static_select')
            for (const o of element.options!) expect(CODEC.snoozeOption.decode(o.value)).toMatchObject({ ...target, snooze: expect.any(String) });
          else expect(CODEC.button.decode((element as { value: string }).value)).toEqual(target);
        }
      }
    }
  });

  it.each([
    ['not JSON', 'garbage'],
    ['an array', '[1,2]'],
    ['no channel', '{"action":"ck_mark_refreshed","warningIds":[1]}'],
    ['the old hand-written shape', '{"connectionId":1,"warningIds":[1],"do":"refresh"}'],
    ['an action no menu holds', '{"connectionId":1,"action":"ck_confirm_remove"}'],
    ['a snooze without a length', `{"connectionId":1,"action":"${ACTION.snooze}"}`],
    ['a snooze length we do not offer', `{"connectionId":1,"action":"${ACTION.snooze}","snooze":"99w"}`],
  ])('refuses %s as a digest option', (_what, raw) => {
    expect(CODEC.itemMenuOption.decode(raw)).toBeNull();
  });

  it('pages and modal metadata round-trip; forged fields are dropped', () => {
    for (const page of [
      { list: 'status' as const, filter: 'at-risk', page: 2 },
      { list: 'history' as const, connectionId: 4, page: 1 },
      { list: 'history' as const, page: 0 },
    ]) {
      expect(CODEC.page.decode(CODEC.page.encode(page))).toEqual(page);
    }
    expect(CODEC.page.decode('{"list":"status","page":-1}')).toBeNull();
    const metadata = { connectionId: 5, responseUrl: 'https://hooks.slack.com/x', fromCard: true, message: { channel: 'C1', ts: '1.2' } };
    expect(CODEC.modal.decode(CODEC.modal.encode(metadata))).toEqual(metadata);
    expect(CODEC.modal.decode('{"connectionId":"5","fromCard":"yes","extra":1}')).toEqual({});
    expect(CODEC.modal.decode('nope')).toEqual({});
  });
});
