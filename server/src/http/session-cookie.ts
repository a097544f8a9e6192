import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';

/**
 * The web app's cookies. Over https they carry the `__Host-` prefix (Secure, Path=/, no Domain: a
 * sibling site cannot set them); over plain http (local use, `pnpm start`) the browser would not
 * keep a Secure cookie, so they go without Secure and without the prefix.
 * Both are HttpOnly (page scripts cannot read them) and SameSite=Strict (no other site's page
 * sends them).
 */
const SESSION = 'pulze_session';
const DEVICE = 'pulze_device';
const MAX_COOKIE_HEADER = 8192;

export interface CookieNames {
  secure: boolean;
  session: string;
  device: string;
}

/** Whether this request's cookies are Secure, from SESSION_COOKIE_SECURE and how the request arrived. */
export function cookieNames(setting: Config['sessionCookieSecure'], requestIsHttps: boolean): CookieNames {
  const secure = setting === 'always' || (setting === 'auto' && requestIsHttps);
  const prefix = secure ? '__Host-' : '';
  return { secure, session: prefix + SESSION, device: prefix + DEVICE };
}

/** One cookie's value from the Cookie header; undefined when absent or malformed. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > MAX_COOKIE_HEADER) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9._~-]+$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setCookie(res: ServerResponse, names: CookieNames, name: string, value: string, maxAgeSeconds: number): void {
  const attributes = [`${name}=${value}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Strict'];
  if (names.secure) attributes.push('Secure');
  res.appendHeader('Set-Cookie', attributes.join('; '));
}
