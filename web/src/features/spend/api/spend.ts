import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { graphql } from '../../../gql';
import type { SetOrganizationKeyLimitsInput } from '../../../gql/graphql';

/** The keys of an organization by cost in a range, highest first (the viewer's spaces only). */
export const SpendRankingDocument = graphql(`
  query SpendRanking($organizationId: ID!, $range: UsageRangeInput!, $first: Int!) {
    apiKeySpendRanking(organizationId: $organizationId, range: $range, first: $first) {
      keyId
      name
      maskedKey
      spaceId
      removed
      costMicros
      requests
      inputTokens
      outputTokens
    }
    organization(id: $organizationId) {
      id
      name
      viewerRole
      spaces {
        id
        name
      }
      keyLimits {
        ...OrganizationKeyLimitsFields
      }
    }
  }
`);

export const OrganizationKeyLimitsFragment = graphql(`
  fragment OrganizationKeyLimitsFields on OrganizationKeyLimits {
    maxBudgetMicros
    allowedModels
    maxTokensPerMinute
  }
`);

export const SetOrganizationKeyLimitsDocument = graphql(`
  mutation SetOrganizationKeyLimits($input: SetOrganizationKeyLimitsInput!) {
    setOrganizationKeyLimits(input: $input) {
      id
      keyLimits {
        ...OrganizationKeyLimitsFields
      }
    }
  }
`);

/** Sets an organization's key maximums (owners and admins); the organization updates in the cache by id. */
export function useSetOrganizationKeyLimits() {
  const [mutate, { loading }] = useMutation(SetOrganizationKeyLimitsDocument);
  const setKeyLimits = useCallback(
    async (input: SetOrganizationKeyLimitsInput) => {
      const result = await mutate({ variables: { input } });
      const organization = result.data?.setOrganizationKeyLimits;
      if (!organization) throw new Error('The key limits were not saved.');
      return organization;
    },
    [mutate],
  );
  return { setKeyLimits, loading };
}
