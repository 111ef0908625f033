#!/usr/bin/env node
// Development only: the `channel-keeper` command straight from the TypeScript sources through tsx
// (`npm run dev -- <command>`), no build step. Users run bin/channel-keeper.js (compiled).
'use strict';
require('dotenv').config({ quiet: true });
require('tsx/cjs');
require('../src/cli/index.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
