import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { KeyEvents } from './core/events';
import { UnitOfWork } from './core/transaction';
import { isDatabaseUnavailable, isDeadlock } from './lib/database-errors';
import { dialectOf } from './lib/raw-connection';
import { describeError, type Logger } from './lib/logger';
import { Metrics } from './lib/metrics';
import { FailureLimiter } from './lib/failure-limiter';
import { KeyRateLimiter } from './lib/rate-limit';
import { TokenLimiter } from './lib/token-limit';
import { connectRedis, type RedisConnections } from './lib/redis';
import { ApiKeyService } from './modules/api-key/api-key.service';
import { auditHandler } from './modules/audit/audit.recorder';
import { AuditService } from './modules/audit/audit.service';
import { changeLiveKeys, keyCountHandler } from './modules/api-key/key-counts';
import { keySearchHandler } from './modules/api-key/key-search';
import { KeyExpirySweep } from './modules/api-key/key-expiry';
import { UnansweredCreates } from './modules/api-key/unanswered-creates';
import { AuthService } from './modules/auth/auth.service';
import { DeviceCookies } from './modules/auth/device-cookie';
import { SessionRevocations } from './modules/auth/session-revocations';
import { SignInLimiter } from './modules/auth/signin-limiter';
import { LeakService } from './modules/leaks/leak.service';
import { SigningKeySet } from './modules/leaks/signing-keys';
import { TokenService } from './modules/auth/token.service';
import { OrganizationService } from './modules/organization/organization.service';
import { SubscriptionService } from './modules/organization/subscription.service';
import { SpaceService } from './modules/space/space.service';
import { StitchingService } from './modules/stitching/stitching.service';
import { createUsageWriter } from './modules/usage/usage-writer';
import { UsageRecorder } from './modules/usage/usage.recorder';
import { createSpendWriter, SpendRecorder } from './modules/spend/spend-recorder';
import { MemorySpendLedger, RedisSpendLedger, type SpendLedger } from './modules/spend/spend-ledger';
import { sweepSpendRows } from './modules/spend/spend-retention';
import { sweepRetiredSecrets } from './modules/api-key/retired-secret-retention';
import { UsageAnalyticsService } from './modules/spend/usage-analytics.service';
import { DatabaseHealth } from './modules/verification/database-health';
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
  /** The audit trail: read, and purged past AUDIT_RETENTION_DAYS. */
  audit: AuditService;
  leaks: LeakService;
  /** Records keys whose expiresAt passed (EXPIRED audit events), every EXPIRY_SWEEP_INTERVAL_MS. */
  keyExpiry: KeyExpirySweep;
  /** Budget reservations and settled spend per key window (Redis when configured). */
  spend: SpendLedger;
  /** Settled spend by key, day and model, and verification answers by code, written in batches. */
  spendRecorder: SpendRecorder;
  /** Usage analytics of an organization: its keys ranked by cost. */
  usageAnalytics: UsageAnalyticsService;
  /** The batch look-ups a stitching gateway merges types with. */
  stitching: StitchingService;
  verification: VerificationService;
  verificationCache: VerificationCache;
  invalidations: InvalidationBus;
  databaseHealth: DatabaseHealth;
  unansweredCreates: UnansweredCreates;
  rateLimiter: KeyRateLimiter;
  /** Tokens per key per minute (keys with tokensPerMinute), shared on Redis when configured. */
  tokenLimiter: TokenLimiter;
  usage: UsageRecorder;
  metrics: Metrics;
  redis: RedisConnections | undefined;
  /** Writes pending usage and lets go of Redis; the data source is the caller's to close. */
  close(): Promise<void>;
}

/** How often daily usage rows past USAGE_RETENTION_DAYS, and retired secrets past theirs, are swept. */
const USAGE_SWEEP_INTERVAL_MS = 3_600_000;

/** Needs an initialized data source (the hot path prepares its statement on it). */
export function createServices(
  config: Config & { jwt: { secret: string } },
  dataSource: DataSource,
  logger: Logger,
): Services {
  const events = new KeyEvents();
  const uow = new UnitOfWork(
    dataSource,
    dialectOf(dataSource) === 'sqlite',
    (error) => logger.error(describeError(error), 'a reaction to a committed change failed'),
    isDeadlock,
  );
  // What a committed change makes stale reaches every verification cache.
  uow.onCommit(({ event }) => {
    const invalidation = invalidationOf(event);
    if (invalidation) events.invalidate(invalidation);
  });
  // A change whose COMMIT got no answer may have committed: drop what it would make stale, and
  // delete a created key that nobody received once the database answers again.
  // (On SQLite a failed transaction never committed: the file is local and written synchronously.)
  const unansweredCreates = new UnansweredCreates(dataSource, logger, async (manager, keys) => {
    for (const key of keys) await changeLiveKeys(manager, key, -1);
  });
  unansweredCreates.start();
  uow.onFailure(({ event }, error) => {
    if (dialectOf(dataSource) === 'sqlite' || !isDatabaseUnavailable(error)) return;
    const invalidation = invalidationOf(event);
    if (invalidation) events.invalidate(invalidation);
    if (event.type === 'apiKey.created') unansweredCreates.add(event.key.id);
  });
  // Maintained key counts change in the transaction that creates or removes a key.
  // Every change to a key is recorded in its own transaction.
  uow.onRaise(auditHandler);
  uow.onRaise(keyCountHandler);
  // So do the words that key search finds names by.
  uow.onRaise(keySearchHandler);
  const tokens = new TokenService(config.jwt, config.oidc);
  const organizations = new OrganizationService(dataSource);
  const spaces = new SpaceService(dataSource, organizations, uow);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, logger) : undefined;
  /** The shared counters' Redis (rate limits, sign-in limits): its commands connection and the key prefix. */
  const sharedCounters = redis && { client: redis.commands, prefix: config.redisPrefix };
  const revocations = new SessionRevocations(dataSource);
  revocations.start(10 * 60_000, (error) => logger.warn(describeError(error), 'purging revoked sessions failed'));
  const auth = new AuthService(
    dataSource,
    tokens,
    new SignInLimiter(config.signIn, sharedCounters),
    revocations,
    new DeviceCookies(config.jwt.secret, config.signIn.deviceCookieDays * 86_400),
    config.signIn,
    config.jwt.secret,
  );

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
  // Outages of the database are seen by the hot path's look-ups and a probe; when it answers again,
  // the cache is cleared. In strict mode, cached facts are not served while it fails.
  const databaseHealth = new DatabaseHealth(logger, () => cache.current?.clear());
  const lookup = databaseHealth.watch(createKeyLookup(dataSource, config.verifyDbTimeoutMs));
  const verificationCache = new VerificationCache(lookup, {
    ttlMs: config.verifyCacheTtlMs,
    maxEntries: config.verifyCacheMaxEntries,
    isTrustworthy:
      config.verifyOutageMode === 'strict'
        ? () => invalidations.connected && !databaseHealth.failing
        : () => invalidations.connected,
  });
  cache.current = verificationCache;
  databaseHealth.start(lookup, 1000);
  // Budget reservations: shared by every node on Redis, in this node's memory otherwise.
  const reservationTtlMs = config.spendReservationTtlSeconds * 1000;
  const redisSpend = redis && new RedisSpendLedger(redis.commands, config.redisPrefix, reservationTtlMs, config.jwt.secret);
  const spend: SpendLedger = redisSpend ?? new MemorySpendLedger(reservationTtlMs);
  // On Redis, a check's reservation goes in its rate limit's script call.
  const rateLimiter = new KeyRateLimiter(config.rateLimit, logger, sharedCounters, Date.now, redisSpend?.rider);
  const tokenLimiter = new TokenLimiter(config.tokenLimitWindowSeconds * 1000, logger, sharedCounters);
  const spendRecorder = new SpendRecorder(createSpendWriter(dataSource, uow), logger, config.usageFlushIntervalMs);
  spendRecorder.start();
  const usage = new UsageRecorder(createUsageWriter(dataSource, uow), logger, config.usageFlushIntervalMs);
  usage.start();
  const metrics = new Metrics({
    cacheStats: () => ({ hits: verificationCache.hits, misses: verificationCache.misses, size: verificationCache.size }),
    usageStats: () => ({ pending: usage.pendingRequests, failedFlushes: usage.failedFlushes }),
  });

  const apiKeys = new ApiKeyService(dataSource, organizations, spaces, uow);
  const audit = new AuditService(dataSource, organizations, uow);
  // A bounded purge of audit events past their retention, now and then.
  const auditPurge = setInterval(() => {
    audit.purge(config.audit.retentionDays).then(
      (deleted) => {
        if (deleted) logger.info({ deleted, retentionDays: config.audit.retentionDays }, 'purged audit events past their retention');
      },
      (error: unknown) => logger.warn(describeError(error), 'could not purge old audit events'),
    );
  }, config.audit.purgeIntervalMs);
  auditPurge.unref();
  // A bounded sweep of daily spend and verification rows past their retention, now and then.
  const usageSweep = setInterval(() => {
    sweepSpendRows(dataSource, uow, config.usageRetentionDays).then(
      (deleted) => {
        if (deleted) logger.info({ deleted, retentionDays: config.usageRetentionDays }, 'swept daily usage rows past their retention');
      },
      (error: unknown) => logger.warn(describeError(error), 'could not sweep old daily usage rows'),
    );
    sweepRetiredSecrets(dataSource, uow, { retentionDays: config.retiredSecretRetentionDays }).then(
      (deleted) => {
        if (deleted) logger.info({ deleted, retentionDays: config.retiredSecretRetentionDays }, 'swept retired key secrets past their retention');
      },
      (error: unknown) => logger.warn(describeError(error), 'could not sweep retired key secrets'),
    );
  }, USAGE_SWEEP_INTERVAL_MS);
  usageSweep.unref();
  const keyExpiry = new KeyExpirySweep(dataSource, uow);
  keyExpiry.start(
    config.expirySweepIntervalMs,
    (recorded) => {
      if (recorded) logger.info({ recorded }, 'recorded the expiry of keys');
    },
    (error) => logger.warn(describeError(error), 'could not record the expiry of keys'),
  );
  return {
    uow,
    events,
    tokens,
    auth,
    organizations,
    subscriptions: new SubscriptionService(dataSource, uow),
    spaces,
    apiKeys,
    audit,
    keyExpiry,
    leaks: new LeakService(dataSource, uow, new SigningKeySet(config.leaks, logger), organizations, spaces),
    stitching: new StitchingService(dataSource, apiKeys, spaces, organizations),
    verification: new VerificationService(verificationCache, rateLimiter, usage, new FailureLimiter(config.verifyFailures), spend, Date.now, spendRecorder, tokenLimiter),
    verificationCache,
    spend,
    spendRecorder,
    usageAnalytics: new UsageAnalyticsService(dataSource, organizations, spaces),
    invalidations,
    databaseHealth,
    unansweredCreates,
    rateLimiter,
    tokenLimiter,
    usage,
    metrics,
    redis,
    async close() {
      clearInterval(auditPurge);
      clearInterval(usageSweep);
      await keyExpiry.stop();
      databaseHealth.stop();
      revocations.stop();
      await usage.stop();
      await spendRecorder.stop();
      await unansweredCreates.stop();
      invalidations.close();
      await redis?.close();
    },
  };
}
