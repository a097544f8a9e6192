import { useSyncExternalStore } from 'react';
import { getSession, subscribe, type Session } from './auth-storage';

let cached: Session | null = null;
let cachedRaw = '';

function snapshot(): Session | null {
  const session = getSession();
  const raw = session ? session.expiresAt : '';
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cached = session;
  }
  return cached;
}

/** The current session; re-renders on sign-in, sign-out and expiry (also from other tabs). */
export function useSession(): Session | null {
  return useSyncExternalStore((onChange) => subscribe(() => onChange()), snapshot, () => null);
}
