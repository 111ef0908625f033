// `npm install` builds dist/ (the `prepare` script). A production install keeps the dist/ it has:
// it has no type packages to build with.
'use strict';
const { execFileSync } = require('node:child_process');
const { keepBuildOrExplain, productionInstall, root } = require('./install-mode');

if (productionInstall()) keepBuildOrExplain('a production install (--omit=dev) cannot build: TypeScript and the type packages are development tools');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  keepBuildOrExplain('TypeScript is not installed');
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
