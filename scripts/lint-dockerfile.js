#!/usr/bin/env node
// `npm run lint:docker`: the Dockerfile checked by dockerfile-utils (the validator of Docker's
// language service): instruction syntax, flags, durations, signals, ports, stage names. It needs
// no Docker engine. Warnings fail too.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { validate } = require('dockerfile-utils');

const file = path.join(__dirname, '..', 'Dockerfile');
const text = fs.readFileSync(file, 'utf8');
const problems = validate(text);
for (const problem of problems) {
  process.stderr.write(`Dockerfile:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.message}\n`);
}
if (problems.length) process.exit(1);
