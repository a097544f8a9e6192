import { useParams } from 'react-router';
import { ApiKeysPage } from '../../features/api-keys/components/api-keys-page';
import { LeakBanner } from '../../features/leaks/components/leak-banner';

export function ApiKeysRoute() {
  const { orgId } = useParams();
  if (!orgId) return null;
  return <ApiKeysPage key={orgId} organizationId={orgId} notices={<LeakBanner organizationId={orgId} />} />;
}
