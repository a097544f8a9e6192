import { graphql } from '../../../gql';

/**
 * The organization as the keys page needs it: the summary every screen shows (OrganizationSummary,
 * the same fragment the viewer query selects) and the spaces the viewer can see.
 */
export const ApiKeysOrganizationDocument = graphql(`
  query ApiKeysOrganization {
    viewer {
      id
      organizations {
        ...OrganizationSummary
        maxKeyLifetimeDays
        keyLimits {
          ...OrganizationKeyLimitsFields
        }
        spaces {
          id
          name
          logoUrl
          viewerCanCreateApiKeys
        }
      }
    }
  }
`);

export const ApiKeyRowFragment = graphql(`
  fragment ApiKeyRow on ApiKey {
    id
    name
    maskedKey
    createdAt
    lastUsedAt
    expiresAt
    status
    viewerCanRemove
    budget {
      limitMicros
    }
    effectiveBudget {
      ...KeyBudgetBar
    }
    space {
      id
      name
      logoUrl
    }
    owner {
      id
      name
      avatarUrl
    }
  }
`);

export const ApiKeysDocument = graphql(`
  query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $status: ApiKeyStatus, $page: Int!, $pageSize: Int!) {
    apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, status: $status, page: $page, pageSize: $pageSize) {
      items {
        ...ApiKeyRow
      }
      totalCount
      totalCountIsCapped
      page
      pageSize
      pageCount
    }
  }
`);

export const ApiKeyDetailsDocument = graphql(`
  query ApiKeyDetails($id: ID!) {
    apiKey(id: $id) {
      ...ApiKeyRow
      disabledAt
      rolledAt
      previousSecretExpiresAt
      allowedCidrs
      ...KeySpending
      space {
        id
        organizationId
      }
      usage {
        totalRequests
        last30Days {
          date
          requests
        }
      }
    }
  }
`);
