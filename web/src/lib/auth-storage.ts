/**
 * The signed-in session (JWT and its expiry), kept in localStorage so it survives reloads
 * and is shared by tabs. Everything that needs the token reads it from here.
 */
const STORAGE_KEY = 'pulze.session';

export interface Session {
  token: string;
  expiresAt: string;
}

export type SignOutReason = 'signed-out' | 'expired';

type Listener = (session: Session | null, reason?: SignOutReason) => void;
const listeners = new Set<Listener>();
let lastReason: SignOutReason | null = null;

/** Why the last session ended in this tab (shown on the sign-in page). */
export function lastSignOutReason(): SignOutReason | null {
  return lastReason;
}

function read(): Session | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'string') return null;
    return { token: parsed.token, expiresAt: parsed.expiresAt };
  } catch {
    return null;
  }
}

export function isExpired(session: Session, now = Date.now()): boolean {
  const expires = Date.parse(session.expiresAt);
  return Number.isFinite(expires) && expires <= now;
}

/** The current session, or null when there is none or it has expired. */
export function getSession(): Session | null {
  const session = read();
  if (session && isExpired(session)) {
    window.localStorage.removeItem(STORAGE_KEY);
    lastReason = 'expired';
    return null;
  }
  return session;
}

export function getToken(): string | null {
  return getSession()?.token ?? null;
}

export function saveSession(session: Session): void {
  lastReason = null;
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  listeners.forEach((listener) => listener(session));
}

export function clearSession(reason: SignOutReason = 'signed-out'): void {
  const had = read() !== null;
  lastReason = reason;
  window.localStorage.removeItem(STORAGE_KEY);
  if (had || reason === 'expired') listeners.forEach((listener) => listener(null, reason));
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener(read());
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
