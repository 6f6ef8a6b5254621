# One image for the API, the worker and the admin CLI: Node 24 runs the TypeScript sources directly
# (type stripping), so there is no build output to copy, only the sources and production dependencies.
FROM node:24.21.0-bookworm-slim AS dependencies
WORKDIR /app
# argon2 may need a compiler when no prebuilt binary fits the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/adapters/package.json packages/adapters/
COPY apps/http/package.json apps/http/
COPY apps/worker/package.json apps/worker/
COPY apps/cli/package.json apps/cli/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY packages ./packages
COPY apps ./apps
USER node
EXPOSE 8000
# The compose file (or the orchestrator) picks the process: API by default.
CMD ["node", "apps/http/src/main.ts"]
