import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { derivePostgresSchema } = require(path.join(root, 'scripts', 'derive-postgres-schema.js'));

describe('the PostgreSQL schema', () => {
  it('is exactly what scripts/derive-postgres-schema.js makes of prisma/schema.prisma (run npm run db:schema)', () => {
    const source = fs.readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
    const committed = fs.readFileSync(path.join(root, 'prisma', 'postgresql', 'schema.prisma'), 'utf8');
    expect(committed).toBe(derivePostgresSchema(source));
  });

  it('differs from the source only in its provider and output lines (and the header)', () => {
    const source = fs.readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8').split('\n');
    const derived = (derivePostgresSchema(source.join('\n')) as string).split('\n').slice(1);
    const changed = source.filter((line, i) => line !== derived[i]);
    expect(changed.map((line) => line.trim().split(/\s+/)[0])).toEqual(['output', 'provider']);
  });

  it('refuses a source schema that no longer has the lines it swaps', () => {
    expect(() => derivePostgresSchema('datasource db {\n provider = "mysql"\n}')).toThrow(/provider\/output/);
  });

  it('has migrations for both databases with the same names', () => {
    const names = (provider: string) =>
      fs
        .readdirSync(path.join(root, 'prisma', 'migrations', provider), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    expect(names('postgresql')).toEqual(names('sqlite'));
    expect(names('sqlite').length).toBeGreaterThan(0);
  });
});
