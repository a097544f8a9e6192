import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { RequestContext } from './core/context';
import { createContextFactory } from './graphql/context-factory';
import { createErrorFormatter } from './graphql/format-error';
import { knownOperationTypes } from './graphql/known-operation-types';
import { persistedQueryOptions } from './graphql/persisted-queries';
import { requestLogPlugin } from './graphql/request-log';
import { buildAppSchema } from './graphql/schema';
import { sessionCookiePlugin } from './graphql/session-cookies';
import { tracingPlugin } from './graphql/tracing-plugin';
import { createVerifyLane } from './graphql/verify-lane';
import {
  answerClientError,
  edgeErrorHandler,
  GRAPHQL_BODY_LIMIT_BYTES,
  notFoundHandler,
  refuseInvalidUtf8,
  requireJsonBody,
  sendEdgeError,
} from './http/edge-errors';
import { healthz, readyz } from './http/health';
import { createLeaksHandler, LEAKS_PATH } from './http/leaks';
import { createUsageReportBody, requireUsageToken, USAGE_BODY_LIMIT_BYTES, USAGE_REPORT_PATH } from './http/usage-report';
import { createVerifyHandler, isVerifyRequest } from './http/verify';
import { clientAddress, compileTrust } from './lib/client-address';
import { isDatabaseUnavailable } from './lib/database-errors';
import { describeError, type Logger } from './lib/logger';
import { restoreSpendWindows } from './modules/spend/spend-restore';
import { createServices, type Services } from './services';

/** Tokens a GraphQL document may have (a 10 000-deep selection stops parsing after this many). */
export const MAX_TOKENS = 2000;

export interface App {
  services: Services;
  server: http.Server;
  /** Listens on config.port (0 picks a free port) and resolves with the bound URL. */
  listen(): Promise<string>;
  /** The Prometheus endpoint, once listening, when METRICS_PORT is set. */
  metricsUrl(): string | undefined;
  /** Stops taking requests, finishes those in flight, and flushes pending work. */
  close(): Promise<void>;
}

export async function createApp(
  config: Config & { jwt: { secret: string } },
  dataSource: DataSource,
  logger: Logger,
): Promise<App> {
  const services = createServices(config, dataSource, logger);
  const schema = await buildAppSchema(services);
  const contextFor = createContextFactory(services, dataSource, config.sessionCookieSecure);
  const app = express();
  app.disable('x-powered-by');
  // TRUST_PROXY: a hop count or the proxies' addresses, never everyone.
  const trust = compileTrust(config.trustProxy);
  app.set('trust proxy', trust);
  // The hot path skips express: forward-auth requests are answered by the bare HTTP server.
  // The client's address through the same trusted proxies as express, for routes before express.
  const clientOf = (req: http.IncomingMessage): string => clientAddress(req, trust) ?? 'unknown';
  // The gateway passes its client's address in one header (its value, not a list), for key allowlists.
  const gatewayClientOf = (req: http.IncomingMessage): string | undefined => {
    const value = req.headers[config.verifyClientIpHeader];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const verify = createVerifyHandler(services.verification, logger, services.metrics, clientOf, gatewayClientOf);
  // Set below, once the GraphQL server's rules are known: the gateway's GraphQL check.
  let graphqlVerify: (req: http.IncomingMessage, res: http.ServerResponse) => void = app;
  const server = http.createServer((req, res) => {
    if (isVerifyRequest(req.url)) verify(req, res);
    else graphqlVerify(req, res);
  });
  // What Node's own HTTP parser refuses gets the same JSON shape as every other refusal.
  server.on('clientError', answerClientError);

  // Bounds on what one operation may ask for: depth, cost, aliases, directives (validation rules,
  // so GRAPHQL_VALIDATION_FAILED and 400). The token limit is graphql-js's own parser option
  // below: armor's token plugin throws from a hook, which Apollo answers 500, even for a plain
  // syntax error.
  const armor = new ApolloArmor({
    maxDepth: { n: 8, ignoreIntrospection: true },
    costLimit: { maxCost: 5000 },
    maxAliases: { n: 15 },
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  const formatError = createErrorFormatter(logger);
  const validationRules = [...armor.validationRules, knownOperationTypes];
  const parseOptions = { maxTokens: MAX_TOKENS };
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: true,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    persistedQueries: persistedQueryOptions(),
    // A document of more tokens stops parsing there: GRAPHQL_PARSE_FAILED, 400.
    parseOptions,
    validationRules,
    // main.ts owns SIGTERM/SIGINT: it stops HTTP, flushes usage, then closes the database.
    stopOnTerminationSignals: false,
    plugins: [
      ...armor.plugins,
      requestLogPlugin(logger),
      tracingPlugin(),
      sessionCookiePlugin(config.signIn.deviceCookieDays * 86_400),
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set: the default cache-control plugin would only wrap every field's resolver.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  graphqlVerify = createVerifyLane({ schema, validationRules, parseOptions, contextFor, clientOf, formatError, logger, fallback: app });

  app.get('/healthz', healthz);
  app.get('/readyz', readyz(dataSource));
  // Secret-scanning reports: server to server, signed, read raw (no JSON parser before it).
  app.post(LEAKS_PATH, createLeaksHandler(services.leaks, logger));
  // The gateway's usage reports: only with a service credential configured.
  if (config.usageReportToken) {
    app.post(
      USAGE_REPORT_PATH,
      requireUsageToken(config.usageReportToken),
      requireJsonBody,
      express.json({ limit: USAGE_BODY_LIMIT_BYTES, verify: refuseInvalidUtf8 }),
      createUsageReportBody(services.spend, services.spendRecorder, logger, services.tokenLimiter),
    );
  }
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    if (origin && config.corsOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Apollo-Require-Preflight');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      if (req.method === 'OPTIONS') return void res.sendStatus(204);
    }
    next();
  });
  app.use(
    '/graphql',
    (req, res, next) => {
      if (req.method === 'GET' || req.method === 'POST') return next();
      res.setHeader('Allow', 'GET, POST');
      sendEdgeError(res, 'METHOD_NOT_ALLOWED', 'Use POST (or GET for queries).');
    },
    requireJsonBody,
    express.json({ limit: GRAPHQL_BODY_LIMIT_BYTES, verify: refuseInvalidUtf8 }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        try {
          return await contextFor(req, res);
        } catch (error) {
          // Who is calling could not be found out: the database is away (503) or it is a bug (500).
          // The formatter logs it and gives the errorId.
          const unavailable = isDatabaseUnavailable(error);
          throw new GraphQLError('Context creation failed.', {
            // Kept as it is even when it comes from another realm (not `instanceof Error`): the
            // formatter reads its driver code.
            originalError: typeof error === 'object' && error !== null ? (error as Error) : new Error(String(error)),
            extensions: {
              http: unavailable ? { status: 503, headers: new HeaderMap([['retry-after', '1']]) } : { status: 500 },
            },
          });
        }
      },
    }),
  );
  app.use(notFoundHandler);
  app.use(edgeErrorHandler(logger));

  let metricsServer: { url: string; close(): Promise<void> } | undefined;
  return {
    services,
    server,
    listen: async () => {
      // The budget windows' settled spend, from the daily spend rows, into a ledger that lost it
      // (a node without Redis after a restart): once, before the first check. A failure is logged
      // and the node starts with what its ledger holds.
      try {
        const { keys, restored } = await restoreSpendWindows(dataSource, services.spend);
        if (restored) logger.info({ keys, restored }, 'restored the spend of budget windows from the daily spend rows');
      } catch (error) {
        logger.warn(describeError(error), 'could not restore the spend of budget windows');
      }
      if (config.metricsPort !== undefined) metricsServer = await services.metrics.listen(config.metricsPort, config.host);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://${config.host}:${port}`);
        });
      });
    },
    metricsUrl: () => metricsServer?.url,
    close: async () => {
      await metricsServer?.close();
      await apollo.stop();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      // After the last request: write the usage it counted, then let go of Redis.
      await services.close();
    },
  };
}
