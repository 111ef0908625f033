/** Words for people: plurals, and lists that end with "and N more" without cutting an item. */
import { count, joinList, personLabel } from '../src/words';

describe('words', () => {
  it('counts with the right plural', () => {
    expect([count(0, 'channel'), count(1, 'channel'), count(2, 'step'), count(1, 'person', 'people'), count(1234, 'warning')]).toEqual([
      '0 channels',
      '1 channel',
      '2 steps',
      '1 person',
      '1,234 warnings',
    ]);
  });

  it('joins a list within a number of items or characters, never cutting one', () => {
    const names = Array.from({ length: 404 }, (_, i) => `Channel number ${i + 1}`);
    expect(joinList(names.slice(0, 3))).toBe('Channel number 1, Channel number 2, Channel number 3');
    expect(joinList(names, { items: 2 })).toBe('Channel number 1, Channel number 2 and 402 more');
    for (const chars of [30, 100, 1000, 2900]) {
      const text = joinList(names, { chars });
      expect(text.length).toBeLessThanOrEqual(chars);
      const [, listed, more] = /^(.*) and (\d+) more$/.exec(text)!;
      const items = listed!.split(', ');
      expect(items.every((item) => names.includes(item))).toBe(true);
      expect(items.length + Number(more)).toBe(404);
    }
    expect(joinList(names, { chars: 10 })).toBe('404 more');
    expect(joinList(names.slice(0, 2), { chars: 34 })).toBe('Channel number 1, Channel number 2');
  });

  it('names a person, or gives the id when no name is known', () => {
    expect(personLabel('U0123ABCD', 'Maya')).toBe('Maya (@U0123ABCD)');
    expect(personLabel('U0123ABCD', null)).toBe('U0123ABCD');
  });
});
