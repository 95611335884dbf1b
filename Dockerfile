# syntax=docker/dockerfile:1
# mordecai-workers: one image, two apps (worker by default; the scheduler and the CLI override CMD).
#   docker build -t mordecai-workers .
#   docker run --env-file .env mordecai-workers                              # worker
#   docker run --env-file .env mordecai-workers node dist/main-scheduler.js   # scheduler
#   docker run --env-file .env mordecai-workers node dist/cli.js migrate      # migrations
# Node 22 is a current LTS that satisfies "engines" (>=20.19); CI tests on Node 20.
# Build with --build-arg NODE_VERSION=20 (or 24) to pin another LTS line.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# NODE_COMPILE_CACHE (Node >= 22.1): V8 code cache on disk; start-up is dominated by loading the
# dependency tree (see README "Start-up time"), and restarts of the container reuse the cache.
ENV NODE_ENV=production NODE_COMPILE_CACHE=/tmp/node-compile-cache
WORKDIR /app
# Only what runs: production node_modules, the compiled apps, package.json (version, bin).
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The image's unprivileged user (uid 1000); nothing here needs root.
USER node
# No port is exposed: the worker listens only when METRICS_PORT is set (operator /health, /metrics).
# SIGTERM drains running jobs for up to WORKER_SHUTDOWN_TIMEOUT_MS (default 90 s): give the
# container at least that long to stop (docker stop -t 120, compose stop_grace_period).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main-worker.js"]
