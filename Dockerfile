# syntax=docker/dockerfile:1
# Product Service, Node runtime (src/server.ts built to dist/server.js).
#   docker build -t product-service .
#   docker run --rm -e DATABASE_URL=… product-service node dist/migrate.js   # migrations (one-shot)
#   docker run -p 3000:3000 -e DATABASE_URL=… -e JWT_SECRET=… product-service
# test/tooling/parity.test.ts runs the same artefact without Docker: it reads this file's final-stage
# `npm ci` and CMD, builds with scripts/build-node.ts and runs the HTTP contract suites against it.

# Official slim image, pinned to the Node release the project tests with (package.json's `node` devDependency).
ARG NODE_IMAGE=node:22.23.3-trixie-slim

# ---- production dependencies only (cached until package.json / package-lock.json change)
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# No production dependency has an install script; --ignore-scripts keeps it that way.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- build: every dependency from the lockfile (cached), then the docs assets and the server bundle
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the base image already is Node 22, so the `node` devDependency need not download
# another (npm then links no `node` bin and scripts use the image's); esbuild needs no postinstall.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY drizzle ./drizzle
COPY public ./public
RUN npm run docs:assets && npm run build:node

# ---- runtime: Node, production node_modules, the bundle, static files and migrations; nothing else
FROM ${NODE_IMAGE} AS runtime
ARG BUILD_COMMIT=unknown
ARG BUILD_VERSION=0.0.0
# npm and corepack are not needed to run the service (CMD is plain node); removing them drops
# their bundled dependencies from the image and from the vulnerability scan.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
WORKDIR /app
ENV NODE_ENV=production \
    ENVIRONMENT=production \
    PORT=3000 \
    BUILD_COMMIT=${BUILD_COMMIT} \
    BUILD_VERSION=${BUILD_VERSION}
# Owned by root and read-only for the service user: the process can change none of its own code.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/public ./public
COPY drizzle ./drizzle
# The official image's unprivileged user (uid 1000).
USER node
EXPOSE 3000
# /health never touches the database, so a database outage does not get the container restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (no npm wrapper), so SIGTERM reaches the server's graceful shutdown.
CMD ["node", "--enable-source-maps", "dist/server.js"]
