# Pulze API Keys web app: the built SPA behind nginx, which forwards the API paths to the server.
#   docker build -f docker/web.Dockerfile -t pulze-api-keys-web .
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
RUN pnpm --filter ./shared build && pnpm --filter ./web build

FROM nginx:1.27-alpine
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /repo/web/dist /usr/share/nginx/html
EXPOSE 8080
