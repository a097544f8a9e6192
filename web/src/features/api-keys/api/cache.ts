import type { ApolloCache } from '@apollo/client';

/**
 * Drops every cached page of keys (all searches, pages and sizes) without re-rendering yet;
 * the mutation's `refetchQueries` then reloads the page on screen, so no stale row or
 * total stays anywhere after a create or remove.
 */
export function evictKeyPages(cache: ApolloCache): void {
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'apiKeys', broadcast: false });
  cache.gc();
}
