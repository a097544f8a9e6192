import Redis from 'ioredis';
import { describeError, type Logger } from './logger';

/**
 * The Redis connections of one node: `commands` for the shared rate limits and publishing,
 * `subscriber` for invalidations (a subscribed connection cannot run other commands).
 */
export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

/**
 * How long a command waits for Redis before it fails. A Redis that holds the connection open but
 * stops answering (stopped, swapping, a stalled network) must not hold checks that need it: a spend
 * check answers 503 and a usage report 503 at this deadline, as when Redis is unreachable. The command
 * itself may still run: one already with Redis, or sent again when the connection is made anew (as
 * any unanswered command is, so that an invalidation published then is not lost).
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;

export function connectRedis(url: string, logger: Logger): RedisConnections {
  const options = {
    // Commands sent while disconnected wait for the reconnection (subscribe, publish); the rate
    // limiter does not wait: it checks the connection state and falls back to memory at once.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
  };
  const commands = new Redis(url, { ...options, connectionName: 'pulze-api-keys', commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  // The invalidation bus subscribes on every 'ready' itself, so it knows when a gap ended.
  const subscriber = new Redis(url, { ...options, connectionName: 'pulze-api-keys-sub', autoResubscribe: false });
  let lastError = 0;
  for (const [name, client] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: unknown) => {
      // One line per connection every few seconds at most while Redis is away.
      if (Date.now() - lastError > 5000) logger.warn({ connection: name, ...describeError(error) }, 'redis connection error');
      lastError = Date.now();
    });
  }
  return {
    commands,
    subscriber,
    async close() {
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}
