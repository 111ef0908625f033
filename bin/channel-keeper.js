#!/usr/bin/env node
// The `channel-keeper` command: runs the compiled JavaScript in dist/ (`npm run build`, done by
// `npm install` through the `prepare` script). Development runs the sources with `npm run dev`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('channel-keeper: not built yet: run "npm run build" (npm install does it) and try again\n');
  process.exit(2);
}
// `.env` in the working directory, when present, fills in variables the environment does not set.
require('dotenv').config({ quiet: true });
require(entry)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
