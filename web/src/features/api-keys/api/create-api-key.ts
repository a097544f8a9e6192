import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { CreateApiKeyInput } from '../../../gql/graphql';
import { ApiKeysDocument } from './api-keys';
import { evictKeyPages } from './cache';

export const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        ...ApiKeyRow
      }
    }
  }
`);

/**
 * Creates a key. Every cached page of keys is dropped (the new key may belong on any of them)
 * and the page on screen is fetched again, so the new row and the total show at once.
 * Resolves with the one-time secret and the new key; rejects with the server's error.
 */
export function useCreateApiKey() {
  const [mutate, { loading }] = useMutation(CreateApiKeyDocument, {
    update: (cache) => evictKeyPages(cache),
    refetchQueries: [ApiKeysDocument],
  });
  const createApiKey = useCallback(
    async (input: CreateApiKeyInput) => {
      const result = await mutate({ variables: { input } });
      const payload = result.data?.createApiKey;
      if (!payload) throw new Error('The key was not created.');
      return payload;
    },
    [mutate],
  );
  return { createApiKey, loading };
}
