import type { Endpoint } from './graphql';

export { endpoint, login, type Endpoint } from './graphql';

export const VERIFY_FIELDS = 'valid code keyId spaceId organizationId plan rateLimit { limit remaining resetAt }';

export interface Verification {
  valid: boolean;
  code: string;
  keyId: string | null;
  spaceId: string | null;
  organizationId: string | null;
  plan: string | null;
  rateLimit: { limit: number; remaining: number; resetAt: string } | null;
}

/** Organization id and space ids by name, as the given user sees them. */
export async function orgOf(target: Endpoint, token: string, orgName: string) {
  const res = await target.gql<{ viewer: { organizations: Array<{ id: string; name: string; spaces: Array<{ id: string; name: string }> }> } }>(
    '{ viewer { organizations { id name spaces { id name } } } }',
    {},
    token,
  );
  const org = res.data?.viewer.organizations.find((o) => o.name === orgName);
  if (!org) throw new Error(`organization ${orgName} not visible: ${JSON.stringify(res)}`);
  return { id: org.id, spaces: Object.fromEntries(org.spaces.map((s) => [s.name, s.id])) as Record<string, string> };
}

export async function createKey(target: Endpoint, token: string, spaceId: string, name = 'Gateway test key') {
  const res = await target.gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }',
    { input: { spaceId, name } },
    token,
  );
  if (!res.data) throw new Error(`createApiKey failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret };
}

export async function removeKey(target: Endpoint, token: string, id: string): Promise<void> {
  const res = await target.gql('mutation($id: ID!) { removeApiKey(id: $id) { id removedAt } }', { id }, token);
  if (res.errors) throw new Error(`removeApiKey failed: ${JSON.stringify(res.errors)}`);
}

export async function verifyGql(target: Endpoint, key: string): Promise<Verification> {
  const res = await target.gql<{ verifyApiKey: Verification }>(`query($key: String!) { verifyApiKey(key: $key) { ${VERIFY_FIELDS} } }`, { key });
  if (!res.data) throw new Error(`verifyApiKey failed: ${JSON.stringify(res.errors)}`);
  return res.data.verifyApiKey;
}

export interface HttpVerification {
  status: number;
  headers: Headers;
  body: Verification;
}

export async function verifyHttp(target: Pick<Endpoint, 'url'>, key: string | undefined, init: RequestInit = {}): Promise<HttpVerification> {
  const res = await fetch(`${target.url}/v1/keys/verify`, {
    ...init,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Verification };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
