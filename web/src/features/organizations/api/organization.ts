import { graphql } from '../../../gql';

/**
 * An organization as every screen shows it: its name, the viewer's role and its subscription
 * (which decides whether keys work). The viewer query and the keys page both select it, so the
 * two read the same cached fields and a change seen by one shows in the other.
 */
export const OrganizationSummaryFragment = graphql(`
  fragment OrganizationSummary on Organization {
    id
    name
    viewerRole
    subscription {
      plan
      status
      currentPeriodEnd
    }
  }
`);
