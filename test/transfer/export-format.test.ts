import { exportedConnection, formatCsv, formatJson } from '../../src/transfer/export-connections';
import { parseConnectionsCsv } from '../../src/transfer/parse-csv';
import { makeConnection } from '../rules/factories';

function withBackups(...userIds: string[]) {
  const c = makeConnection({ name: 'Acme', ownerId: 'U0OWNER1', url: null, lastRefreshedAt: null, ownerLastActiveAt: '2026-11-01' });
  return { ...c, backups: userIds.map((userId) => ({ connectionId: c.id, userId, addedBy: 'U1', addedAt: new Date(0) })) };
}

describe('export formats', () => {
  it('sorts backups, so two exports of the same data are identical', () => {
    expect(exportedConnection(withBackups('U0B9', 'U0B1')).backups).toEqual(['U0B1', 'U0B9']);
  });

  it('writes empty cells for missing values in CSV and null in JSON', () => {
    const row = exportedConnection(withBackups());
    expect(formatCsv([row]).split('\n')[1]).toBe(`linkedin,${row.kind},Acme,,U0OWNER1,${row.connected_at},,2026-11-01,,${row.status},,`);
    expect(JSON.parse(formatJson([row]))[0]).toMatchObject({ url: null, last_refreshed_at: null, backups: [] });
  });

  it('quotes what needs quoting, so the parser reads back exactly what was written', () => {
    const names = ['Acme, "Careers"', 'شركة أكمي', '🚀 Launch', ' =formula'];
    const rows = names.map((name) => ({ ...exportedConnection(withBackups('U0B1', 'U0B2')), name }));
    const { rows: parsed, problems } = parseConnectionsCsv(formatCsv(rows));
    expect(problems).toEqual([]);
    expect(parsed.map((r) => [r.values.name, r.values.backups])).toEqual(names.map((name) => [name.trim(), 'U0B1;U0B2']));
  });
});
