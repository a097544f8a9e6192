import type { PersistedQueryOptions } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';

/**
 * Query text kept for automatic persisted queries, per node: 8 MiB (counted in characters),
 * least recently used first out. A query is stored only once it has parsed and validated, and
 * the 100 kB body limit and the token limit bound each entry, so the cache holds thousands of
 * the web app's queries and cannot grow past its size, whatever clients send.
 */
export const PERSISTED_QUERY_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * Apollo Server's automatic persisted queries with an explicit, bounded in-memory cache. A client
 * sends a query's SHA-256 first; an unknown hash answers PERSISTED_QUERY_NOT_FOUND and the client
 * sends the hash with the query once. Each node keeps its own cache: after a restart or on another
 * node, clients send the query again.
 */
export function persistedQueryOptions(maxBytes = PERSISTED_QUERY_CACHE_BYTES): PersistedQueryOptions {
  return { cache: new InMemoryLRUCache<string>({ maxSize: maxBytes }), ttl: null };
}
