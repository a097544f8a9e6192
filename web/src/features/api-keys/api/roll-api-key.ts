import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { RollApiKeyInput } from '../../../gql/graphql';
import { ApiKeysDocument } from './api-keys';
import { evictKeyPages } from './cache';
import { KeyActivityDocument } from './key-activity';

export const RollApiKeyDocument = graphql(`
  mutation RollApiKey($input: RollApiKeyInput!) {
    rollApiKey(input: $input) {
      secret
      apiKey {
        ...ApiKeyRow
        rolledAt
        previousSecretExpiresAt
      }
    }
  }
`);

/**
 * Rolls a key: a new secret for the same key, returned this once. The row and the panel update
 * through the cache by id (new masked preview, status, expiry); cached pages are dropped (a rolled
 * expired key is active again) and the page on screen is fetched again.
 */
export function useRollApiKey() {
  const [mutate, { loading }] = useMutation(RollApiKeyDocument, {
    update: evictKeyPages,
    refetchQueries: [ApiKeysDocument, KeyActivityDocument],
  });
  const rollApiKey = useCallback(
    async (input: RollApiKeyInput) => {
      const result = await mutate({ variables: { input } });
      const payload = result.data?.rollApiKey;
      if (!payload) throw new Error('The key was not rolled.');
      return payload;
    },
    [mutate],
  );
  return { rollApiKey, loading };
}
