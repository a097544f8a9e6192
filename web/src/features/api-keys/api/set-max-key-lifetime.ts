import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';

export const SetMaxKeyLifetimeDocument = graphql(`
  mutation SetMaxKeyLifetime($input: SetMaxKeyLifetimeInput!) {
    setMaxKeyLifetime(input: $input) {
      id
      maxKeyLifetimeDays
    }
  }
`);

/**
 * Sets the organization's maximum key lifetime (owners and admins). The organization updates in
 * the cache by id, so the New API Key dialog offers the new choices at once.
 */
export function useSetMaxKeyLifetime() {
  const [mutate, { loading }] = useMutation(SetMaxKeyLifetimeDocument);
  const setMaxKeyLifetime = useCallback(
    async (organizationId: string, maxKeyLifetimeDays: number | null) => {
      await mutate({ variables: { input: { organizationId, maxKeyLifetimeDays } } });
    },
    [mutate],
  );
  return { setMaxKeyLifetime, loading };
}
