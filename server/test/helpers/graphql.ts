import { DEMO_PASSWORD } from '../../src/db/seed';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }>;
}

export type Gql = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string) => Promise<GraphQLResponse<T>>;

/** Anything with a URL and a GraphQL client: an in-process test app or a spawned server. */
export interface Endpoint {
  url: string;
  gql: Gql;
}

/** The one GraphQL client of the tests: a POST to `${url}/graphql`, with `Authorization: Bearer` when a token is given. */
export function endpoint(url: string): Endpoint {
  const gql: Gql = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<any>;
  };
  return { url, gql };
}

/** Signs in through the `login` mutation and returns the session token; throws when refused. */
export async function login(target: Pick<Endpoint, 'gql'>, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await target.gql<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: email, p: password },
  );
  const token = res.data?.login.token;
  if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
  return token;
}

/** The error code of the first error, or 'OK' when there is none. */
export const codeOf = (res: GraphQLResponse): string => res.errors?.[0]?.extensions?.code ?? 'OK';
