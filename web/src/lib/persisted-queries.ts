import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';

/** Hex SHA-256 of a query's text, from the browser's Web Crypto (no hashing library shipped). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Automatic persisted queries: each operation is sent as its SHA-256 first, and with its text only
 * when the API has not seen it yet (PERSISTED_QUERY_NOT_FOUND), so repeated requests stay small.
 * Web Crypto exists only in secure contexts (https, or localhost): elsewhere queries are sent whole.
 */
export function persistedQueriesLink(): PersistedQueryLink | undefined {
  if (typeof crypto === 'undefined' || !crypto.subtle) return undefined;
  return new PersistedQueryLink({ sha256: sha256Hex });
}
