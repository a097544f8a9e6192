import { useEffect } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link, NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/ui/states';
import { links } from '../../lib/config';
import { errorCode } from '../../lib/errors';
import { keyAvailability } from '../../lib/plans';
import { useSignOut } from '../../features/auth/use-sign-out';
import { AuditNavLink } from '../../features/audit/components/audit-nav-link';
import { SpendNavLink } from '../../features/spend/components/spend-nav-link';
import { ViewerDocument } from '../../features/organizations/api/viewer';
import { OrgSwitcher } from '../../features/organizations/components/org-switcher';
import { UserMenu } from '../../features/organizations/components/user-menu';
import { rememberOrganization } from '../last-organization';

/** Signed-in shell: brand, organization switcher, navigation, account menu. */
export function AppLayout() {
  const { data, loading, error, refetch } = useQuery(ViewerDocument);
  const { orgId } = useParams();
  const navigate = useNavigate();
  const signOut = useSignOut();

  useEffect(() => {
    if (orgId) rememberOrganization(orgId);
  }, [orgId]);

  if (loading && !data) return <LoadingState label="Loading your account" />;
  if (error && !data) {
    if (errorCode(error) === 'UNAUTHENTICATED') return <LoadingState label="Signing you out" />;
    return (
      <div className="app-shell">
        <header className="topbar">
          <span className="brand">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            <span>Pulze</span>
          </span>
          <div className="toolbar-spacer" />
          <button type="button" className="btn btn-secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <main className="page">
          <ErrorState error={error} onRetry={() => void refetch()} />
        </main>
      </div>
    );
  }
  if (!data) return null;

  const viewer = data.viewer;
  const current = viewer.organizations.find((org) => org.id === orgId);
  const needsUpgrade = current && keyAvailability(current.subscription) !== 'AVAILABLE';

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Pulze home">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Pulze</span>
        </Link>
        {viewer.organizations.length > 0 ? (
          <OrgSwitcher organizations={viewer.organizations} currentId={orgId} onSelect={(id) => navigate(`/orgs/${id}/api-keys`)} />
        ) : null}
        <nav className="topnav" aria-label="Main">
          {current ? <NavLink to={`/orgs/${current.id}/api-keys`}>API Keys</NavLink> : null}
          {current ? <AuditNavLink organizationId={current.id} /> : null}
          {current ? <SpendNavLink organizationId={current.id} /> : null}
          <NavLink to="/playground">Playground</NavLink>
          <a href={links.members} target="_blank" rel="noreferrer">
            Members
          </a>
          <a href={links.permissions} target="_blank" rel="noreferrer">
            Permissions
          </a>
          <a href={links.apiReference} target="_blank" rel="noreferrer">
            API reference
          </a>
          {needsUpgrade ? (
            <a href={links.upgrade} target="_blank" rel="noreferrer" className="nav-upgrade">
              Upgrade
            </a>
          ) : null}
        </nav>
        <UserMenu name={viewer.name} email={viewer.email} avatarUrl={viewer.avatarUrl} onSignOut={() => void signOut()} />
      </header>
      <div id="main" tabIndex={-1} className="app-main">
        <Outlet context={{ viewer }} />
      </div>
    </div>
  );
}
