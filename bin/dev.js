#!/usr/bin/env node
// Development only: the `channel-keeper` command straight from the TypeScript sources through tsx
// (`npm run dev -- <command>`, which starts node with `--import tsx`: the commands load their work
// with import(), which needs tsx's ESM hook too), no build step. Users run bin/channel-keeper.js (compiled).
'use strict';
require('dotenv').config({ quiet: true });
require('../src/cli/index.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
