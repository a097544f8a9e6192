# Pulze API Keys web app: the built SPA behind nginx, which forwards the API paths to the server.
#   docker build -f docker/web.Dockerfile -t pulze-api-keys-web .
# API_UPSTREAM (host:port of the server, default server:4000) is filled into docker/nginx.conf at start.
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY web/package.json web/
COPY server/schema.graphql server/schema.graphql
RUN pnpm install --frozen-lockfile --filter ./web... --filter ./shared
COPY shared shared
COPY web web
COPY scripts/images.mjs scripts/
# The same step CI runs (scripts/images.mjs check).
RUN node scripts/images.mjs web-bundle

# nginx as an unprivileged user (uid 101), listening on 8080; it renders
# /etc/nginx/templates/*.template into /etc/nginx/conf.d/ with the environment at start.
FROM nginxinc/nginx-unprivileged:1.27-alpine
ENV API_UPSTREAM=server:4000 NGINX_ENVSUBST_FILTER=^API_UPSTREAM$
COPY docker/nginx.conf /etc/nginx/templates/default.conf.template
COPY --from=build /repo/web/dist /usr/share/nginx/html
USER nginx
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"]
