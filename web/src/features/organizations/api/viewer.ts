import { graphql } from '../../../gql';

export const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      id
      name
      email
      avatarUrl
      organizations {
        ...OrganizationSummary
      }
    }
  }
`);
