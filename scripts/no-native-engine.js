#!/usr/bin/env node
// Stands in for Prisma's native schema engine, which cannot be downloaded on offline machines.
// `prisma generate` only needs the file to exist; anything that would run it gets this message.
console.error(
  'channel-keeper: the native Prisma schema engine is not installed. ' +
    'Use `npx channel-keeper migrate` to apply migrations and `npm run db:migration -- <name>` to write one.',
);
process.exit(1);
