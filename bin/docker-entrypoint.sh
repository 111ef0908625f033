#!/bin/sh
# The container's entrypoint: `serve` (the default command) applies pending migrations with
# `channel-keeper migrate` first, so a failed migration stops the container before it serves;
# any other command (`check`, `workspaces`, `migrate`…) runs as given.
set -e
if [ "${1:-serve}" = "serve" ]; then
  node bin/channel-keeper.js migrate
fi
# exec: node receives the container's SIGTERM itself.
exec node bin/channel-keeper.js "$@"
