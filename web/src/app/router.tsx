import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router';
import { LoadingState } from '../components/ui/states';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { AppLayout } from './layouts/app-layout';
import { ApiKeysRoute } from './routes/api-keys-route';
import { HomeRedirect } from './routes/home-redirect';
import { NotFound } from './routes/not-found';
import { RedirectIfSignedIn, RequireAuth, SessionWatcher } from './session-guard';

// The playground (GraphiQL) is large: it loads only when someone opens it.
const PlaygroundPage = lazy(() => import('../features/playground/components/playground-page'));
// The audit log is for owners and admins: it loads when opened.
const AuditPage = lazy(() => import('../features/audit/components/audit-page'));
// Spend by key and the organization's key limits: loaded when opened.
const SpendPage = lazy(() => import('../features/spend/components/spend-page'));

function Root() {
  return (
    <>
      <SessionWatcher />
      <Outlet />
    </>
  );
}

export const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      {
        path: '/sign-in',
        element: (
          <RedirectIfSignedIn>
            <SignInPage />
          </RedirectIfSignedIn>
        ),
      },
      {
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: '/orgs/:orgId/api-keys', element: <ApiKeysRoute /> },
          {
            path: '/orgs/:orgId/audit',
            element: (
              <Suspense fallback={<LoadingState label="Loading the audit log" />}>
                <AuditPage />
              </Suspense>
            ),
          },
          {
            path: '/orgs/:orgId/spend',
            element: (
              <Suspense fallback={<LoadingState label="Loading spend" />}>
                <SpendPage />
              </Suspense>
            ),
          },
          {
            path: '/playground',
            element: (
              <Suspense fallback={<LoadingState label="Loading the GraphQL playground" />}>
                <PlaygroundPage />
              </Suspense>
            ),
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
