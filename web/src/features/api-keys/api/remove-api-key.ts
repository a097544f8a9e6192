import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import { ApiKeysDocument } from './api-keys';
import { evictKeyPages } from './cache';

export const RemoveApiKeyDocument = graphql(`
  mutation RemoveApiKey($id: ID!) {
    removeApiKey(id: $id) {
      id
      removedAt
    }
  }
`);

/**
 * Removes (revokes) a key. The key and every cached page of keys leave the cache, and the page
 * on screen is fetched again before the promise resolves, so the row and the total update together.
 */
export function useRemoveApiKey() {
  const [mutate, { loading }] = useMutation(RemoveApiKeyDocument, {
    refetchQueries: [ApiKeysDocument],
    awaitRefetchQueries: true,
  });
  const removeApiKey = useCallback(
    async (id: string) => {
      await mutate({
        variables: { id },
        update: (cache) => {
          cache.evict({ id: cache.identify({ __typename: 'ApiKey', id }) });
          evictKeyPages(cache);
        },
      });
    },
    [mutate],
  );
  return { removeApiKey, loading };
}
