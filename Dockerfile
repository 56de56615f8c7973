# syntax=docker/dockerfile:1
# Build stage: compile better-sqlite3's native addon and install production dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .

# Run stage: the app, its data and node_modules, as a non-root user; the database lives on a volume.
FROM node:24-bookworm-slim
ENV NODE_ENV=production DATABASE_PATH=/data/hoichinhsach.db PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
CMD ["node", "bin/hoichinhsach.mjs", "serve"]
