// `prisma generate` for both databases, offline: runs on `npm install` (postinstall).
// Prisma's CLI tries to download its native schema engine first; PRISMA_SCHEMA_ENGINE_BINARY
// (Prisma's documented override) skips that. Only set when absent, so a real engine is kept.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(__dirname, 'no-native-engine.js');

let prismaCli;
try {
  prismaCli = require.resolve('prisma/build/index.js', { paths: [root] });
} catch {
  // The Prisma CLI is a development tool: `npm ci --omit=dev` over a built tree keeps the client
  // compiled into dist/. A clean clone has no build to keep.
  if (fs.existsSync(path.join(root, 'dist', 'generated', 'sqlite'))) process.exit(0);
  console.error(
    'channel-keeper: the Prisma CLI is not installed (a production install leaves out development tools), and nothing is built yet.\n' +
      'From a clone, install for production with: npm ci && npm run build && npm prune --omit=dev (see docs/deploy.md)',
  );
  process.exit(1);
}

// prisma/postgresql/schema.prisma is committed (derived by `npm run db:schema`), not rewritten here,
// so the drift test can catch a source change that was not carried over.
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
