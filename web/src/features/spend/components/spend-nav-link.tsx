import { NavLink } from 'react-router';

/** "Spend" in the main navigation: every member sees the keys of the spaces they can see (the page loads lazily). */
export function SpendNavLink({ organizationId }: { organizationId: string }) {
  return <NavLink to={`/orgs/${organizationId}/spend`}>Spend</NavLink>;
}
