import { useQuery } from '@apollo/client/react';
import { graphql } from '../../../gql';

export const AuditAccessDocument = graphql(`
  query AuditAccess {
    viewer {
      id
      organizations {
        id
        viewerRole
        spaces {
          id
          viewerRole
        }
      }
    }
  }
`);

/**
 * Whether the viewer may read an organization's audit trail, by the server's rule: organization
 * owners and admins, and admins of one of its spaces. Undefined while unknown.
 */
export function useCanReadAudit(organizationId: string): boolean | undefined {
  const { data } = useQuery(AuditAccessDocument);
  if (!data) return undefined;
  const org = data.viewer.organizations.find((o) => o.id === organizationId);
  if (!org) return false;
  return org.viewerRole === 'OWNER' || org.viewerRole === 'ADMIN' || org.spaces.some((space) => space.viewerRole === 'ADMIN');
}
