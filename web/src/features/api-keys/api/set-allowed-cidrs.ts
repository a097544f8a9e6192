import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { SetApiKeyAllowedCidrsInput } from '../../../gql/graphql';
import { KeyActivityDocument } from './key-activity';

export const SetApiKeyAllowedCidrsDocument = graphql(`
  mutation SetApiKeyAllowedCidrs($input: SetApiKeyAllowedCidrsInput!) {
    setApiKeyAllowedCidrs(input: $input) {
      id
      allowedCidrs
    }
  }
`);

/**
 * Replaces a key's address allowlist. The details panel updates through the cache by id (lists do
 * not show the allowlist). Resolves with the list as the server stored it (canonical form).
 */
export function useSetApiKeyAllowedCidrs() {
  const [mutate, { loading }] = useMutation(SetApiKeyAllowedCidrsDocument, { refetchQueries: [KeyActivityDocument] });
  const setAllowedCidrs = useCallback(
    async (input: SetApiKeyAllowedCidrsInput) => {
      const result = await mutate({ variables: { input } });
      const key = result.data?.setApiKeyAllowedCidrs;
      if (!key) throw new Error('The allowed addresses were not saved.');
      return key;
    },
    [mutate],
  );
  return { setAllowedCidrs, loading };
}
