#!/usr/bin/env node
// The container's HEALTHCHECK: GET /healthz on the bot's own port; exit 0 when it answers 200.
// The runtime image has no curl, so Node asks.
'use strict';
const http = require('node:http');

const port = process.env.PORT || '3000';
const fail = (why) => {
  process.stderr.write(`healthcheck: /healthz on port ${port} ${why}\n`);
  process.exit(1);
};
http
  .get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (response) => {
    response.resume();
    if (response.statusCode === 200) process.exit(0);
    fail(`answered ${response.statusCode}`);
  })
  .on('timeout', () => fail('did not answer within 4 s'))
  .on('error', (error) => fail(`did not answer: ${error.message}`));
