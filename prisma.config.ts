// Prisma CLI configuration. The app itself never reads this: it builds its own driver adapter
// from DATABASE_URL (src/store/client.ts) and migrates through `channel-keeper migrate`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations/sqlite' },
});
