import { NavLink } from 'react-router';
import { useCanReadAudit } from '../api/audit-access';

/** "Audit log" in the main navigation, for those who may read it (the page itself loads lazily). */
export function AuditNavLink({ organizationId }: { organizationId: string }) {
  const canRead = useCanReadAudit(organizationId);
  return canRead ? <NavLink to={`/orgs/${organizationId}/audit`}>Audit log</NavLink> : null;
}
