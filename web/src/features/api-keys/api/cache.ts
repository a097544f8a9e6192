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

/** Whether a cached `apiKeys(...)` entry was fetched with a search term. */
function isSearchPage(storeFieldName: string): boolean {
  const args = /^apiKeys\((.*)\)$/.exec(storeFieldName)?.[1];
  if (!args) return false;
  try {
    const parsed = JSON.parse(args) as { search?: unknown };
    return typeof parsed.search === 'string' && parsed.search !== '';
  } catch {
    return false;
  }
}

/**
 * After a rename: drops the cached pages of searches (a new name may enter or leave a search's
 * results) without re-rendering yet. Unfiltered pages stay; their rows update by id.
 */
export function evictSearchPages(cache: ApolloCache): void {
  cache.modify({
    id: 'ROOT_QUERY',
    fields: {
      apiKeys: (value, { storeFieldName, DELETE }) => (isSearchPage(storeFieldName) ? DELETE : value),
    },
    broadcast: false,
  });
  cache.gc();
}
