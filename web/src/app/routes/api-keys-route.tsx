import { useParams } from 'react-router';
import { ApiKeysPage } from '../../features/api-keys/components/api-keys-page';

export function ApiKeysRoute() {
  const { orgId } = useParams();
  if (!orgId) return null;
  return <ApiKeysPage key={orgId} organizationId={orgId} />;
}
