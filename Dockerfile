# syntax=docker/dockerfile:1
# Channel Keeper as a container: a build stage with the whole toolchain, and a slim runtime stage
# holding only what `serve` needs (docs/deploy.md). scripts/docker-stages.js runs these stages'
# commands without Docker, and test/e2e/production-install.test.ts runs that.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
COPY . .
# The production install from a clone (docs/deploy.md): install everything, build, drop the
# development tools. better-sqlite3 compiles here when no prebuilt binary can be downloaded.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund && npm run build && npm run prune:production
# The SQLite folder, handed to the runtime stage owned by its `node` user.
RUN mkdir -p data

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
# The SQLite database lives in /app/data (mount a volume there); the image's `node` user owns it.
COPY --from=build --chown=node:node /app/data ./data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# serve finishes the delivery in flight on SIGTERM, then exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["bin/docker-entrypoint.sh"]
CMD ["serve"]
