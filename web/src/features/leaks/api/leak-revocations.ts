import { graphql } from '../../../gql';

/** Keys of the organization revoked because a secret scanner found them in public (last 30 days). */
export const LeakRevocationsDocument = graphql(`
  query LeakRevocations($organizationId: ID!) {
    leakRevocations(organizationId: $organizationId) {
      id
      keyId
      keyName
      maskedKey
      url
      source
      revokedAt
    }
  }
`);
