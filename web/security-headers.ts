/**
 * The response headers of every page and asset the web app serves (`vite preview`, and so
 * `pnpm start`, which runs it). docker/nginx.conf should send the same.
 *
 * The Content-Security-Policy allows no inline script and nothing from other origins except
 * pictures (avatars and space logos are https URLs). Styles may be inline: the scroll lock of
 * Radix dialogs (react-remove-scroll) inserts a style element when a dialog opens. The
 * playground (GraphiQL) needs nothing more: e2e/headers.e2e.ts proves there is no violation.
 */
const contentSecurityPolicy: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': Object.entries(contentSecurityPolicy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};
