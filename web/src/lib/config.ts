/**
 * Links and URLs the app shows, configurable at build time through Vite env variables
 * (see web/README.md). Defaults point at the public Pulze pages.
 */
function pick(value: string | undefined, fallback: string): string {
  return value && value.trim() !== '' ? value.trim() : fallback;
}

export const links = {
  upgrade: pick(import.meta.env.VITE_UPGRADE_URL, 'https://www.pulze.ai/pricing'),
  permissions: pick(import.meta.env.VITE_PERMISSIONS_URL, 'https://docs.pulze.ai/overview/permissions'),
  members: pick(import.meta.env.VITE_MEMBERS_URL, 'https://platform.pulze.ai/settings/members'),
  apiReference: pick(import.meta.env.VITE_API_REFERENCE_URL, 'https://docs.pulze.ai/api-reference'),
} as const;

/**
 * The origin the usage example calls. Empty means "this site": the API is served
 * under the same origin (`/graphql`, `/v1/...`).
 */
export function apiBaseUrl(): string {
  return pick(import.meta.env.VITE_API_BASE_URL, window.location.origin).replace(/\/$/, '');
}

export const GRAPHQL_PATH = '/graphql';
