import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import { ApiKeysDocument } from './api-keys';
import { evictKeyPages } from './cache';
import { KeyActivityDocument } from './key-activity';

export const DisableApiKeyDocument = graphql(`
  mutation DisableApiKey($id: ID!) {
    disableApiKey(id: $id) {
      ...ApiKeyRow
      disabledAt
    }
  }
`);

export const EnableApiKeyDocument = graphql(`
  mutation EnableApiKey($id: ID!) {
    enableApiKey(id: $id) {
      ...ApiKeyRow
      disabledAt
    }
  }
`);

/**
 * Disables (pauses) and enables a key. The row and the details panel update through the cache by
 * id; cached pages are dropped (a status filter may no longer match) and the page on screen is
 * fetched again.
 */
export function useSetApiKeyEnabled() {
  const [disable, disabling] = useMutation(DisableApiKeyDocument, { update: evictKeyPages, refetchQueries: [ApiKeysDocument, KeyActivityDocument] });
  const [enable, enabling] = useMutation(EnableApiKeyDocument, { update: evictKeyPages, refetchQueries: [ApiKeysDocument, KeyActivityDocument] });
  const disableApiKey = useCallback(
    async (id: string) => {
      await disable({ variables: { id } });
    },
    [disable],
  );
  const enableApiKey = useCallback(
    async (id: string) => {
      await enable({ variables: { id } });
    },
    [enable],
  );
  return { disableApiKey, enableApiKey, loading: disabling.loading || enabling.loading };
}
