import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { KeyEvents } from './core/events';
import { UnitOfWork } from './core/transaction';
import { dialectOf } from './lib/raw-connection';
import { describeError, type Logger } from './lib/logger';
import { Metrics } from './lib/metrics';
import { KeyRateLimiter } from './lib/rate-limit';
import { connectRedis, type RedisConnections } from './lib/redis';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { keyCountHandler } from './modules/api-key/key-counts';
import { AuthService } from './modules/auth/auth.service';
import { TokenService } from './modules/auth/token.service';
import { OrganizationService } from './modules/organization/organization.service';
import { SubscriptionService } from './modules/organization/subscription.service';
import { SpaceService } from './modules/space/space.service';
import { createUsageWriter } from './modules/usage/usage-writer';
import { UsageRecorder } from './modules/usage/usage.recorder';
import { InvalidationBus } from './modules/verification/invalidation-bus';
import { invalidationOf } from './modules/verification/invalidations';
import { createKeyLookup } from './modules/verification/key-lookup';
import { VerificationCache } from './modules/verification/verification-cache';
import { VerificationService } from './modules/verification/verification.service';

export interface Services {
  uow: UnitOfWork;
  events: KeyEvents;
  tokens: TokenService;
  auth: AuthService;
  organizations: OrganizationService;
  subscriptions: SubscriptionService;
  spaces: SpaceService;
  apiKeys: ApiKeyService;
  verification: VerificationService;
  verificationCache: VerificationCache;
  invalidations: InvalidationBus;
  rateLimiter: KeyRateLimiter;
  usage: UsageRecorder;
  metrics: Metrics;
  redis: RedisConnections | undefined;
  /** Writes pending usage and lets go of Redis; the data source is the caller's to close. */
  close(): Promise<void>;
}

/** Needs an initialized data source (the hot path prepares its statement on it). */
export function createServices(
  config: Config & { jwt: { secret: string } },
  dataSource: DataSource,
  logger: Logger,
): Services {
  const events = new KeyEvents();
  const uow = new UnitOfWork(dataSource, dialectOf(dataSource) === 'sqlite', (error) =>
    logger.error(describeError(error), 'a reaction to a committed change failed'),
  );
  // What a committed change makes stale reaches every verification cache.
  uow.onCommit(({ event }) => {
    const invalidation = invalidationOf(event);
    if (invalidation) events.invalidate(invalidation);
  });
  // Maintained key counts change in the transaction that creates or removes a key.
  uow.onRaise(keyCountHandler);
  const tokens = new TokenService(config.jwt, config.oidc);
  const organizations = new OrganizationService(dataSource);
  const spaces = new SpaceService(dataSource, organizations, uow);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;

  // The cache stops trusting itself while invalidations from other nodes could be missed.
  const cache: { current?: VerificationCache } = {};
  const invalidations = new InvalidationBus(
    events,
    (event) => cache.current?.invalidate(event),
    logger,
    redis && {
      commands: redis.commands,
      subscriber: redis.subscriber,
      channel: `${config.redisPrefix}key-invalidations`,
      onResync: () => cache.current?.clear(),
    },
  );
  const verificationCache = new VerificationCache(createKeyLookup(dataSource), {
    ttlMs: config.verifyCacheTtlMs,
    maxEntries: config.verifyCacheMaxEntries,
    isTrustworthy: () => invalidations.connected,
  });
  cache.current = verificationCache;
  const rateLimiter = new KeyRateLimiter(
    config.rateLimit,
    logger,
    redis && { client: redis.commands, prefix: config.redisPrefix },
  );
  const usage = new UsageRecorder(createUsageWriter(dataSource, uow), logger, config.usageFlushIntervalMs);
  usage.start();
  const metrics = new Metrics({
    cacheStats: () => ({ hits: verificationCache.hits, misses: verificationCache.misses, size: verificationCache.size }),
    usageStats: () => ({ pending: usage.pendingRequests, failedFlushes: usage.failedFlushes }),
  });

  return {
    uow,
    events,
    tokens,
    auth: new AuthService(dataSource, tokens),
    organizations,
    subscriptions: new SubscriptionService(dataSource, uow),
    spaces,
    apiKeys: new ApiKeyService(dataSource, organizations, spaces, uow),
    verification: new VerificationService(verificationCache, rateLimiter, usage),
    verificationCache,
    invalidations,
    rateLimiter,
    usage,
    metrics,
    redis,
    async close() {
      await usage.stop();
      invalidations.close();
      await redis?.close();
    },
  };
}
