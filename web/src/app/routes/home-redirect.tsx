import { useQuery } from '@apollo/client/react';
import { Navigate } from 'react-router';
import { EmptyState, LoadingState } from '../../components/ui/states';
import { ViewerDocument } from '../../features/organizations/api/viewer';
import { lastOrganization } from '../last-organization';

/** `/` goes to the keys of the last organization used, or the first one. */
export function HomeRedirect() {
  const { data } = useQuery(ViewerDocument, { fetchPolicy: 'cache-first' });
  if (!data) return <LoadingState label="Loading your organizations" />;
  const orgs = data.viewer.organizations;
  const last = lastOrganization();
  const target = orgs.find((org) => org.id === last) ?? orgs[0];
  if (!target) {
    return (
      <main className="page">
        <EmptyState title="You are not a member of any organization">
          <p>Ask an organization owner to invite you.</p>
        </EmptyState>
      </main>
    );
  }
  return <Navigate to={`/orgs/${target.id}/api-keys`} replace />;
}
