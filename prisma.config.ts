// Prisma CLI configuration (`npx prisma migrate status`, `migrate deploy`…). The app itself never
// reads this: it builds its own driver adapter from DATABASE_URL (src/store/client.ts) and migrates
// through `channel-keeper migrate`. Here DATABASE_URL names the datasource the same way: unset, the
// default SQLite file; `file:` paths relative to the working directory; `postgresql://` selects
// the PostgreSQL schema and its migrations.
import path from 'node:path';
import 'dotenv/config';
import { defineConfig } from 'prisma/config';

const DEFAULT_DATABASE_URL = 'file:./data/channel-keeper.db';
const raw = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
const postgres = /^postgres(ql)?:\/\//.test(raw);
// The app resolves a relative SQLite path against the working directory; Prisma would resolve it
// against the schema's folder, so it is made absolute here.
const url = raw.startsWith('file:') ? `file:${path.resolve(raw.slice('file:'.length).split('?')[0] ?? '')}` : raw;

export default defineConfig({
  schema: postgres ? 'prisma/postgresql/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: postgres ? 'prisma/migrations/postgresql' : 'prisma/migrations/sqlite' },
  datasource: { url },
});
