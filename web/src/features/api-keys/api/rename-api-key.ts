import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { RenameApiKeyInput } from '../../../gql/graphql';
import { ApiKeysDocument } from './api-keys';
import { evictSearchPages } from './cache';
import { KeyActivityDocument } from './key-activity';

export const RenameApiKeyDocument = graphql(`
  mutation RenameApiKey($input: RenameApiKeyInput!) {
    renameApiKey(input: $input) {
      ...ApiKeyRow
    }
  }
`);

/**
 * Renames a key. The row and the details panel update through the cache by id; cached search
 * results are dropped (the new name may enter or leave them), and when a search is on screen
 * (`searchActive`) the list is fetched again.
 */
export function useRenameApiKey({ searchActive }: { searchActive: boolean }) {
  const [mutate, { loading }] = useMutation(RenameApiKeyDocument, {
    update: (cache) => evictSearchPages(cache),
    // The key's Activity gains a RENAMED event.
    refetchQueries: searchActive ? [ApiKeysDocument, KeyActivityDocument] : [KeyActivityDocument],
  });
  const renameApiKey = useCallback(
    async (input: RenameApiKeyInput) => {
      await mutate({ variables: { input } });
    },
    [mutate],
  );
  return { renameApiKey, loading };
}
