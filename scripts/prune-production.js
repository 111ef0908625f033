#!/usr/bin/env node
// `npm run prune:production`: the last step of a production install (`npm ci && npm run build &&
// npm run prune:production`). `npm prune --omit=dev` keeps a development package that a runtime
// package names as an optional peer: @prisma/client names the Prisma CLI and TypeScript, so both
// (and the Prisma CLI's own tree, about 220 MB) would stay. The lockfile flags exactly those
// packages `devOptional` (needed in development, optional in production); they are removed here.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const npm = process.env.npm_execpath;
execFileSync(npm ? process.execPath : 'npm', [...(npm ? [npm] : []), 'prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });

const lockfiles = [path.join(root, 'package-lock.json'), path.join(root, 'node_modules', '.package-lock.json')];
const { packages } = JSON.parse(fs.readFileSync(lockfiles[0], 'utf8'));
const devOptional = Object.keys(packages).filter((location) => location && packages[location].devOptional);
for (const location of devOptional) fs.rmSync(path.join(root, location), { recursive: true, force: true });
// npm's record of node_modules (the hidden lockfile) forgets them too, so `npm ls` agrees.
if (fs.existsSync(lockfiles[1])) {
  const hidden = JSON.parse(fs.readFileSync(lockfiles[1], 'utf8'));
  for (const location of devOptional) delete hidden.packages[location];
  fs.writeFileSync(lockfiles[1], `${JSON.stringify(hidden, null, 2)}\n`);
}
// Their commands in node_modules/.bin point at removed files.
const bin = path.join(root, 'node_modules', '.bin');
for (const name of fs.existsSync(bin) ? fs.readdirSync(bin) : []) {
  const link = path.join(bin, name);
  if (!fs.existsSync(link)) fs.rmSync(link, { force: true });
}
console.error(`channel-keeper: removed ${devOptional.length} development packages that runtime packages name only as optional peers`);
