// Derives prisma/postgresql/schema.prisma from the one source schema (prisma/schema.prisma):
// a generated client is bound to one provider, so PostgreSQL gets its own copy with only the
// provider and output lines swapped. test/store/schema-drift.test.ts fails when they drift.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'prisma', 'schema.prisma');
const target = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

function derivePostgresSchema(text) {
  const swapped = text
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output(\s*)=\s*"\.\.\/src\/generated\/sqlite"/, 'output$1= "../../src/generated/postgresql"');
  if (swapped === text || !swapped.includes('"postgresql"') || !swapped.includes('generated/postgresql')) {
    throw new Error('prisma/schema.prisma no longer has the provider/output lines this script swaps');
  }
  return '// GENERATED from prisma/schema.prisma by scripts/derive-postgres-schema.js: do not edit.\n' + swapped;
}

function writePostgresSchema() {
  const text = derivePostgresSchema(fs.readFileSync(source, 'utf8'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  return target;
}

module.exports = { derivePostgresSchema, writePostgresSchema, source, target };

if (require.main === module) console.log(`wrote ${path.relative(root, writePostgresSchema())}`);
