# Pulze API Keys server. Build from the repository root:
#   docker build -f docker/server.Dockerfile -t pulze-api-keys-server .
# Settings come from the environment (README, "Configuration"); the defaults below suit a container.
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10 && apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY server/package.json server/
RUN pnpm install --frozen-lockfile --filter ./server... --filter ./shared
COPY shared shared
COPY server server
COPY scripts/images.mjs scripts/
# The same step CI runs (scripts/images.mjs check): build, then deploy with production dependencies.
RUN node scripts/images.mjs server-bundle /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /out /app
RUN mkdir -p /data && chown node:node /data && chmod 700 /data
# The code is root's and read-only to the process; only /data (the embedded database, when no
# DATABASE_URL is set) is writable.
USER node
EXPOSE 4000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
