# syntax=docker/dockerfile:1
# Hỏi Chính Sách: `hoichinhsach serve` (Telegram and Zalo bots, webhooks, /healthz) in a container.
# Build: docker build -t hoichinhsach .     Run: see docs/channels-and-deployment.md (Docker).

ARG NODE_IMAGE=node:24-bookworm-slim

# === Build stage: all dependencies (with the toolchain better-sqlite3 needs when no prebuilt binary fits), the
# TypeScript compiled to dist/, then the development dependencies pruned away.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY bin ./bin
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node bin/build.mjs --force \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force
# Fail the build, not the first request, if the native addon does not load in this image.
RUN node -e "new (require('better-sqlite3'))(':memory:').close()"

# === Run stage: same base image (the addon is built against it), compiled JavaScript and runtime dependencies
# only (no TypeScript, no tsx or esbuild), no compiler, non-root, data on a volume.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATABASE_PATH=/data/hoichinhsach.db \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_LEVEL=info
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The entry script; without src/ it runs dist/ as it is and never compiles.
COPY --chown=node:node bin ./bin
# Data the compiled code reads from the repository root.
COPY --chown=node:node knowledge ./knowledge
COPY --chown=node:node flows ./flows
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# No curl in slim images: Node's own fetch checks /readyz (storage readable and writable now), which never
# calls Telegram or Zalo.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# serve stops gracefully on SIGTERM (docker stop): polling ends, updates in flight finish, then it exits.
STOPSIGNAL SIGTERM
CMD ["node", "bin/hoichinhsach.mjs", "serve"]
