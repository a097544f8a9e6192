import { useEffect, type ReactNode } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { clearSession, lastSignOutReason, subscribe } from '../lib/auth-storage';
import { useSession } from '../lib/use-session';

/**
 * Ends the session everywhere it has to end: on sign-out, on an UNAUTHENTICATED answer,
 * and when the token's expiry passes. The cache is cleared so no data of the previous
 * person stays on screen.
 */
export function SessionWatcher() {
  const client = useApolloClient();
  const navigate = useNavigate();
  const session = useSession();

  useEffect(
    () =>
      subscribe((next, reason) => {
        if (next) return;
        void client.clearStore();
        navigate(reason === 'expired' ? '/sign-in?expired=1' : '/sign-in', { replace: true });
      }),
    [client, navigate],
  );

  useEffect(() => {
    if (!session) return;
    const remaining = Date.parse(session.expiresAt) - Date.now();
    if (!Number.isFinite(remaining)) return;
    // setTimeout overflows past ~24.8 days; a long session is checked again on the next load.
    if (remaining > 2 ** 31 - 1) return;
    const timer = window.setTimeout(() => clearSession('expired'), Math.max(0, remaining));
    return () => window.clearTimeout(timer);
  }, [session]);

  return null;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const to = lastSignOutReason() === 'expired' ? '/sign-in?expired=1' : '/sign-in';
    return <Navigate to={to} replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session) return <Navigate to="/" replace />;
  return <>{children}</>;
}
