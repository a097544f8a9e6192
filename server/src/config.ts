import path from 'node:path';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`)
    .optional();

const positiveInt = z.coerce.number().int().positive();

const TRUST_EVERYONE =
  'must not trust every address: a client could then pick its own address with X-Forwarded-For. ' +
  'Give the number of proxies in front of the server (e.g. 1) or their addresses (e.g. 10.0.0.0/8,127.0.0.1)';

/**
 * How many reverse proxies stand in front of the server (a hop count), or which addresses they
 * have (IPs, CIDR ranges, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`).
 * `false`/unset trusts none; `true` (trust everyone) is refused.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): number | string[] => {
    if (value === 'false') return 0;
    if (value === 'true') {
      ctx.addIssue({ code: 'custom', message: TRUST_EVERYONE });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > 10) ctx.addIssue({ code: 'custom', message: 'a hop count must be between 0 and 10' });
      return hops;
    }
    const list = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.some((entry) => /\/0+$/.test(entry))) {
      ctx.addIssue({ code: 'custom', message: TRUST_EVERYONE });
      return z.NEVER;
    }
    try {
      proxyaddr.compile(list);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a hop count or a comma-separated list of proxy addresses or CIDR ranges' });
      return z.NEVER;
    }
    return list;
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: optionalUrl(['mysql:', 'mariadb:']),
    DATA_DIR: z.string().min(1).default('.data'),
    SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    CORS_ORIGINS: z.string().default(''),
    TRUST_PROXY: trustProxy.default(0),
    SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),

    SIGNIN_WINDOW_SECONDS: positiveInt.default(15 * 60),
    SIGNIN_FAILURES_PER_ACCOUNT: positiveInt.default(10),
    SIGNIN_FAILURES_PER_ADDRESS: positiveInt.default(100),
    SIGNIN_FAILURES_PER_DEVICE: positiveInt.default(10),
    SIGNIN_CONCURRENT_HASHES: positiveInt.default(2),
    SIGNIN_QUEUE_LIMIT: z.coerce.number().int().min(0).default(16),
    DEVICE_COOKIE_DAYS: positiveInt.default(90),

    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: z.string().min(1).default('pulze-api-keys'),
    JWT_AUDIENCE: z.string().min(1).default('pulze-api-keys'),
    JWT_TTL_SECONDS: positiveInt.default(12 * 3600),

    OIDC_JWKS_URL: optionalUrl(['https:', 'http:']),
    OIDC_ISSUER: z.string().min(1).optional(),
    OIDC_AUDIENCE: z.string().min(1).optional(),
    OIDC_ALGORITHMS: z.string().default('RS256,ES256'),

    REDIS_URL: optionalUrl(['redis:', 'rediss:']),
    REDIS_PREFIX: z.string().min(1).max(100).default('pulze-api-keys:'),

    USAGE_FLUSH_INTERVAL_MS: positiveInt.default(1000),
    SPEND_RESERVATION_TTL_SECONDS: positiveInt.default(300),
    TOKEN_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
    USAGE_REPORT_TOKEN: z.string().min(32, 'USAGE_REPORT_TOKEN must be at least 32 characters.').optional(),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
    RATE_LIMIT_FREE: positiveInt.default(60),
    RATE_LIMIT_PULZE_ONE: positiveInt.default(600),
    RATE_LIMIT_PULZE_X_SUITE: positiveInt.default(6000),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['https:', 'http:']),
    OTEL_SERVICE_NAME: z.string().trim().min(1).default('pulze-api-keys'),
    VERIFY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
    VERIFY_CACHE_MAX_ENTRIES: positiveInt.default(100_000),
    VERIFY_DB_TIMEOUT_MS: positiveInt.default(1000),
    VERIFY_OUTAGE_MODE: z.enum(['available', 'strict']).default('available'),
    VERIFY_FAILURE_LIMIT: positiveInt.default(100),
    VERIFY_FAILURE_WINDOW_SECONDS: positiveInt.default(60),
    VERIFY_FAILURE_MAX_ADDRESSES: positiveInt.default(100_000),
    VERIFY_CLIENT_IP_HEADER: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name')
      .default('X-Pulze-Client-IP'),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
    AUDIT_PURGE_INTERVAL_SECONDS: positiveInt.default(3600),
    USAGE_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(400),
    RETIRED_SECRET_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
    EXPIRY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),

    DB_POOL_SIZE: positiveInt.default(10),
    DB_POOL_QUEUE_LIMIT: positiveInt.default(500),
    DB_CONNECT_TIMEOUT_MS: positiveInt.default(2000),

    LEAK_KEYS_URL: optionalUrl(['https:', 'http:']).default('https://api.github.com/meta/public_keys/secret_scanning'),
    LEAK_KEYS_CACHE_TTL_SECONDS: positiveInt.max(86_400).default(3600),
    LEAK_KEYS_REFETCH_SECONDS: positiveInt.max(3600).default(300),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_JWKS_URL, env.OIDC_ISSUER, env.OIDC_AUDIENCE];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_JWKS_URL'],
        message: 'OIDC_JWKS_URL, OIDC_ISSUER and OIDC_AUDIENCE must be set together',
      });
    }
    if (env.DATABASE_URL && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required with DATABASE_URL (only the embedded default generates one)',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  database:
    | { kind: 'mysql'; url: string }
    | { kind: 'sqlite'; file: string };
  dataDir: string;
  seedDemo: 'auto' | 'always' | 'never';
  logLevel: Env['LOG_LEVEL'];
  corsOrigins: string[];
  /** Proxies whose X-Forwarded-For is believed: a hop count (0 = none) or their addresses. */
  trustProxy: number | string[];
  /** `auto`: Secure cookies when the request came over https (as seen through trusted proxies). */
  sessionCookieSecure: 'auto' | 'always' | 'never';
  signIn: SignInSettings;
  jwt: { secret?: string; issuer: string; audience: string; ttlSeconds: number };
  oidc?: { jwksUrl: string; issuer: string; audience: string; algorithms: string[] };
  redisUrl?: string;
  /** Prefix of every Redis key and channel this deployment uses (rate limits, invalidations). */
  redisPrefix: string;
  usageFlushIntervalMs: number;
  /** How long a budget reservation waits for its usage report before its amount is released. */
  spendReservationTtlSeconds: number;
  /** The window a key's tokensPerMinute counts over: 60 s (shorter only for tests). */
  tokenLimitWindowSeconds: number;
  /** The service credential of POST /v1/keys/usage; the route is off without it. */
  usageReportToken: string | undefined;
  rateLimit: { windowSeconds: number; perPlan: Record<'FREE' | 'PULZE_ONE' | 'PULZE_X_SUITE', number> };
  /** How long verification facts are kept in memory; 0 turns the cache off. */
  verifyCacheTtlMs: number;
  /** Port of the Prometheus `/metrics` listener; no listener when unset. */
  metricsPort?: number;
  /** OpenTelemetry traces: exported over OTLP/HTTP when an endpoint is set, not recorded otherwise. */
  tracing: { otlpEndpoint?: string; serviceName: string };
  verifyCacheMaxEntries: number;
  /** The hot path's deadline for one database look-up, waiting for a pooled connection included. */
  verifyDbTimeoutMs: number;
  /** While the database is failing: serve cached facts until they expire (`available`) or refuse (`strict`). */
  verifyOutageMode: 'available' | 'strict';
  /** Failed verifications (malformed or unknown keys) per client address and window, in each node's memory. */
  verifyFailures: { limit: number; windowSeconds: number; maxAddresses: number };
  /** Lower-cased name of the header in which the gateway passes its client's address (key allowlists). */
  verifyClientIpHeader: string;
  /** Audit events older than `retentionDays` are purged every `purgeIntervalMs`; 0 days keeps them forever. */
  audit: { retentionDays: number; purgeIntervalMs: number };
  /** Daily spend and verification rows of days older than this are swept (hourly, in batches); 0 keeps them forever. */
  usageRetentionDays: number;
  /**
   * Secrets rolled away twice answer REVOKED for this many days after they were retired, then
   * NOT_FOUND (swept hourly in batches, with at most the newest 20 per key kept); 0 drops the age limit.
   */
  retiredSecretRetentionDays: number;
  /** How often the expiry sweep records keys whose expiresAt passed (EXPIRED audit events, 500 keys a run at most). */
  expirySweepIntervalMs: number;
  /** Bounds of the MySQL/MariaDB pool, so a slow or absent database cannot pile up work without limit. */
  databasePool: DatabasePoolSettings;
  /** The secret-scanning partner endpoint (`POST /v1/keys/leaks`): where its signing keys come from. */
  leaks: LeakSettings;
}

export interface LeakSettings {
  /** Answers `{ public_keys: [{ key_identifier, key, is_current }] }` (GitHub's meta endpoint). */
  keysUrl: string;
  /** How long a fetched key set is trusted. */
  keysCacheTtlMs: number;
  /** An unknown key identifier refetches the set at most once per this interval. */
  keysRefetchIntervalMs: number;
}

export interface DatabasePoolSettings {
  size: number;
  /** Requests waiting for a connection beyond this are refused at once. */
  queueLimit: number;
  connectTimeoutMs: number;
}

export interface SignInSettings {
  windowSeconds: number;
  /** Failed sign-ins per account from clients without its device cookie, whatever their address. */
  failuresPerAccount: number;
  /** Failed sign-ins per client address (an IPv6 /64), whatever the account. */
  failuresPerAddress: number;
  /** Failed sign-ins per device cookie; such a device is not paused by the two budgets above. */
  failuresPerDevice: number;
  /** Password hashes computed at once; the rest wait in a queue of `queueLimit`, beyond it RATE_LIMITED. */
  concurrentHashes: number;
  queueLimit: number;
  deviceCookieDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws a ConfigError naming every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    database: env.DATABASE_URL
      ? { kind: 'mysql', url: env.DATABASE_URL.replace(/^mariadb:/, 'mysql:') }
      : { kind: 'sqlite', file: path.join(dataDir, 'pulze.sqlite') },
    dataDir,
    seedDemo: env.SEED_DEMO === 'true' ? 'always' : env.SEED_DEMO === 'false' ? 'never' : 'auto',
    logLevel: env.LOG_LEVEL,
    corsOrigins: env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    sessionCookieSecure: env.SESSION_COOKIE_SECURE === 'true' ? 'always' : env.SESSION_COOKIE_SECURE === 'false' ? 'never' : 'auto',
    signIn: {
      windowSeconds: env.SIGNIN_WINDOW_SECONDS,
      failuresPerAccount: env.SIGNIN_FAILURES_PER_ACCOUNT,
      failuresPerAddress: env.SIGNIN_FAILURES_PER_ADDRESS,
      failuresPerDevice: env.SIGNIN_FAILURES_PER_DEVICE,
      concurrentHashes: env.SIGNIN_CONCURRENT_HASHES,
      queueLimit: env.SIGNIN_QUEUE_LIMIT,
      deviceCookieDays: env.DEVICE_COOKIE_DAYS,
    },
    jwt: {
      ...(env.JWT_SECRET ? { secret: env.JWT_SECRET } : {}),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      ttlSeconds: env.JWT_TTL_SECONDS,
    },
    ...(env.OIDC_JWKS_URL && env.OIDC_ISSUER && env.OIDC_AUDIENCE
      ? {
          oidc: {
            jwksUrl: env.OIDC_JWKS_URL,
            issuer: env.OIDC_ISSUER,
            audience: env.OIDC_AUDIENCE,
            algorithms: env.OIDC_ALGORITHMS.split(',').map((s) => s.trim()).filter(Boolean),
          },
        }
      : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    redisPrefix: env.REDIS_PREFIX,
    usageFlushIntervalMs: env.USAGE_FLUSH_INTERVAL_MS,
    spendReservationTtlSeconds: env.SPEND_RESERVATION_TTL_SECONDS,
    tokenLimitWindowSeconds: env.TOKEN_LIMIT_WINDOW_SECONDS,
    usageReportToken: env.USAGE_REPORT_TOKEN,
    rateLimit: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      perPlan: {
        FREE: env.RATE_LIMIT_FREE,
        PULZE_ONE: env.RATE_LIMIT_PULZE_ONE,
        PULZE_X_SUITE: env.RATE_LIMIT_PULZE_X_SUITE,
      },
    },
    verifyCacheTtlMs: env.VERIFY_CACHE_TTL_MS,
    ...(env.METRICS_PORT !== undefined ? { metricsPort: env.METRICS_PORT } : {}),
    tracing: {
      serviceName: env.OTEL_SERVICE_NAME,
      ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
    },
    verifyCacheMaxEntries: env.VERIFY_CACHE_MAX_ENTRIES,
    verifyDbTimeoutMs: env.VERIFY_DB_TIMEOUT_MS,
    verifyOutageMode: env.VERIFY_OUTAGE_MODE,
    verifyFailures: {
      limit: env.VERIFY_FAILURE_LIMIT,
      windowSeconds: env.VERIFY_FAILURE_WINDOW_SECONDS,
      maxAddresses: env.VERIFY_FAILURE_MAX_ADDRESSES,
    },
    verifyClientIpHeader: env.VERIFY_CLIENT_IP_HEADER.toLowerCase(),
    audit: { retentionDays: env.AUDIT_RETENTION_DAYS, purgeIntervalMs: env.AUDIT_PURGE_INTERVAL_SECONDS * 1000 },
    usageRetentionDays: env.USAGE_RETENTION_DAYS,
    retiredSecretRetentionDays: env.RETIRED_SECRET_RETENTION_DAYS,
    expirySweepIntervalMs: env.EXPIRY_SWEEP_INTERVAL_MS,
    databasePool: {
      size: env.DB_POOL_SIZE,
      queueLimit: env.DB_POOL_QUEUE_LIMIT,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    },
    leaks: {
      keysUrl: env.LEAK_KEYS_URL,
      keysCacheTtlMs: env.LEAK_KEYS_CACHE_TTL_SECONDS * 1000,
      keysRefetchIntervalMs: env.LEAK_KEYS_REFETCH_SECONDS * 1000,
    },
  };
}
