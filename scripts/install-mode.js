// What kind of `npm install` runs the lifecycle scripts (postinstall, prepare).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

/**
 * `npm ci --omit=dev` (or NODE_ENV=production) installs for production: npm still installs the
 * development tools that runtime packages name as optional peers (TypeScript, the Prisma CLI),
 * but not the type packages a build needs, so nothing may be built then.
 */
function productionInstall() {
  const lifecycle = ['postinstall', 'prepare'].includes(process.env.npm_lifecycle_event ?? '');
  return lifecycle && (/\bdev\b/.test(process.env.npm_config_omit ?? '') || process.env.NODE_ENV === 'production');
}

/** A production install keeps the build it finds; with none (a clean clone) it says what to run. */
function keepBuildOrExplain(what) {
  if (fs.existsSync(path.join(root, 'dist', 'cli', 'index.js'))) process.exit(0);
  console.error(
    `channel-keeper: ${what}, and nothing is built yet.\n` +
      'From a clone, install for production with: npm ci && npm run build && npm run prune:production (docs/deploy.md)',
  );
  process.exit(1);
}

module.exports = { productionInstall, keepBuildOrExplain, root };
