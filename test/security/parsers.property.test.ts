/**
 * Property tests with arbitrary Unicode: the CSV parser and the slash-command parser never crash,
 * names survive export → import and Slack's escaping → decoding, and whatever a name holds,
 * the text shown for it carries no live mention.
 */
import fc from 'fast-check';
import { decodeSlackText, joinWords, tokenize } from '../../src/bot/parse';
import { channelName, escapeMrkdwn } from '../../src/bot/mrkdwn';
import { nameKeyOf, nameProblem } from '../../src/domain';
import { exportedConnection, formatCsv } from '../../src/transfer/export-connections';
import { parseConnectionsCsv } from '../../src/transfer/parse-csv';
import type { Connection } from '../../src/domain';
import { liveMentions } from './support';
import { makeConnection } from '../rules/factories';

const RUNS = { numRuns: 300 };

/** Names people could store: any Unicode the name rules accept, trimmed, without quote marks (they group words). */
const storableName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
  .map((s) => s.replace(/\s+/gu, ' ').trim())
  .filter((s) => s !== '' && nameProblem(s) === null);

/** What Slack sends for typed text: `&`, `<`, `>` escaped. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function connection(name: string): Connection {
  return makeConnection({ name, ownerId: 'UOWNER1', connectedAt: '2026-01-05', backups: [] });
}

describe('CSV parser with arbitrary Unicode', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const parsed = parseConnectionsCsv(`network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status\n${text}`);
        expect(Array.isArray(parsed.rows) && Array.isArray(parsed.problems)).toBe(true);
      }),
      RUNS,
    );
  });

  it('export → import gives every storable name back (formula-leading ones included)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            storableName,
            storableName.map((n) => `=${n}`),
            storableName.map((n) => `'-${n}`),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (names) => {
          const csv = formatCsv(names.map((n) => exportedConnection(connection(n))));
          const parsed = parseConnectionsCsv(csv);
          expect(parsed.problems).toEqual([]);
          expect(parsed.rows.map((r) => r.values.name)).toEqual(names);
          for (const line of csv.split('\n').slice(1)) expect(line).not.toMatch(/^"?[=+\-@]/);
        },
      ),
      RUNS,
    );
  });
});

describe('slash-command parser with arbitrary Unicode', () => {
  it('never throws, and a quoted name round-trips through Slack’s escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        tokenize(slackEscape(text));
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        storableName.filter((n) => !/["“”]/.test(n)),
        (name) => {
          const [word] = tokenize(`"${slackEscape(name)}"`);
          expect(word?.text).toBe(name);
          expect(nameKeyOf(joinWords(tokenize(slackEscape(name))))).toBe(nameKeyOf(name));
        },
      ),
      RUNS,
    );
  });

  it('decoding is the inverse of Slack’s escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => expect(decodeSlackText(slackEscape(text))).toBe(text)),
      RUNS,
    );
  });

  it('whatever a name holds, the text shown for it has no live mention, broadcast or link', () => {
    const hostile = fc.array(
      fc.oneof(
        fc.constantFrom('<!channel>', '<@U123ABC>', '<#C1>', '<https://x.example|y>', '&', '<', '>', '&lt;', '@here'),
        fc.string({ unit: 'grapheme', maxLength: 5 }),
      ),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(hostile, (parts) => {
        const name = decodeSlackText(joinWords(tokenize(slackEscape(parts.join(' ')))));
        expect(liveMentions(escapeMrkdwn(name))).toEqual([]);
        expect(liveMentions(channelName(name))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('look-alikes share one key: case, spacing, fullwidth forms and invisible characters do not count', () => {
    fc.assert(
      fc.property(storableName, fc.constantFrom(' ', '\u00a0', '\u2003', '  '), (name, space) => {
        const lookAlike = name
          .toUpperCase()
          .replace(/ /g, space)
          .replace(/[A-Za-z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
        expect(nameKeyOf(`\u200b ${lookAlike} `)).toBe(nameKeyOf(name));
      }),
      RUNS,
    );
  });
});
