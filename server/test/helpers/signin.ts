const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { id email } } }';

export interface SignInAnswer {
  status: number;
  code: string;
  field?: string;
  retryAfterSeconds?: number;
  token?: string;
  setCookie: string[];
  ms: number;
}

/** One `login` over HTTP with the given extra headers (cookies, X-Forwarded-For); the answer's code and cookies. */
export async function signIn(url: string, email: string, password: string, headers: Record<string, string> = {}): Promise<SignInAnswer> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: LOGIN, variables: { e: email, p: password } }),
  });
  const body = (await res.json()) as {
    data?: { login: { token: string } } | null;
    errors?: Array<{ extensions?: { code?: string; field?: string; retryAfterSeconds?: number } }>;
  };
  const error = body.errors?.[0]?.extensions;
  return {
    status: res.status,
    code: error?.code ?? 'OK',
    ...(error?.field ? { field: error.field } : {}),
    ...(error?.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(body.data?.login.token ? { token: body.data.login.token } : {}),
    setCookie: res.headers.getSetCookie(),
    ms: performance.now() - started,
  };
}

/** name -> value of the cookies a response sets. */
export function sessionCookies(setCookie: string[]): Record<string, string> {
  return Object.fromEntries(setCookie.map((line) => line.split(';')[0]!.split('=') as [string, string]).map(([k, v]) => [k.trim(), v]));
}
