#!/usr/bin/env node
// The `channel-keeper` command. The TypeScript sources run through tsx's loader (esbuild,
// no build step), so a fresh clone works right after `npm install`.
'use strict';
// `.env` in the working directory, when present, fills in variables the environment does not set.
require('dotenv').config({ quiet: true });
require('tsx/cjs');
require('../src/cli/index.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
