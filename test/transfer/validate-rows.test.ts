import fc from 'fast-check';
import { validateConnectionDates } from '../../src/rules/evaluate';
import type { Connection } from '../../src/domain';
import { parseConnectionsCsv } from '../../src/transfer/parse-csv';
import { validateRows } from '../../src/transfer/validate-rows';
import { makeConnection } from '../rules/factories';
import { csvFile, csvLine } from './csv';

const TODAY = '2026-11-28';

function check(...lines: string[]) {
  const { rows, problems } = parseConnectionsCsv(csvFile(...lines));
  expect(problems).toEqual([]);
  return validateRows(rows, TODAY);
}

describe('validateRows: every bad line, with its file line and reason', () => {
  it.each<[string, string[], [number, RegExp][]]>([
    [
      'unknown network, with the allowed list',
      [csvLine({ network: 'myspace' })],
      [[2, /^unknown network "myspace"; allowed: linkedin, facebook, instagram, x, tiktok, youtube, pinterest, threads$/]],
    ],
    [
      'unknown kind, with the allowed list',
      [csvLine({ kind: 'group' })],
      [[2, /^unknown kind "group"; allowed: company_page, showcase_page, profile, page, business_account, channel$/]],
    ],
    ['unknown status', [csvLine({ status: 'paused' })], [[2, /^unknown status "paused"; allowed: connected, disconnected/]]],
    ['an impossible date', [csvLine({ connected_at: '2026-02-30' })], [[2, /^connected_at "2026-02-30" is not a date \(YYYY-MM-DD\)$/]]],
    ['a non-ISO date', [csvLine({ last_refreshed_at: '03/01/2026' })], [[2, /^last_refreshed_at "03\/01\/2026" is not a date/]]],
    ['a date with a time', [csvLine({ owner_last_active_at: '2026-11-01T10:00' })], [[2, /^owner_last_active_at "2026-11-01T10:00" is not a date/]]],
    [
      'connected in the future',
      [csvLine({ connected_at: '2026-11-29', last_refreshed_at: '' })],
      [[2, /^connected_at 2026-11-29 is in the future \(today is 2026-11-28\)$/]],
    ],
    ['refreshed in the future', [csvLine({ last_refreshed_at: '2027-01-01' })], [[2, /^last_refreshed_at 2027-01-01 is in the future/]]],
    ['active in the future', [csvLine({ owner_last_active_at: '2026-11-29' })], [[2, /^owner_last_active_at 2026-11-29 is in the future/]]],
    [
      'refresh before connection',
      [csvLine({ connected_at: '2026-03-01', last_refreshed_at: '2026-02-28' })],
      [[2, /^last_refreshed_at 2026-02-28 is before connected_at 2026-03-01$/]],
    ],
    ['malformed owner', [csvLine({ owner: 'alice' })], [[2, /^owner "alice" is not a Slack user id \(like U0123ABCD\)$/]]],
    ['lower-case owner id', [csvLine({ owner: 'u0123abcd' })], [[2, /^owner "u0123abcd" is not a Slack user id/]]],
    ['a mention instead of an id', [csvLine({ owner: '<@U0123ABCD>' })], [[2, /^owner "<@U0123ABCD>" is not a Slack user id/]]],
    ['malformed backup', [csvLine({ backups: 'U0BACKUP1;@bob' })], [[2, /^backup "@bob" is not a Slack user id .*separate backups with ";"$/]]],
    ['backups separated by commas inside quotes', [csvLine({ backups: '"U0B1,U0B2"' })], [[2, /^backup "U0B1,U0B2" is not a Slack user id/]]],
    ['owner listed as a backup', [csvLine({ owner: 'U0OWNER1', backups: 'U0OWNER1' })], [[2, /^owner U0OWNER1 is also listed as a backup/]]],
    ['missing network', [csvLine({ network: '' })], [[2, /^network is required$/]]],
    ['missing kind', [csvLine({ kind: '' })], [[2, /^kind is required$/]]],
    ['missing name', [csvLine({ name: '' })], [[2, /^name is required$/]]],
    ['missing connected_at', [csvLine({ connected_at: '', last_refreshed_at: '' })], [[2, /^connected_at is required$/]]],
    ['a name on two lines', [csvLine({ name: '"Acme\nCareers"' })], [[2, /^name: The name cannot contain control characters/]]],
    [
      'duplicate name, case-insensitive, same network',
      [csvLine({ name: 'Acme' }), csvLine({ name: 'Other' }), csvLine({ name: ' ACME ' })],
      [[4, /^duplicate name "ACME" for linkedin: already on line 2/]],
    ],
    ['duplicate name written in another Unicode form', [csvLine({ name: 'Caf\u00e9' }), csvLine({ name: 'Cafe\u0301' })], [[3, /^duplicate name/]]],
    [
      'every problem of a line, and every bad line',
      [
        csvLine({ network: 'linkdin', connected_at: '2027-01-01', last_refreshed_at: '' }),
        csvLine({ name: 'Fine' }),
        csvLine({ name: 'Other', kind: 'wall', owner: 'nobody' }),
      ],
      [
        [2, /unknown network "linkdin"/],
        [2, /connected_at 2027-01-01 is in the future/],
        [4, /unknown kind "wall"/],
        [4, /owner "nobody"/],
      ],
    ],
  ])('%s', (_name, lines, expected) => {
    const { rows, problems } = check(...lines);
    expect(problems.map((p) => [p.line, p.message])).toEqual(expected.map(([line, message]) => [line, expect.stringMatching(message)]));
    expect(rows.map((r) => r.line).filter((line) => expected.some(([bad]) => bad === line))).toEqual([]);
  });
});

describe('validateRows: good rows', () => {
  it('turns a row into the connection the store takes', () => {
    const { rows, problems } = check(csvLine({ network: 'LinkedIn', kind: 'Company_Page', url: '', owner: '', backups: ' U0B2 ; U0B1;;U0B2 ', status: '' }));
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        connection: {
          network: 'linkedin',
          kind: 'company_page',
          name: 'Acme',
          url: null,
          ownerId: null,
          connectedAt: '2026-01-10',
          lastRefreshedAt: '2026-06-01',
          ownerLastActiveAt: '2026-11-01',
          status: 'connected',
          tool: null,
          retired: false,
          backups: ['U0B2', 'U0B1'],
        },
      },
    ]);
  });

  it.each([
    ['dates on today', csvLine({ connected_at: TODAY, last_refreshed_at: TODAY, owner_last_active_at: TODAY })],
    ['activity before the connection (people log in before they connect)', csvLine({ owner_last_active_at: '2025-01-01' })],
    ['a disconnected channel', csvLine({ status: 'disconnected' })],
    ['an Enterprise Grid user id', csvLine({ owner: 'W0123ABCD', backups: 'W0999;U0111' })],
  ])('accepts %s', (_name, line) => {
    expect(check(line).problems).toEqual([]);
  });

  it('allows one name on two networks', () => {
    const { rows, problems } = check(csvLine({ name: 'Acme' }), csvLine({ name: 'acme', network: 'facebook', kind: 'page' }));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(2);
  });

  it('accepts exactly the dates the checks can judge (validateConnectionDates)', () => {
    // Dates around today, with some impossible ones: import and the checks must never disagree.
    const date = fc.oneof(
      fc.integer({ min: -400, max: 3 }).map((offset) => new Date(Date.UTC(2026, 10, 28 + offset)).toISOString().slice(0, 10)),
      fc.constantFrom('2026-02-30', '2026-13-01'),
    );
    fc.assert(
      fc.property(date, fc.option(date, { nil: null }), fc.option(date, { nil: null }), (connectedAt, lastRefreshedAt, ownerLastActiveAt) => {
        const line = csvLine({ connected_at: connectedAt, last_refreshed_at: lastRefreshedAt ?? '', owner_last_active_at: ownerLastActiveAt ?? '' });
        const imported = check(line).problems.length === 0;
        const judged = validateConnectionDates(makeConnection({ connectedAt, lastRefreshedAt, ownerLastActiveAt } as Partial<Connection>), TODAY).length === 0;
        expect(imported).toBe(judged);
      }),
    );
  });
});
