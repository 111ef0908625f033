// `npm install` builds dist/ (the `prepare` script). TypeScript is a development tool: a production
// install over a built tree (`npm ci --omit=dev` with dist/ in place) keeps the dist/ it has.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  if (fs.existsSync(path.join(root, 'dist', 'cli', 'index.js'))) process.exit(0);
  console.error(
    'channel-keeper: TypeScript is not installed (a production install leaves out development tools), and nothing is built yet.\n' +
      'From a clone, install for production with: npm ci && npm run build && npm prune --omit=dev (see docs/deploy.md)',
  );
  process.exit(1);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
