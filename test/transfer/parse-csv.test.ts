import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CSV_COLUMNS } from '../../src/transfer/columns';
import { decodeCsvText, openCsvFile } from '../../src/transfer/read-file';
import { parseConnectionsCsv, streamCsvRows } from '../../src/transfer/parse-csv';
import { HEADER, csvFile, csvLine } from './csv';

describe('parseConnectionsCsv: structure', () => {
  it('reads rows keyed by column, with the file line of each (header = line 1)', () => {
    const { rows, problems } = parseConnectionsCsv(csvFile(csvLine({ name: 'One' }), csvLine({ name: 'Two' })));
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.line, r.values.name])).toEqual([
      [2, 'One'],
      [3, 'Two'],
    ]);
    expect(Object.keys(rows[0]!.values).sort()).toEqual([...CSV_COLUMNS].sort());
  });

  it.each<[string, string]>([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('counts lines the same with %s endings, blank lines and quoted line breaks included', (_name, eol) => {
    const text = [HEADER, csvLine({ name: 'One' }), '', csvLine({ name: 'Two', url: `"https://a.example${eol}more"` }), csvLine({ name: 'Three' }), ''].join(
      eol,
    );
    const { rows } = parseConnectionsCsv(text);
    expect(rows.map((r) => [r.line, r.values.name, r.values.status])).toEqual([
      [2, 'One', ''],
      [4, 'Two', ''],
      [6, 'Three', ''],
    ]);
    expect(rows[1]!.values.url).toBe('https://a.example\nmore');
  });

  it('ignores a UTF-8 byte order mark before the header', () => {
    const { rows, problems } = parseConnectionsCsv(`\uFEFF${csvFile(csvLine())}`);
    expect(problems).toEqual([]);
    expect(rows[0]!.values.network).toBe('linkedin');
  });

  it('keeps quoted commas, quotes, emoji and right-to-left names intact', () => {
    const text = csvFile(csvLine({ name: '"Acme, Careers ""EU"" 🚀"' }), csvLine({ name: 'شركة أكمي' }), csvLine({ name: '"אקמי, בע""מ"' }));
    expect(parseConnectionsCsv(text).rows.map((r) => r.values.name)).toEqual(['Acme, Careers "EU" 🚀', 'شركة أكمي', 'אקמי, בע"מ']);
  });

  it('numbers rows after a quoted value that spans lines by the line they start on', () => {
    const text = csvFile(csvLine({ url: '"https://a.example\nsecond line"' }), csvLine({ name: 'After' }));
    expect(parseConnectionsCsv(text).rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('trims values and accepts the header in any order and case', () => {
    const header = [...CSV_COLUMNS]
      .reverse()
      .map((c) => ` ${c.toUpperCase()} `)
      .join(',');
    const line = [...CSV_COLUMNS]
      .reverse()
      .map((c) => (c === 'name' ? '  Acme  ' : c === 'network' ? 'linkedin' : ''))
      .join(',');
    const { rows, problems } = parseConnectionsCsv(`${header}\n${line}\n`);
    expect(problems).toEqual([]);
    expect(rows[0]!.values).toMatchObject({ name: 'Acme', network: 'linkedin', kind: '' });
  });

  it('skips rows that are only commas or spaces (spreadsheet leftovers)', () => {
    const text = csvFile(csvLine(), ',,,,,,,,,', '   ', csvLine({ name: 'Last' }));
    const { rows, problems } = parseConnectionsCsv(text);
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
  });

  it('reads a header with no rows as an empty import', () => {
    expect(parseConnectionsCsv(`${HEADER}\n`)).toEqual({ rows: [], problems: [] });
  });
});

describe('parseConnectionsCsv: refused files', () => {
  const ALL = CSV_COLUMNS.join(',');
  it.each<[string, string, { line: number; message: RegExp }[]]>([
    ['an empty file', '', [{ line: 1, message: /the file is empty: expected a header row network,kind,name/ }]],
    ['only blank lines', '\n \r\n\n', [{ line: 1, message: /the file is empty/ }]],
    ['only a BOM', '\uFEFF', [{ line: 1, message: /the file is empty/ }]],
    ['an unknown header column', `${ALL},notes\n`, [{ line: 1, message: /an unknown column in the header: "notes"; the columns are network,kind,name,/ }]],
    [
      'missing header columns',
      'network,kind,name\n',
      [{ line: 1, message: /missing columns in the header: url, owner, connected_at, last_refreshed_at, owner_last_active_at, backups, status/ }],
    ],
    [
      'a data row where the header should be',
      `${csvLine({ status: 'connected', tool: 'buffer' })}\n`,
      [
        { line: 1, message: /unknown column/ },
        { line: 1, message: /missing column/ },
      ],
    ],
    ['a column named twice', `${ALL},name\n`, [{ line: 1, message: /a column named twice in the header: name/ }]],
    [
      'a row with too few fields',
      csvFile(csvLine(), 'linkedin,company_page,Acme,https://x'),
      [{ line: 3, message: /^4 fields, expected 12 .*quote values that contain commas/ }],
    ],
    ['a row with too many fields (unquoted comma)', csvFile(csvLine({ name: 'Acme, Careers' })), [{ line: 2, message: /^13 fields, expected 12/ }]],
    [
      'several bad rows, each listed',
      csvFile('a,b', csvLine(), 'c', csvLine({ name: 'x,y' })),
      [
        { line: 2, message: /^2 field/ },
        { line: 4, message: /^1 field/ },
        { line: 5, message: /^13 field/ },
      ],
    ],
    ['an unclosed quote', csvFile(csvLine(), csvLine({ name: '"Acme' })), [{ line: 3, message: /malformed CSV: Quote Not Closed/ }]],
  ])('%s', (_name, text, expected) => {
    const { problems } = parseConnectionsCsv(text);
    expect(problems.map((p) => p.line)).toEqual(expected.map((e) => e.line));
    problems.forEach((p, i) => expect(p.message).toMatch(expected[i]!.message));
  });
});

describe('streamCsvRows: the same rows as parseConnectionsCsv, however the bytes arrive', () => {
  async function streamed(text: string, chunk: number) {
    const bytes = Buffer.from(text, 'utf8');
    const parts = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
    const items = [];
    for await (const item of streamCsvRows(Readable.from(parts).pipe(decodeCsvText('t.csv')))) items.push(item);
    return {
      rows: items.flatMap((i) => ('row' in i ? [i.row] : [])),
      problems: items.flatMap((i) => ('problem' in i ? [i.problem] : [])),
    };
  }

  it.each([1, 2, 3, 7, 64])('in chunks of %i bytes (CRLF and multi-byte characters split across chunks)', async (chunk) => {
    const text = `\uFEFF${[HEADER, csvLine({ name: '"Acme, Careers 🚀"' }), '', csvLine({ name: 'שלום', url: '"a\r\nb"' }), csvLine({ network: 'a,b' })].join('\r\n')}\r\n`;
    expect(await streamed(text, chunk)).toEqual(parseConnectionsCsv(text));
  });

  it('reports a file that is not UTF-8 as one error', async () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a])]);
    const consume = async () => {
      for await (const _ of streamCsvRows(Readable.from([bytes]).pipe(decodeCsvText('latin1.csv')))) void _;
    };
    await expect(consume()).rejects.toThrow('latin1.csv is not UTF-8 text');
  });
});

describe('openCsvFile', () => {
  it('refuses a file over the size limit, naming both sizes', () => {
    const file = path.join(process.env.CK_TEST_DIR!, 'big.csv');
    fs.writeFileSync(file, 'x'.repeat(2 * 1024 * 1024));
    expect(() => openCsvFile(file, 1024 * 1024)).toThrow(/big\.csv is 2\.0 MB; the import limit is 1\.0 MB: split it into several files/);
  });
});
