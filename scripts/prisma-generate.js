// `prisma generate` for both databases, offline: runs on `npm install` (postinstall).
// Prisma's CLI tries to download its native schema engine first; PRISMA_SCHEMA_ENGINE_BINARY
// (Prisma's documented override) skips that. Only set when absent, so a real engine is kept.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { keepBuildOrExplain, productionInstall, root } = require('./install-mode');

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(__dirname, 'no-native-engine.js');

// A production install keeps the client compiled into dist/: the Prisma CLI is a development tool.
if (productionInstall()) keepBuildOrExplain('a production install (--omit=dev) does not generate the Prisma client');
let prismaCli;
try {
  prismaCli = require.resolve('prisma/build/index.js', { paths: [root] });
} catch {
  keepBuildOrExplain('the Prisma CLI is not installed');
}

// prisma/postgresql/schema.prisma is committed (derived by `npm run db:schema`), not rewritten here,
// so the drift test can catch a source change that was not carried over.
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
}
