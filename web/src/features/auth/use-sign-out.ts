import { useCallback } from 'react';
import { useMutation } from '@apollo/client/react';
import { clearSession } from '../../lib/auth-storage';
import { LogoutDocument } from './api/logout';

/**
 * Signs out: the server revokes the session (its token stops working everywhere) and clears the
 * HttpOnly cookie, then this browser forgets the session. The browser forgets it even when the
 * server cannot be reached, and says so on the sign-in page no differently.
 */
export function useSignOut(): () => Promise<void> {
  const [logout] = useMutation(LogoutDocument);
  return useCallback(async () => {
    try {
      await logout();
    } catch {
      // Signed out here all the same; the token expires on its own.
    } finally {
      clearSession('signed-out');
    }
  }, [logout]);
}
