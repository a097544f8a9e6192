/**
 * Whether this browser has a session, and until when. The session itself (its token) is an
 * HttpOnly cookie that the API sets on sign-in: page scripts never see it, and the browser sends
 * it with every same-origin request. What is kept here, in localStorage so that reloads and
 * other tabs share it, is only the expiry: enough to guard the pages and to end the session on time.
 */
const STORAGE_KEY = 'pulze.session';

export interface Session {
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
    if (typeof parsed.expiresAt !== 'string') return null;
    return { expiresAt: parsed.expiresAt };
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

export function saveSession(session: Session): void {
  lastReason = null;
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ expiresAt: session.expiresAt }));
  listeners.forEach((listener) => listener(session));
}

/** Forgets the session in this browser; the server's side is ended by the `logout` mutation (features/auth). */
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
